/* @ts-self-types="./index.d.ts" */
// Any other ES module runtime (browsers, bundlers): fetches the .wasm next
// to this file once, at import.
import init, { __setErrorFactory, __setTransport, ConversationClient } from "./tim_recentcontact_web.js";
import { makeError } from "./errors.js";
import { installPaging } from "./paging.js";
import { installBulk } from "./bulk.js";
import { installClient } from "./client.js";
import { installTransport } from "./transport.js";
await init({ module_or_path: new URL("./tim_recentcontact_bg.wasm", import.meta.url) });
__setErrorFactory(makeError);
installPaging(ConversationClient, makeError);
installBulk(ConversationClient, makeError);
installClient(ConversationClient, makeError);
installTransport(__setTransport);
export { ConversationClient, genUserSig, verifyUserSig, __memoryStats } from "./tim_recentcontact_web.js";
export * from "./errors.js";
