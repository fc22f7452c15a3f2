/* @ts-self-types="./index.d.ts" */
// Cloudflare Workers (workerd): the bundler turns the .wasm import into a
// compiled WebAssembly.Module, instantiated synchronously once.
import wasmModule from "./tim_recentcontact_bg.wasm";
import { initSync } from "./lib/glue.js";
import { install } from "./lib/setup.js";

initSync({ module: wasmModule });
install();
export * from "./lib/api.js";
