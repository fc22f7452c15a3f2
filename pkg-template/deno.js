/* @ts-self-types="./index.d.ts" */
// Deno: the wasm module is imported as a source (no read permission needed).
import { __setErrorFactory, __setTransport, ConversationClient } from "./tim_recentcontact_module.js";
import { makeError } from "./errors.js";
import { installPaging } from "./paging.js";
import { installBulk } from "./bulk.js";
import { installClient } from "./client.js";
import { installTransport } from "./transport.js";
__setErrorFactory(makeError);
installPaging(ConversationClient, makeError);
installBulk(ConversationClient, makeError);
installClient(ConversationClient, makeError);
installTransport(__setTransport);
export { ConversationClient, genUserSig, verifyUserSig, __memoryStats } from "./tim_recentcontact_module.js";
export * from "./errors.js";
