// Written by `UPDATE_FIXTURES=1 cargo test` from src/limits.rs
// (`input_caps_json`, `CLIENT_OPTION_KEYS`), and held to it by that
// test: the core's limits that lib/input.js checks before it copies an
// argument, and the client options the core reads (lib/options.js
// looks for near misses of its own options among the other keys).
export const INPUT_CAPS = {"argumentBytes":1048576,"depth":32,"otherStringBytes":8192,"otherListItems":1000,"strings":{"groupName":32,"newGroupName":32,"customMark":256,"fromAccount":256,"toAccount":256,"toGroupId":256},"lists":{"items":100,"add":100,"remove":100,"conversations":1000},"methodLists":{"searchConversationGroups":{"conversations":300}}};
export const CLIENT_OPTION_KEYS = ["sdkAppId","identifier","secretKey","userSig","region","baseUrl","onEvent","fetch","rateLimiter","timeoutMs","maxRetries","userSigTtlSeconds","maxRequestsPerSecond","maxResponseBytes","maxPages","maxItems","reconcileOnAbort"];
