// What a failed write says about itself (issue 24, first part), part of the
// conformance suite and so run in Node, Deno and workerd: a request that
// was never sent (the runtime's own connect errors) is a retryable network
// error without doubt, sent again after the usual back-off with no
// read-back; a write aborted in flight says its outcome is unknown; an HTTP
// error carries the answer's Retry-After; after a read-back the error's
// requestId is still the write's; an ambiguous write is never sent again,
// and carries what the read-back (with reconcileOnAbort, after an abort too)
// saw.

import { APP, KEY, assert, assertEqual, rejects, fakeFetch } from "./assertions.mjs";

const OK = { ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" };
const created = { GroupResultItem: [{ GroupItem: { GroupName: "g", GroupId: 7 }, ResultItem: [] }], ...OK };
const create = { fromAccount: "u1", groupName: "g", conversations: [] };

function client(mod, fetch, extra = {}) {
  return new mod.ConversationClient({ sdkAppId: APP, identifier: "administrator", secretKey: KEY, baseUrl: "http://127.0.0.1:9", fetch, ...extra });
}

/** The errors runtimes throw when the request never left: Node's (undici's) and Deno's. */
const NEVER_SENT = {
  "Node, connection refused": () => new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }) }),
  "Node, no DNS answer": () => new TypeError("fetch failed", { cause: Object.assign(new Error("getaddrinfo ENOTFOUND x.invalid"), { code: "ENOTFOUND" }) }),
  "Node, a refused certificate": () => new TypeError("fetch failed", { cause: Object.assign(new Error("certificate has expired"), { code: "CERT_HAS_EXPIRED" }) }),
  "Deno, connection refused": () => new TypeError("fetch failed", { cause: new Error("error sending request for url (http://127.0.0.1:1/v4): client error (Connect): tcp connect error: Connection refused (os error 111)") }),
};
/** And ones that may have carried the request. */
const MAYBE_SENT = {
  "Node, connection reset": () => new TypeError("fetch failed", { cause: Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }) }),
  "Node, socket closed": () => new TypeError("fetch failed", { cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }) }),
  "a bare TypeError": () => new TypeError("fetch failed"),
};

export const outcomeCases = [
  ["a write that was never sent is retried without a read-back and, if it never goes, fails retryable without doubt; one that may have been sent is in doubt", async (mod) => {
    for (const [what, make] of Object.entries(NEVER_SENT)) {
      let n = 0;
      const f = fakeFetch((command) => {
        if (command === "create_contact_group" && n++ === 0) throw make();
        return command === "create_contact_group" ? created : { ...OK, CompleteFlag: 1 };
      });
      const r = await client(mod, f.fetch).createConversationGroup(create);
      assertEqual(r.groupId, 7, `${what}: sent again, no read-back`);
      assertEqual(f.calls.map((c) => c.command), ["create_contact_group", "create_contact_group"], `${what}: the requests`);
      const e = await rejects(() => client(mod, async () => { throw make(); }, { maxRetries: 0 }).createConversationGroup(create), () => {}, what);
      assert(e instanceof mod.TimNetworkError && e.notSent === true && e.retryable === true && e.outcomeUnknown === undefined, `${what}: ${e.name} notSent=${e.notSent} retryable=${e.retryable} outcomeUnknown=${e.outcomeUnknown}`);
    }
    for (const [what, make] of Object.entries(MAYBE_SENT)) {
      const f = fakeFetch((command) => {
        if (command === "create_contact_group") throw make();
        throw new TypeError("fetch failed"); // the read-back fails too
      });
      const e = await rejects(() => client(mod, f.fetch, { maxRetries: 0 }).createConversationGroup(create), () => {}, what);
      assert(e instanceof mod.TimNetworkError && e.notSent === undefined && e.outcomeUnknown === true && e.retryable === false, `${what}: notSent=${e.notSent} outcomeUnknown=${e.outcomeUnknown}`);
    }
  }],

  ["a write aborted in flight says its outcome is unknown; one aborted before it was sent, or a read, does not", async (mod) => {
    const hanging = (_url, init) => new Promise((_, reject) => init.signal.addEventListener("abort", () => reject(init.signal.reason)));
    for (const [method, params, unknown] of [
      ["createConversationGroup", create, true],
      ["deleteConversation", { fromAccount: "u1", conversation: { type: "c2c", toAccount: "u2" } }, true],
      ["getConversationGroupsPage", { fromAccount: "u1" }, false],
    ]) {
      const ac = new AbortController();
      const pending = client(mod, hanging)[method](params, { signal: ac.signal });
      setTimeout(() => ac.abort(new Error("user left")), 20);
      const e = await rejects(pending, () => {}, method);
      assert(e instanceof mod.TimAbortError && e.retryable === false, `${method}: ${e?.name}`);
      assertEqual(e.outcomeUnknown, unknown ? true : undefined, `${method}: outcomeUnknown`);
      if (unknown) assert(/may or may not have been applied/.test(e.message), e.message);
    }
    const e = await rejects(() => client(mod, hanging).createConversationGroup(create, { signal: AbortSignal.abort() }), () => {}, "aborted before");
    assertEqual(e.outcomeUnknown, undefined, "nothing was sent");
  }],

  ["reconcileOnAbort (client or call option, default off) reads an aborted write back, without the signal", async (mod) => {
    // The create hangs until aborted; the read-back answers with the group.
    const state = { GroupItem: [{ GroupName: "g", GroupId: 7 }], ContactItem: [], CompleteFlag: 1, ...OK };
    const make = () => fakeFetch((command, _body, _url, _n, init) => {
      if (command === "get_contact_group") return state;
      return new Promise((_, reject) => init.signal.addEventListener("abort", () => reject(init.signal.reason)));
    });
    for (const [what, clientOptions, callOptions, reads] of [
      ["default", {}, {}, false],
      ["client option", { reconcileOnAbort: true }, {}, true],
      ["call option", {}, { reconcileOnAbort: true }, true],
      ["call option overrides the client's", { reconcileOnAbort: true }, { reconcileOnAbort: false }, false],
    ]) {
      const f = make();
      const ac = new AbortController();
      const pending = client(mod, f.fetch, clientOptions).createConversationGroup(create, { signal: ac.signal, ...callOptions });
      setTimeout(() => ac.abort(new Error("user left")), 20);
      const e = await rejects(pending, () => {}, what);
      assert(e instanceof mod.TimAbortError && e.outcomeUnknown === true, `${what}: ${e?.name} ${e?.outcomeUnknown}`);
      assertEqual(f.calls.map((c) => c.command), reads ? ["create_contact_group", "get_contact_group"] : ["create_contact_group"], `${what}: requests`);
      assertEqual(e.readBack ? [e.readBack.looksApplied, e.readBack.groups] : undefined, reads ? [true, [{ groupName: "g", groupId: 7 }]] : undefined, `${what}: readBack`);
    }
    const e = await rejects(() => client(mod, make().fetch).createConversationGroup(create, { reconcileOnAbort: "yes" }), () => {}, "a string");
    assert(e instanceof mod.TimValidationError && e.field === "options.reconcileOnAbort", `${e.name} ${e.field}`);
  }],

  ["an ambiguous write is sent once: the read-back's view rides on the error, whatever it looks like", async (mod) => {
    for (const [what, groups, looks] of [
      ["looks applied", [{ GroupName: "g", GroupId: 7 }], true],
      ["looks not applied", [], false],
    ]) {
      const f = fakeFetch((command) => {
        if (command === "create_contact_group") return new Response("bad gateway", { status: 502 });
        return { GroupItem: groups, ContactItem: [], CompleteFlag: 1, ...OK };
      });
      const e = await rejects(() => client(mod, f.fetch).createConversationGroup(create), () => {}, what);
      assert(e instanceof mod.TimHttpError && e.outcomeUnknown === true && e.retryable === false, `${what}: ${e.name}`);
      assertEqual(e.readBack.looksApplied, looks, `${what}: looksApplied`);
      assertEqual(f.calls.map((c) => c.command), ["create_contact_group", "get_contact_group"], `${what}: never resent`);
    }
  }],

  ["an HTTP error carries the answer's Retry-After as retryAfterMs", async (mod) => {
    const f = fakeFetch(() => new Response("busy", { status: 503, headers: { "retry-after": "120" } }));
    const e = await rejects(() => client(mod, f.fetch).deleteConversation({ fromAccount: "u1", conversation: { type: "c2c", toAccount: "u2" } }), () => {}, "503");
    assert(e instanceof mod.TimHttpError && e.status === 503 && e.retryAfterMs === 120_000, `${e.name} ${e.status} retryAfterMs=${e.retryAfterMs}`);
    assertEqual(f.calls.length, 1, "a two-minute wait is the caller's to make");
  }],

  ["after a read-back, the error's requestId is the write's", async (mod) => {
    const f = fakeFetch((command) => {
      if (command === "create_contact_group") return new Response("bad gateway", { status: 502 });
      return new Response("bad gateway", { status: 502 }); // the read-back cannot tell either
    });
    const e = await rejects(() => client(mod, f.fetch, { maxRetries: 0 }).createConversationGroup(create), () => {}, "502");
    assert(e.outcomeUnknown === true, "in doubt");
    const write = f.calls.find((c) => c.command === "create_contact_group");
    assert(f.calls.some((c) => c.command === "get_contact_group"), "it was read back");
    assertEqual(e.requestId, Number(write.url.searchParams.get("random")), "the write's random");
  }],
];
