/* @ts-self-types="./index.d.ts" */
// Any other ES module runtime (browsers, bundlers): loads the .wasm next to
// this file once, at import: fetched, or read from disk where this runs
// from a file in Node (an esbuild `neutral` bundle; Node's fetch has no file: URLs).
import init from "./lib/glue.js";
import { install, readWasm } from "./lib/setup.js";

const url = new URL("./tim_recentcontact_bg.wasm", import.meta.url);
const fs = url.protocol === "file:" && globalThis.process?.getBuiltinModule?.("node:fs");
await init({ module_or_path: fs ? readWasm(fs.readFileSync, url) : url });
install();
export * from "./lib/api.js";
