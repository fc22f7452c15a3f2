/* @ts-self-types="./callbacks.d.ts" */
// tim-recentcontact/callbacks: the service's callbacks (webhooks), verified (any runtime; no wasm).
export { verifyCallback, callbackReply, callbackSign, isRateAlert, TimCallbackError } from "./lib/callbacks.js";
