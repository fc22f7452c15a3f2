/* @ts-self-types="./index.d.ts" */
// Next.js edge routes, middleware and Vercel Edge Functions (`edge-light`):
// the bundler turns the `?module` import into a compiled WebAssembly.Module.
import wasmModule from "./tim_recentcontact_bg.wasm?module";
import { initSync } from "./lib/glue.js";
import { install } from "./lib/setup.js";

// Next's edge sandbox (next dev and next start) is a realm of its own, and
// the Module comes from Next's: a Module all the same, but no instance of
// this realm's class, which the glue would take for bytes.
initSync({ module: wasmModule instanceof WebAssembly.Module ? wasmModule : Object.setPrototypeOf(wasmModule, WebAssembly.Module.prototype) });
install();
export * from "./lib/api.js";
