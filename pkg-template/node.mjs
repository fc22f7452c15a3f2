// Node.js, import: the .wasm is compiled synchronously from disk. A pure ES
// module (loading CommonJS from here would cost a few ms of start-up); it
// shares one instance with node.cjs through loadOnce. Bundled into
// CommonJS by a user's bundler, import.meta.url is gone and __dirname is
// where the .wasm is.
import { readFileSync } from "node:fs";
import { initSync } from "./lib/glue.js";
import { loadOnce, readWasm } from "./lib/setup.js";

const wasmFile = () =>
  typeof import.meta.url === "string" ? new URL("./tim_recentcontact_bg.wasm", import.meta.url) : `${__dirname}/tim_recentcontact_bg.wasm`;
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
