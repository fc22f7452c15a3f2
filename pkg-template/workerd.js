/* @ts-self-types="./index.d.ts" */
// Cloudflare Workers (workerd): the bundler turns the .wasm import into a
// compiled WebAssembly.Module, instantiated synchronously once.
import wasmModule from "./tim_recentcontact_bg.wasm";
import { initSync, __setErrorFactory, __setTransport, ConversationClient } from "./tim_recentcontact_web.js";
import { makeError } from "./errors.js";
import { installPaging } from "./paging.js";
import { installBulk } from "./bulk.js";
import { installClient } from "./client.js";
import { installTransport } from "./transport.js";
initSync({ module: wasmModule });
__setErrorFactory(makeError);
installPaging(ConversationClient, makeError);
installBulk(ConversationClient, makeError);
installClient(ConversationClient, makeError);
installTransport(__setTransport);
export { ConversationClient, genUserSig, verifyUserSig, __memoryStats } from "./tim_recentcontact_web.js";
export * from "./errors.js";
