/* @ts-self-types="./index.d.ts" */
// Any other ES module runtime (browsers, bundlers): fetches the .wasm next
// to this file once, at import.
import init from "./lib/glue.js";
import { install } from "./lib/setup.js";

await init({ module_or_path: new URL("./tim_recentcontact_bg.wasm", import.meta.url) });
install();
export * from "./lib/api.js";
