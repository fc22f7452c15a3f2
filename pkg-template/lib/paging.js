// `client.paginate(method, params, options)`: the pages of a paged read
// (`listConversationsPage`, `getConversationGroupsPage`) for `for await`;
// `client.listConversations(params, options)`: the conversations of every
// page. Both walk the core's one pager (the wasm class's `__pages`, taken
// off the prototype here so only read input reaches it), which threads the
// cursor, refuses one that does not advance, and stops past the client's
// `maxPages` and `maxItems`, so iteration always ends. Each page is one call
// with `options`; breaking out of the loop frees the pager.

import { retakeStack } from "./client.js";
import { readInput, invalidInput, jsType } from "./input.js";
import { checkCallOptions } from "./options.js";

const PAGED = ["listConversationsPage", "getConversationGroupsPage"];

/** `paginate`'s arguments, read once (input.js) before the core sees them. */
function readPaging(method, params, options) {
  if (!PAGED.includes(method)) {
    const got = typeof method === "string" ? JSON.stringify(method.slice(0, 40)) : jsType(method);
    throw invalidInput("method", `must be "listConversationsPage" or "getConversationGroupsPage", received ${got}`);
  }
  return [method, readInput(params, "params", method), checkCallOptions(readInput(options, "call"))];
}

export function installPaging(ConversationClient) {
  const proto = ConversationClient.prototype;
  const define = (name, value) => Object.defineProperty(proto, name, { configurable: true, writable: true, value });
  // The core's pager takes its arguments as read by input.js: kept here, off the public prototype.
  const pages = proto.__pages;
  delete proto.__pages;

  define("paginate", async function* paginate(method, params, options) {
    const pager = pages.apply(this, readPaging(method, params, options));
    try {
      for (;;) {
        let page;
        try {
          page = await pager.next();
        } catch (e) {
          retakeStack(e, paginate); // where the caller's `for await` resumes
          throw e;
        }
        if (page === undefined) return;
        yield page;
      }
    } finally {
      pager.free();
    }
  });

  define("listConversations", async function* listConversations(params, options) {
    for await (const page of this.paginate("listConversationsPage", params, options)) yield* page.conversations;
  });
}
