// The one setup every runtime entry runs once it has loaded the .wasm into
// the wasm-bindgen glue: the JavaScript halves of the client (error classes,
// pager, bulk runner, method wrappers, fetch transport) are installed on it.
// Entries differ only in how their runtime loads the .wasm; the build
// (scripts/package.mjs) bundles each entry with lib/ into one file.
import * as glue from "./glue.js";
import * as api from "./api.js";
import { makeError } from "./errors.js";
import { installPaging } from "./paging.js";
import { installBulk } from "./bulk.js";
import { installClient } from "./client.js";
import { installTransport } from "./transport.js";
import { installInput } from "./input.js";

let installed = false;

/** Installs the JavaScript halves on the loaded glue (once). */
export function install() {
  if (installed) return;
  installInput(glue.__inputCaps(), makeError);
  glue.__setErrorFactory(makeError);
  installBulk(glue.ConversationClient, makeError);
  installPaging(glue.ConversationClient);
  installClient(glue.ConversationClient, makeError);
  installTransport(glue.__setTransport);
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
  return (globalThis[key] ??= (load(), install(), Object.freeze({ ...api })));
}
