/* @ts-self-types="./index.d.ts" */
// Bun: the .wasm imported as a file, so bun build copies it and --compile embeds it.
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
