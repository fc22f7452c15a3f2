// The client alone, bundled for Node as ESM with no banner (README,
// "Bundling"): the .wasm is found from import.meta.url, beside the bundle.
import { ConversationClient } from "tim-recentcontact";

const OK = { ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" };
const client = new ConversationClient({ sdkAppId: 1400000000, identifier: "admin", secretKey: "k", baseUrl: "http://127.0.0.1:1", fetch: async () => Response.json(OK) });
await client.deleteConversation({ fromAccount: "u", conversation: { type: "c2c", toAccount: "v" } });
console.log("ok client-only");
