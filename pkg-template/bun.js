/* @ts-self-types="./index.d.ts" */
// Bun (run, bun build, bun build --compile): the .wasm is imported as a
// file, so Bun's bundler copies it beside the bundle or embeds it in the
// executable; one instance shared with node.cjs through loadOnce.
import wasm from "./tim_recentcontact_bg.wasm" with { type: "file" };
import { readFileSync } from "node:fs";
import { initSync } from "./lib/glue.js";
import { loadOnce } from "./lib/setup.js";

// Bundled (not compiled), the file's path is relative to the bundle.
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
} = loadOnce(() => initSync({ module: readFileSync(wasm.startsWith(".") ? `${import.meta.dir}/${wasm}` : wasm) }));
