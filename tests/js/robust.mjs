// "Survive anything", run unchanged in Node and Deno: no growth per call
// whatever the outcome, answers too large or endless end in a typed
// rejection, and nothing JavaScript throws (getters, Proxies, broken fetch
// results) can reach a wasm frame — checked by driving each hostile case
// 10,000 times and then using every part of the module again.
//
// `env` gives what differs per runtime: { gc, heapUsed, createEmulator, unhandled }.

import { OUTCOMES, measure } from "./endurance.mjs";

export const APP = 1400000000;
export const KEY = "robust-secret-key-0123456789";
const OK = { ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" };

/** Calls of each outcome in the growth test, and what they may leave behind in all. */
export const GROWTH_CALLS = 100_000;
export const GROWTH_BOUNDS = Object.freeze({
  heapBytes: 2 * 1024 * 1024, // 21 B a call; 0.1 leaked ~700 B a call (70 MB)
  wasmBytes: 128 * 1024, // two 64 KiB pages; 0.1 leaked ~140 B a call (14 MB)
  externrefs: 16, // 0.1 leaked 2 a call (200,000)
});
export const HOSTILE_REPEATS = 10_000;

export function assertOk(cond, message) {
  if (!cond) throw new Error(`assertion failed: ${message}`);
}

function client(mod, fetch, extra = {}) {
  return new mod.ConversationClient({
    sdkAppId: APP,
    identifier: "administrator",
    secretKey: KEY,
    baseUrl: "http://127.0.0.1:9",
    fetch,
    maxRetries: 0,
    maxRequestsPerSecond: 1e9,
    ...extra,
  });
}

const json = (v) => new Response(JSON.stringify(v));
const del = { fromAccount: "u1", conversation: { type: "c2c", toAccount: "u2" } };

async function rejectsWith(promise, kind, what) {
  try {
    await promise;
  } catch (e) {
    assertOk(e?.kind === kind, `${what}: expected a ${kind} error, got ${e?.kind}: ${e?.message}`);
    return e;
  }
  throw new Error(`${what}: expected a rejection`);
}

function throwsWith(fn, kind, what) {
  try {
    fn();
  } catch (e) {
    assertOk(e?.kind === kind, `${what}: expected a ${kind} error, got ${e?.kind}: ${e?.message}`);
    return e;
  }
  throw new Error(`${what}: expected an exception`);
}

/** A Proxy every trap of which throws. */
function hostileProxy(target = {}) {
  const boom = () => {
    throw new Error("trap");
  };
  return new Proxy(target, { get: boom, has: boom, ownKeys: boom, getOwnPropertyDescriptor: boom, getPrototypeOf: boom, apply: boom, construct: boom });
}

/** Valid client options, but reading `key` throws. */
function withThrowingGetter(key) {
  const o = { sdkAppId: APP, identifier: "administrator", secretKey: KEY, baseUrl: "http://127.0.0.1:9" };
  return Object.defineProperty(o, key, { enumerable: true, get() { throw new Error("getter"); } });
}

/** A body stream of `total` bytes made on demand, recording how much was pulled. */
function lazyBody(total, chunk = 64 * 1024) {
  const piece = new Uint8Array(chunk).fill(0x20);
  const seen = { pulled: 0, cancelled: false };
  const stream = new ReadableStream({
    pull(c) {
      if (seen.pulled >= total) return c.close();
      c.enqueue(piece.slice());
      seen.pulled += chunk;
    },
    cancel() {
      seen.cancelled = true;
    },
  });
  return { stream, seen };
}

// ---- hostile cases: each ends in a TimError of the stated kind ----

const fetchRejecting = (reason) => () => Promise.reject(typeof reason === "function" ? reason() : reason);
const fetchResolving = (value) => () => Promise.resolve(typeof value === "function" ? value() : value);
const responseWithBody = (body) => ({ status: 200, body, text: async () => "{}" });

/**
 * [name, kind, stage, make(mod)]: `make` gives, by stage, a constructor call
 * ("ctor"), a method call on a client ("call") or the client's fetch ("fetch").
 */
export const HOSTILE = [
  ["options with a throwing getter", "validation", "ctor", (mod) => () => new mod.ConversationClient(withThrowingGetter("sdkAppId"))],
  ["options with a throwing fetch getter", "validation", "ctor", (mod) => () => new mod.ConversationClient(withThrowingGetter("fetch"))],
  ["options as a Proxy whose traps throw", "validation", "ctor", (mod) => () => new mod.ConversationClient(hostileProxy())],
  ["options holding a BigInt", "validation", "ctor", (mod) => () => client(mod, undefined, { timeoutMs: 5n })],
  ["params with a throwing getter", "validation", "call", (mod) => (c) => c.deleteConversation({ ...del, get fromAccount() { throw new Error("getter"); } })],
  ["params as a Proxy whose traps throw", "validation", "call", (mod) => (c) => c.createConversationGroup(hostileProxy())],
  ["params with a throwing toJSON", "validation", "call", (mod) => (c) => c.deleteConversation({ ...del, toJSON() { throw new Error("toJSON"); } })],
  ["fetch rejecting with a number message", "network", "fetch", (mod) => fetchRejecting(() => Object.assign(new Error("x"), { message: 42 }))],
  ["fetch rejecting with a throwing message getter", "network", "fetch", (mod) => fetchRejecting(() => ({ get message() { throw new Error("getter"); } }))],
  ["fetch rejecting with throwing name and cause getters around the URL", "network", "fetch", (mod) => (url) =>
    Promise.reject({ message: `failed ${url}`, get name() { throw new Error("name"); }, get cause() { throw new Error("cause"); } })],
  ["fetch rejecting with a Proxy", "network", "fetch", (mod) => fetchRejecting(() => hostileProxy(new Error("p")))],
  ["fetch rejecting with undefined", "network", "fetch", (mod) => fetchRejecting(undefined)],
  ["fetch throwing synchronously", "network", "fetch", (mod) => () => { throw hostileProxy(); }],
  ["fetch resolving to a throwing status getter", "network", "fetch", (mod) => fetchResolving(() => ({ get status() { throw new Error("status"); } }))],
  ["fetch resolving to a Proxy", "network", "fetch", (mod) => fetchResolving(() => hostileProxy())],
  ["fetch returning a thenable whose then throws", "network", "fetch", (mod) => () => ({ get then() { throw new Error("then"); } })],
  ["fetch resolving to a string status", "network", "fetch", (mod) => fetchResolving({ status: "200", text: async () => "{}" })],
  ["a Response whose body getter throws", "network", "fetch", (mod) => fetchResolving(() => ({ status: 200, get body() { throw new Error("body"); } }))],
  ["a body whose reader's read throws", "network", "fetch", (mod) => fetchResolving(() => responseWithBody({ getReader: () => ({ read() { throw new Error("read"); } }) }))],
  ["a body stream of strings", "network", "fetch", (mod) => fetchResolving(() => new Response(new ReadableStream({ start(c) { c.enqueue("text"); c.close(); } })))],
  ["a body stream of Uint8Array look-alikes", "network", "fetch", (mod) => fetchResolving(() =>
    responseWithBody({ getReader: () => ({ read: async () => ({ done: false, value: Object.create(Uint8Array.prototype) }), cancel: () => Promise.reject(new Error("cancel")) }) }))],
  ["a Response whose text() is not a string", "network", "fetch", (mod) => fetchResolving({ status: 200, text: async () => 42 })],
  ["a Response whose text() throws", "network", "fetch", (mod) => fetchResolving({ status: 200, text() { throw hostileProxy(); } })],
  ["HTTP status 200.9", "network", "fetch", (mod) => fetchResolving({ status: 200.9, text: async () => JSON.stringify(OK) })],
  ["HTTP status 65736", "network", "fetch", (mod) => fetchResolving({ status: 65736, text: async () => JSON.stringify(OK) })],
];

/** The module still works: a call through the emulator, signing, verifying. */
async function stillWorks(mod, env) {
  const emulator = env.createEmulator({ sdkAppId: APP, secretKey: KEY, ratePerSecond: 1e9 });
  const c = new mod.ConversationClient({ ...emulator.credentials, fetch: emulator.fetch, baseUrl: "http://127.0.0.1:9", maxRequestsPerSecond: 1e9 });
  const r = await c.createConversationGroup({ fromAccount: "u1", groupName: "after", conversations: [{ type: "c2c", toAccount: "u2" }] });
  assertOk(r.groupName === "after" && r.results[0].ok, "the emulator answers a call");
  assertOk(emulator.state("u1").groups.length === 1, "the emulator keeps state");
  const sig = mod.genUserSig({ sdkAppId: APP, secretKey: KEY, identifier: "x", expireSeconds: 60 });
  assertOk(mod.verifyUserSig({ sdkAppId: APP, secretKey: KEY, userSig: sig }).identifier === "x", "signing and verifying");
  throwsWith(() => mod.verifyUserSig({ sdkAppId: APP, secretKey: KEY + "!", userSig: sig }), "auth", "a wrong key");
}

export const cases = [
  [
    `no growth over ${GROWTH_CALLS} calls of each outcome (${Object.keys(OUTCOMES).join(", ")})`,
    async (mod, env) => {
      const report = [];
      for (const outcome of Object.keys(OUTCOMES)) {
        const r = await measure(mod, env, outcome, GROWTH_CALLS);
        const grew = { heap: r.after.heap - r.before.heap, wasm: r.after.wasm - r.before.wasm, externrefs: r.after.externrefs - r.before.externrefs };
        report.push(`${outcome}: heap ${grew.heap} B, wasm ${grew.wasm} B, externrefs ${grew.externrefs}`);
        assertOk(grew.heap <= GROWTH_BOUNDS.heapBytes, `${outcome}: JS heap grew ${grew.heap} B (bound ${GROWTH_BOUNDS.heapBytes})`);
        assertOk(grew.wasm <= GROWTH_BOUNDS.wasmBytes, `${outcome}: wasm memory grew ${grew.wasm} B (bound ${GROWTH_BOUNDS.wasmBytes})`);
        assertOk(grew.externrefs <= GROWTH_BOUNDS.externrefs, `${outcome}: ${grew.externrefs} more live externrefs (bound ${GROWTH_BOUNDS.externrefs})`);
      }
      console.log(`growth over ${GROWTH_CALLS} calls each: ${report.join("; ")}`);
    },
  ],
  [
    "a 200 MB answer is refused while reading, the stream is cancelled, and the client keeps serving",
    async (mod) => {
      let big = true;
      let body;
      const c = client(mod, async () => {
        if (!big) return json(OK);
        body = lazyBody(200 * 1024 * 1024);
        return new Response(body.stream);
      });
      const e = await rejectsWith(c.deleteConversation(del), "decode", "200 MB");
      assertOk(e instanceof mod.TimDecodeError && /maxResponseBytes \(8388608 bytes\)/.test(e.message), e.message);
      assertOk(body.seen.pulled <= 9 * 1024 * 1024, `read ${body.seen.pulled} bytes of 200 MB`);
      assertOk(body.seen.cancelled, "the body stream was cancelled");
      big = false;
      await c.deleteConversation(del);
      // A smaller cap is honoured the same way.
      const small = client(mod, async () => new Response(lazyBody(10_000, 1000).stream), { maxResponseBytes: 4096 });
      await rejectsWith(small.deleteConversation(del), "decode", "over a 4 KiB cap");
    },
  ],
  [
    "an answer without a stream is capped too (text())",
    async (mod) => {
      const c = client(mod, async () => ({ status: 200, text: async () => " ".repeat(9 * 1024 * 1024) }));
      const e = await rejectsWith(c.deleteConversation(del), "decode", "9 MB text");
      assertOk(/maxResponseBytes/.test(e.message), e.message);
    },
  ],
  [
    "an endless get_contact_group pager ends in TimDecodeError after maxPages (default 1000)",
    async (mod) => {
      let calls = 0;
      const c = client(mod, async (_url, init) => {
        calls += 1;
        const start = JSON.parse(init.body).StartIndex;
        return json({ ...OK, ContactItem: [], GroupItem: [{ GroupName: "g", GroupId: 1 }], CompleteFlag: 0, NextStartIndex: start + 1 });
      });
      const e = await rejectsWith(c.getConversationGroups({ fromAccount: "u" }), "decode", "endless pager");
      assertOk(/maxPages \(1000\)/.test(e.message), e.message);
      assertOk(calls === 1000, `${calls} pages read`);
      const capped = client(mod, async (_url, init) => {
        const start = JSON.parse(init.body).StartIndex;
        const items = [1, 2, 3].map((i) => ({ Type: 1, To_Account: `u${start}-${i}` }));
        return json({ ...OK, ContactItem: items, GroupItem: [], CompleteFlag: 0, NextStartIndex: start + 1 });
      }, { maxItems: 10 });
      const e2 = await rejectsWith(capped.getConversationGroups({ fromAccount: "u" }), "decode", "maxItems");
      assertOk(/maxItems \(10\)/.test(e2.message), e2.message);
    },
  ],
  [
    "an endless get_list pager ends listConversations with TimDecodeError after maxPages, and maxItems caps what it yields",
    async (mod) => {
      const answer = (per) => async (_url, init) => {
        const b = JSON.parse(init.body);
        const items = Array.from({ length: per }, (_, i) => ({ Type: 1, To_Account: `u${b.StartIndex}-${i}`, MsgTime: 1 }));
        return json({ ...OK, SessionItem: items, CompleteFlag: 0, TimeStamp: 1, StartIndex: b.StartIndex + 1, TopTimeStamp: 1, TopStartIndex: 0 });
      };
      for (const [extra, per, yielded, message] of [
        [{}, 1, 1000, /maxPages \(1000\)/],
        [{ maxPages: 7 }, 2, 14, /maxPages \(7\)/],
        [{ maxItems: 10 }, 3, 9, /maxItems \(10\)/],
      ]) {
        const c = client(mod, answer(per), extra);
        let n = 0;
        const e = await rejectsWith((async () => { for await (const _ of c.listConversations({ fromAccount: "u" })) n += 1; })(), "decode", "endless list");
        assertOk(e instanceof mod.TimDecodeError && message.test(e.message), e.message);
        assertOk(n === yielded, `yielded ${n}, expected ${yielded}`);
      }
    },
  ],
  [
    "100,000 groups over 20 pages are de-duplicated (each kept once, first-seen order)",
    async (mod) => {
      const c = client(mod, async (_url, init) => {
        const page = JSON.parse(init.body).StartIndex;
        const groups = Array.from({ length: 10_000 }, (_, i) => ({ GroupName: `g${page * 5000 + i}`, GroupId: page * 5000 + i }));
        return json({ ...OK, ContactItem: [], GroupItem: groups, CompleteFlag: page === 19 ? 1 : 0, NextStartIndex: page + 1 });
      }, { maxItems: 200_000 });
      const all = await c.getConversationGroups({ fromAccount: "u" });
      assertOk(all.groups.length === 105_000, `${all.groups.length} groups`);
      assertOk(all.groups.every((g, i) => g.groupId === i), "first-seen order");
    },
  ],
  [
    `${HOSTILE.length} hostile cases, ${HOSTILE_REPEATS} times each, end in typed errors and leave the module working`,
    async (mod, env) => {
      for (const [name, kind, stage, make] of HOSTILE) {
        const thing = make(mod);
        const c = stage === "ctor" ? null : client(mod, stage === "call" ? async () => json(OK) : thing);
        for (let i = 0; i < HOSTILE_REPEATS; i++) {
          if (stage === "ctor") throwsWith(thing, kind, name);
          else await rejectsWith(stage === "call" ? thing(c) : c.deleteConversation(del), kind, name);
        }
      }
      await new Promise((r) => setTimeout(r, 50));
      assertOk(env.unhandled.length === 0, `unhandled rejections: ${env.unhandled.map(String).join("; ")}`);
      await stillWorks(mod, env);
    },
  ],
  [
    "GroupIds above 2^53 - 1 are refused, not rounded",
    async (mod) => {
      const answer = (id) => async () => json({ ...OK, GroupItem: [{ GroupName: "g", GroupId: id }] });
      const safe = await client(mod, answer(9007199254740991)).deleteConversationGroup({ fromAccount: "u", groupName: "g" });
      assertOk(safe.groupId === 9007199254740991, "2^53 - 1 is exact");
      const text = `{"ActionStatus":"OK","ErrorCode":0,"GroupItem":[{"GroupName":"g","GroupId":9007199254740993}]}`;
      const e = await rejectsWith(client(mod, async () => new Response(text)).deleteConversationGroup({ fromAccount: "u", groupName: "g" }), "decode", "2^53 + 1");
      assertOk(/2\^53 - 1/.test(e.message), e.message);
    },
  ],
  [
    "a forged cursor is refused before anything is sent",
    async (mod) => {
      let calls = 0;
      const c = client(mod, async () => { calls += 1; return json(OK); });
      for (const cursor of ["l1.18446744073709551615.0.0.0", "l1.+1.0.0.0"]) {
        const e = await rejectsWith(c.listConversationsPage({ fromAccount: "u", cursor }), "validation", cursor);
        assertOk(e.field === "cursor", e.field);
      }
      const e = await rejectsWith(c.getConversationGroupsPage({ fromAccount: "u", cursor: "g1.18446744073709551615" }), "validation", "g1");
      assertOk(e.field === "cursor", e.field);
      assertOk(calls === 0, "nothing sent");
    },
  ],
  [
    "a UserSig with a lone surrogate is an invalid signature (TimAuthError 70003), not a type error",
    async (mod, env) => {
      const e = throwsWith(() => mod.verifyUserSig({ sdkAppId: APP, secretKey: KEY, userSig: "eJx\uDC00abc" }), "auth", "verify");
      assertOk(e instanceof mod.TimAuthError && e.code === 70003, `code ${e.code}`);
      const emulator = env.createEmulator({ sdkAppId: APP, secretKey: KEY });
      const c = new mod.ConversationClient({ sdkAppId: APP, identifier: "administrator", userSig: "eJx\uD800", fetch: emulator.fetch, baseUrl: "http://127.0.0.1:9" });
      const e2 = await rejectsWith(c.deleteConversation(del), "auth", "client");
      assertOk(e2.code === 70003, `code ${e2.code}`);
    },
  ],
  [
    "the emulator refuses request bodies over its cap with 413 and remembers a bounded deletion log",
    async (mod, env) => {
      const emulator = env.createEmulator({ sdkAppId: APP, secretKey: KEY, ratePerSecond: 1e9 });
      const big = JSON.stringify({ From_Account: "u", Pad: "x".repeat(2 * 1024 * 1024) });
      const r = await emulator.fetch("http://e/v4/recentcontact/delete?x=1", { method: "POST", body: big });
      assertOk(r.status === 413, `status ${r.status}`);
      assertOk(emulator.handle("POST", "/v4/recentcontact/delete", big).status === 413, "handle() too");
      const c = new mod.ConversationClient({ ...emulator.credentials, fetch: emulator.fetch, baseUrl: "http://127.0.0.1:9", maxRequestsPerSecond: 1e9 });
      for (let i = 0; i < 1010; i++) await c.deleteConversation({ fromAccount: "u", conversation: { type: "c2c", toAccount: `p${i}` } });
      const deleted = emulator.state("u").deleted;
      assertOk(deleted.length === 1000, `${deleted.length} deletions kept`);
      assertOk(deleted[0].conversation.toAccount === "p10" && deleted[999].conversation.toAccount === "p1009", "the newest are kept");
    },
  ],
];
