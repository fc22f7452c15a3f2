// Deno 2.6 or newer, loaded by deno.js once it has checked the version: the .wasm
// is imported as a compiled module (a source phase import), so no read
// permission is needed.
import source wasmModule from "./tim_recentcontact_bg.wasm";
import { initSync } from "./lib/glue.js";
import { install } from "./lib/setup.js";

initSync({ module: wasmModule });
install();
export * from "./lib/api.js";
