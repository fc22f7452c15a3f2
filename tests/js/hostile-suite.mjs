// Hostile JavaScript, case by case (issue 23), part of the conformance
// suite (suite.mjs) and so run unchanged in Node, Deno and workerd: what
// each kind of hostile input becomes, named; oversized input refused before
// it is copied; made-up keys named safely; the UserSig hidden in whatever
// shape a fetch error carries it; bulk and the rate limiter read once.

import { APP, KEY, assert, assertEqual, rejects, fakeFetch } from "./assertions.mjs";

const OK = { ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" };
const del = { fromAccount: "u1", conversation: { type: "c2c", toAccount: "u2" } };

function client(mod, fetch, extra = {}) {
  return new mod.ConversationClient({ sdkAppId: APP, identifier: "administrator", secretKey: KEY, baseUrl: "http://127.0.0.1:9", fetch, maxRetries: 0, ...extra });
}

const revoked = (target = {}) => {
  const r = Proxy.revocable(target, {});
  r.revoke();
  return r.proxy;
};
const boom = () => {
  throw new Error("hostile");
};

/** Rejects (or throws) a TimValidationError for `field`; returns it. */
async function refused(mod, run, field, what) {
  return rejects(run, (e) => {
    assert(e instanceof mod.TimValidationError, `${what}: a TimValidationError, got ${e?.name}: ${e?.message}`);
    assertEqual(e.field, field, `${what}: the field`);
  }, what);
}

/** Every string reachable from `v` the way an inspector shows it (own keys of every kind, getters, URL, Request, Map, Set), 30 levels deep. */
function reachableStrings(v, out = [], seen = new Set(), depth = 0) {
  if (typeof v === "string") return out.push(v), out;
  if (v === null || (typeof v !== "object" && typeof v !== "function") || seen.has(v) || depth > 30) return out;
  seen.add(v);
  if (typeof URL === "function" && v instanceof URL) out.push(v.href);
  if (typeof Request === "function" && v instanceof Request) out.push(v.url);
  if (v instanceof Map) for (const [k, x] of v) reachableStrings(k, out, seen, depth + 1), reachableStrings(x, out, seen, depth + 1);
  if (v instanceof Set) for (const x of v) reachableStrings(x, out, seen, depth + 1);
  for (const k of Reflect.ownKeys(v)) {
    const d = Reflect.getOwnPropertyDescriptor(v, k);
    let x;
    try {
      x = "value" in d ? d.value : d.get?.call(v);
    } catch {
      continue;
    }
    reachableStrings(x, out, seen, depth + 1);
  }
  if (v instanceof Error) reachableStrings(v.message, out, seen, depth + 1);
  return out;
}

/** Ways a fetch error may carry the request URL (and so the UserSig). */
export const URL_SHAPES = {
  "ten causes deep": (url) => {
    let e = new Error(`connect failed ${url}`);
    for (let i = 0; i < 10; i++) e = new Error(`level ${i}`, { cause: e });
    return e;
  },
  "a URL": (url) => Object.assign(new TypeError("fetch failed"), { url: new URL(url) }),
  "a Request": (url) => (typeof Request === "function" ? Object.assign(new Error("timed out"), { request: new Request(url, { method: "POST" }) }) : new Error(url)),
  "a Map": (url) => Object.assign(new Error("x"), { details: new Map([["url", url], [url, 1]]) }),
  "a Set": (url) => Object.assign(new Error("x"), { seen: new Set([url]) }),
  "a Symbol key": (url) => Object.assign(new Error("x"), { [Symbol("where")]: url }),
  "a getter": (url) => Object.defineProperty(new Error("x"), "target", { get: () => url, enumerable: false }),
  "an array": (url) => Object.assign(new Error("x"), { tried: [[{ url }]] }),
  "a cycle": (url) => {
    const e = new Error("x");
    e.self = e;
  e.where = { url, back: e };
  return e;
},
"a getter that throws too": (url) => Object.defineProperties(new Error("x"), { bad: { get: boom }, url: { value: url } }),
"a message on the prototype": (url) => new (class extends Error { get message() { return `failed ${url}`; } })(),
};

export const hostileCases = [
  ["hostile input: revoked Proxies, throwing getters and traps, BigInt and cycles are TimValidationErrors naming the field; nothing is sent; the module lives on", async (mod) => {
    const f = fakeFetch(() => OK);
    const c = client(mod, f.fetch);
    const throwingElement = Object.defineProperty([{ type: "c2c", toAccount: "a" }], 0, { enumerable: true, get: boom });
    const trapArray = new Proxy([1], { get: boom, has: boom, ownKeys: boom, getOwnPropertyDescriptor: boom });
    const cyclic = { ...del };
    cyclic.self = cyclic;
    await refused(mod, () => c.deleteConversation(revoked()), "params", "revoked params");
    await refused(mod, () => c.deleteConversation(del, revoked()), "options", "revoked options");
    await refused(mod, () => c.deleteConversation(del, { signal: revoked() }), "options.signal", "revoked signal");
    await refused(mod, () => c.deleteConversation(del, { signal: { addEventListener: 5 } }), "options.signal", "not a signal");
    await refused(mod, () => c.createConversationGroup({ fromAccount: "u", groupName: "g", conversations: throwingElement }), "conversations[0]", "a throwing element");
    await refused(mod, () => c.markConversations({ fromAccount: "u", items: throwingElement }), "items[0]", "a throwing item");
    await refused(mod, () => c.searchConversationGroups({ fromAccount: "u", conversations: trapArray }), "conversations", "a Proxy array whose traps throw");
    await refused(mod, () => c.deleteConversation({ ...del, clearRoamingMessages: 1n }), "clearRoamingMessages", "a BigInt");
    await refused(mod, () => c.deleteConversation(cyclic), "self", "a cycle");
    await refused(mod, () => c.deleteConversation(Object.defineProperty({ ...del }, "fromAccount", { enumerable: true, get: boom })), "fromAccount", "a throwing getter");
    await refused(mod, async () => {
      for await (const _ of c.paginate(revoked(), {})) break;
    }, "method", "paginate with a revoked Proxy as the method");
    await refused(mod, () => new mod.ConversationClient(revoked()), "options", "new with revoked options");
    await refused(mod, () => new mod.ConversationClient(Object.defineProperty({ sdkAppId: APP, identifier: "a" }, "secretKey", { enumerable: true, get: boom })), "secretKey", "new with a throwing getter");
    await refused(mod, () => mod.genUserSig(revoked()), "params", "genUserSig(revoked)");
    await refused(mod, () => mod.verifyUserSig(revoked()), "params", "verifyUserSig(revoked)");
    assertEqual(f.calls.length, 0, "nothing sent");
    // 0.2: ~1,260 of these left every export throwing "memory access out of bounds".
    for (let i = 0; i < 2000; i++) {
      try {
        new mod.ConversationClient(revoked());
      } catch {}
    }
    await c.deleteConversation(del);
    assertEqual(f.calls.length, 1, "the module still works");
  }],

  ["oversized input is refused from its length, before anything is copied into wasm: memory flat, nothing sent", async (mod) => {
    const f = fakeFetch(() => OK);
    const c = client(mod, f.fetch);
    await c.deleteConversation(del); // warm
    const before = mod.__memoryStats()[0];
    const million = new Array(1_000_000); // read by length alone: no element is touched
    const e1 = await refused(mod, () => c.markConversations({ fromAccount: "u", items: million }), "items", "1e6 items");
    assertEqual(e1.reason, "must hold at most 100 entries, got 1000000", "items reason");
    await refused(mod, () => c.searchConversationGroups({ fromAccount: "u", conversations: new Array(301) }), "conversations", "301 conversations to search");
    const e2 = await refused(mod, () => c.createConversationGroup({ fromAccount: "u", groupName: "x".repeat(2_000_000), conversations: [] }), "groupName", "a 2 MB group name");
    assertEqual(e2.reason, "must be at most 32 UTF-8 bytes, got more than 1048576 bytes", "group name reason");
    await refused(mod, () => c.createConversationGroup({ fromAccount: "u", groupName: "分".repeat(11), conversations: [] }), "groupName", "33 bytes in 11 characters");
    await refused(mod, () => c.deleteConversation({ ...del, fromAccount: "a".repeat(1 << 20) }), "fromAccount", "a 1 MB fromAccount");
    await refused(mod, () => c.markConversations({ fromAccount: "u", items: [{ conversation: { type: "c2c", toAccount: "b" }, customMark: "m".repeat(257) }] }), "items[0].customMark", "a 257-byte custom mark");
    const wide = {};
    for (let i = 0; i < 100_000; i++) wide[`key${i}`] = i;
    await refused(mod, () => c.deleteConversation({ ...del, wide }), "params", "params over 1 MiB");
    let deep = {};
    for (let i = 0; i < 100; i++) deep = { deep };
    await refused(mod, () => c.deleteConversation({ ...del, deep }), `${Array(32).fill("deep").join(".").slice(0, 120)}…`, "100 levels deep (the 32nd level is named, the path cut at 120 characters)");
    await refused(mod, () => new mod.ConversationClient({ sdkAppId: APP, identifier: "a", userSig: "s".repeat(100_000) }), "userSig", "a 100 KB userSig");
    assertEqual(mod.__memoryStats()[0], before, "wasm memory did not grow");
    assertEqual(f.calls.length, 1, "nothing more sent");
  }],

  ["a made-up key is named cut to 120 characters and with its control characters escaped", async (mod) => {
    const c = client(mod, fakeFetch(() => OK).fetch);
    const key = `\u001b[2J\n${"k".repeat(5000)}`;
    const e = await rejects(() => c.deleteConversation({ ...del, [key]: 1 }), (x) => assert(x instanceof mod.TimValidationError, String(x)), "a made-up key");
    assert(e.field.length <= 130, `the field is cut: ${e.field.length} characters`);
    assert(!/[\u0000-\u001f]/.test(e.field) && !/[\u0000-\u001f]/.test(e.message), "no control character in the field or the message");
    assert(e.field.startsWith("\\u{1b}[2J\\u{a}kkk") && e.field.endsWith("…"), e.field.slice(0, 30));
    const o = await rejects(() => c.deleteConversation(del, { [key]: 1 }), () => {}, "a made-up option");
    assert(o.field.length <= 140 && !/[\u0000-\u001f]/.test(o.field), o.field.slice(0, 40));
    // Refused before the core sees it (a throwing getter under that key): the same rule.
    const g = await rejects(() => c.deleteConversation(Object.defineProperty({ ...del }, key, { enumerable: true, get: boom })), () => {}, "a throwing getter under a made-up key");
    assertEqual(g.field, e.field, "the reader names it as the core does");
  }],

  ["the UserSig never reaches an error, whatever shape the fetch error carries the URL in; an error without it is passed on as it is", async (mod) => {
    for (const [shape, make] of Object.entries(URL_SHAPES)) {
      let thrown;
      const c = client(mod, async (url) => {
        thrown = make(url);
        throw thrown;
      });
      const e = await rejects(() => c.deleteConversation(del), (x) => assert(x instanceof mod.TimNetworkError, `${shape}: ${x?.name}`), shape);
      const sig = [...reachableStrings(thrown)].join(" ").match(/usersig=([^&\s"]+)/)?.[1];
      assert(sig && sig.length > 20, `${shape}: the thrown error does carry the UserSig`);
      for (const s of reachableStrings(e)) {
        assert(!s.includes(sig), `${shape}: the UserSig is in the error: ${s.slice(0, 120)}`);
        assert(!s.includes(KEY), `${shape}: the secret key is in the error`);
      }
    }
    const plain = new TypeError("fetch failed", { cause: new Error("ECONNREFUSED") });
    const c = client(mod, async () => {
      throw plain;
    });
    const e = await rejects(() => c.deleteConversation(del), () => {}, "a plain network error");
    assert(e.cause === plain, "an error that quotes no secret is passed on as the very object");
  }],

  ["bulk reads the iterable, each operation and the options once, in try/catch", async (mod) => {
    const f = fakeFetch(() => OK);
    const c = client(mod, f.fetch);
    let reads = 0;
    const op = { params: del, get method() {
      reads += 1;
      return "deleteConversation";
    } };
    const r = await c.bulk([op, { get method() {
      throw new Error("getter");
    }, params: del }, revoked()]);
    assertEqual(reads, 1, "method read once");
    assertEqual([r.results[0].status, r.results[0].method], ["ok", "deleteConversation"], "the operation ran");
    for (const i of [1, 2]) {
      assert(r.results[i].status === "failed" && r.results[i].error instanceof mod.TimValidationError, `operation ${i} failed with a TimValidationError`);
      assertEqual(r.results[i].error.field, `operations[${i}]`, `operation ${i}'s field`);
    }
    await refused(mod, () => c.bulk({ [Symbol.iterator]: boom }), "operations", "a throwing iterator");
    await refused(mod, () => c.bulk("deleteConversation"), "operations", "a string");
    await refused(mod, () => c.bulk([], revoked()), "options", "revoked options");
    await refused(mod, () => c.bulk([], { signal: revoked() }), "options.signal", "a revoked signal");
    const long = await c.bulk([{ method: "markConversations", params: { fromAccount: "u", items: new Array(10) } }]);
    assert(long.results[0].error instanceof mod.TimValidationError, "holes in a split list are a validation error");
  }],

  ["a rate limiter is called with itself as `this` (a class instance with private state works), and what it throws is reported, not thrown", async (mod) => {
    class Limiter {
      #granted = 0;
      acquire() {
        this.#granted += 1;
      }
      get granted() {
        return this.#granted;
      }
    }
    const limiter = new Limiter();
    const f = fakeFetch(() => OK);
    await client(mod, f.fetch, { rateLimiter: limiter }).deleteConversation(del);
    assertEqual(limiter.granted, 1, "acquire ran on the instance");
    const events = [];
    const broken = client(mod, f.fetch, { rateLimiter: { acquire: boom }, onEvent: (e) => events.push(e.type) });
    await broken.deleteConversation(del);
    assert(events.includes("limiter-error"), `a limiter-error event: ${events}`);
  }],
];
