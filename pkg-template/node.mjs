// Node.js, import: the .wasm is compiled synchronously from disk. A pure ES
// module (loading CommonJS from here would cost a few ms of start-up); it
// shares one instance with node.cjs through loadOnce. Bundled into
// CommonJS by a user's bundler, import.meta.url is gone and __dirname is
// where the .wasm is.
//
// node:fs is taken with process.getBuiltinModule, not imported: an ES import
// of a built-in builds its whole namespace, and node:fs's reaches
// fs.promises and the file streams (about 4 ms of a cold start, measured
// with paired whole processes). Node before 20.16 / 22.3 has no
// getBuiltinModule and takes it through createRequire.
import { createRequire } from "node:module";
import { initSync } from "./lib/glue.js";
import { loadOnce, readWasm } from "./lib/setup.js";

const bundledAsCommonJs = typeof import.meta.url !== "string";
const { readFileSync } =
  globalThis.process.getBuiltinModule?.("node:fs") ?? createRequire(bundledAsCommonJs ? __filename : import.meta.url)("node:fs");
const wasmFile = () => (bundledAsCommonJs ? `${__dirname}/tim_recentcontact_bg.wasm` : new URL("./tim_recentcontact_bg.wasm", import.meta.url));
const api = loadOnce(() => initSync({ module: readWasm(readFileSync, wasmFile()) }));
export const {
  ConversationClient,
  genUserSig,
  verifyUserSig,
  __memoryStats,
  TimError,
  TimValidationError,
  TimApiError,
  TimAuthError,
  TimHttpError,
  TimNetworkError,
  TimTimeoutError,
  TimDecodeError,
  TimAbortError,
  isTimError,
} = api;
