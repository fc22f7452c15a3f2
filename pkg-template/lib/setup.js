// The one setup every runtime entry runs once it has loaded the .wasm into
// the wasm-bindgen glue: the JavaScript halves of the client (error classes,
// pager, bulk runner, method wrappers, fetch transport) are installed on it.
// Entries differ only in how their runtime loads the .wasm; the build
// (scripts/package.mjs) bundles each entry with lib/ into one file.
import { ConversationClient as WasmClient, __inputRoom, __setErrorFactory, __setResultReader, __setTransport, __settle, __memoryStats, __wasmMemory } from "./glue.js";
import { readResult } from "./results.js";
import { ConversationClient } from "./client.js";
import { genUserSig, verifyUserSig } from "./usersig.js";
import {
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
} from "./errors.js";
import { makeError } from "./errors.js";
import { installPaging } from "./paging.js";
import { installBulk } from "./bulk.js";
import { installClient } from "./client.js";
import { installTransport } from "./transport.js";
import { installInput, invalidInput } from "./input.js";

/**
 * The .wasm's bytes from `file` (a path or a file: URL) with `readFileSync`.
 * Not there (a bundle that did not copy it): this version's .wasm found by
 * the package's name from there (a bundle run where the package is
 * installed: Vite SSR, bun build), else an error saying what to copy.
 */
export function readWasm(readFileSync, file) {
  try {
    return readFileSync(file);
  } catch (e) {
    if (e?.code !== "ENOENT") throw e;
    try {
      const req = globalThis.process.getBuiltinModule("node:module").createRequire(file);
      const pkg = req.resolve("tim-recentcontact/package.json");
      if (JSON.parse(readFileSync(pkg, "utf8")).version === PACKAGE_VERSION) return readFileSync(req.resolve("tim-recentcontact/tim_recentcontact_bg.wasm"));
    } catch {}
    const where = typeof file === "string" ? file : decodeURIComponent(file.pathname);
    throw new Error(
      `tim-recentcontact: no ${where}: a bundle must ship this .wasm (from node_modules/tim-recentcontact/) beside it, or leave the package out (README, "Bundling")`,
      { cause: e },
    );
  }
}

let installed = false;

/** Installs the JavaScript halves on the loaded glue (once). */
export function install() {
  if (installed) return;
  installInput(makeError);
  // The core describes an error as JSON text, its cause (a JavaScript value) beside it.
  __setErrorFactory(
    (description, secrets, cause) => {
      const d = JSON.parse(description);
      if (cause !== undefined) d.cause = cause;
      return makeError(d, secrets);
    },
    // A TimValidationError from (field, reason, late), as the JavaScript layer makes one.
    invalidInput,
  );
  // A result's tape lies in wasm memory (as ptr and length) while this runs.
  const memory = __wasmMemory();
  __setResultReader((text, ptr, len) => readResult(text, len === 0 ? undefined : new Float64Array(memory.buffer, ptr, len)));
  installBulk(WasmClient, makeError);
  installPaging(WasmClient);
  installClient(WasmClient, makeError);
  installTransport(__setTransport, __settle, __inputRoom, memory);
  installed = true;
}

/**
 * The package's exports, loaded and set up once per process for this
 * version: Node's `import` (node.mjs) and `require` (node.cjs) are two
 * bundles, and the one loaded second takes the first one's exports, so
 * classes and `instanceof` agree whichever way the package is loaded.
 */
export function loadOnce(load) {
  const key = Symbol.for(`tim-recentcontact@${PACKAGE_VERSION}`);
  // api.js's names, spelled out (a namespace object would add a chunk of
  // esbuild's helpers to the package).
  const api = {
    __memoryStats,
    ConversationClient,
    genUserSig,
    verifyUserSig,
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
  };
  return (globalThis[key] ??= (load(), install(), Object.freeze(api)));
}
