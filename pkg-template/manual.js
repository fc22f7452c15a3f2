/* @ts-self-types="./manual.d.ts" */
// For bundles that cannot hold a top-level await (IIFE, CommonJS for a
// browser): nothing is loaded at import; `await init(wasm)` loads the .wasm
// once (a URL, a Response, bytes or a compiled WebAssembly.Module), or
// `initSync(moduleOrBytes)` does it synchronously. Using the package before
// that throws a TimValidationError that says so.
import load, { initSync as loadSync } from "./lib/glue.js";
import { ConversationClient as Core } from "./lib/client.js";
import { genUserSig as gen, verifyUserSig as verify } from "./lib/usersig.js";
import { install as installOnce } from "./lib/setup.js";
import { makeError } from "./lib/errors.js";

let ready = false;

function install() {
  installOnce();
  ready = true;
}

function notReady(what) {
  return makeError({
    kind: "validation",
    retryable: false,
    field: "init",
    reason: `must be awaited before ${what}: await init(wasmUrl) first (tim-recentcontact/manual loads nothing by itself)`,
    message: `invalid \`init\`: must be awaited before ${what}: await init(wasmUrl) first (tim-recentcontact/manual loads nothing by itself)`,
  });
}

/** Loads the .wasm once; later calls resolve at once. */
export async function init(wasm) {
  if (ready) return;
  const source = wasm ?? (typeof import.meta.url === "string" ? new URL("./tim_recentcontact_bg.wasm", import.meta.url) : undefined);
  if (source === undefined) throw notReady("any use (no wasm location given, and this bundle has no import.meta.url)");
  await load({ module_or_path: source });
  install();
}

/** Loads the .wasm synchronously from a WebAssembly.Module or its bytes. */
export function initSync(wasm) {
  if (ready) return;
  loadSync({ module: wasm });
  install();
}

export class ConversationClient extends Core {
  constructor(options) {
    if (!ready) throw notReady("new ConversationClient(…)");
    super(options);
  }
}

export function genUserSig(params) {
  if (!ready) throw notReady("genUserSig(…)");
  return gen(params);
}

export function verifyUserSig(params) {
  if (!ready) throw notReady("verifyUserSig(…)");
  return verify(params);
}

export * from "./lib/public-errors.js";
