// A property-based fuzzer of hostile *JavaScript* (fast-check), run
// unchanged in Node and Deno: Proxies (live, throwing, revoked), throwing
// getters, BigInt, Symbols, NaN, cycles, frozen objects, class instances,
// sparse and huge arrays, huge strings — as params, per-call options,
// client options (and the functions in them), and the helpers' params —
// for every method. The property: whatever goes in, nothing escapes but a
// TimError (thrown by the constructor and the helpers, a rejection from
// every method), every call settles, no rejection goes unhandled; and after
// a run the module still works, with externref slots and wasm memory flat.
//
// A bounded run is part of `npm test`; `npm run fuzz` runs ≥ 10⁶ cases.
// `FUZZ_SEED` replays a run; a failure prints its seed and shrunk case.
//
// `env` gives what differs per runtime: { gc, unhandled }.

import fc from "fast-check";

const APP = 1400000000;
const KEY = "fuzz-secret-key-0123456789abcdef";
const OK = '{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}';

// ---- hostile values ------------------------------------------------------

const boom = () => {
  throw new Error("hostile");
};
const HUGE_STRING = "x".repeat(2_000_000);
const HUGE_ARRAY = new Array(1_000_000).fill(0);
const SPARSE = [];
SPARSE.length = 2 ** 32 - 1;

/** Fixed hostile values, made fresh per use (a revoked Proxy stays revoked). */
const specials = {
  revokedObject: () => {
    const r = Proxy.revocable({}, {});
    r.revoke();
    return r.proxy;
  },
  revokedArray: () => {
    const r = Proxy.revocable([], {});
    r.revoke();
    return r.proxy;
  },
  revokedFunction: () => {
    const r = Proxy.revocable(() => {}, {});
    r.revoke();
    return r.proxy;
  },
  throwingTraps: () => new Proxy({}, { get: boom, has: boom, ownKeys: boom, getOwnPropertyDescriptor: boom, getPrototypeOf: boom }),
  throwingArrayTraps: () => new Proxy([1, 2], { get: boom, has: boom, ownKeys: boom, getOwnPropertyDescriptor: boom }),
  lyingLength: () => new Proxy([], { get: (t, k) => (k === "length" ? 1e12 : Reflect.get(t, k)) }),
  throwingGetter: () => Object.defineProperty({}, "fromAccount", { enumerable: true, get: boom }),
  throwingElement: () => Object.defineProperty([{ type: "c2c", toAccount: "a" }], 0, { enumerable: true, get: boom }),
  cycle: () => {
    const o = { fromAccount: "a" };
    o.self = o;
    return o;
  },
  arrayCycle: () => {
    const a = [];
    a.push(a);
    return a;
  },
  deep: () => {
    let v = {};
    for (let i = 0; i < 10_000; i++) v = { v };
    return v;
  },
  frozen: () => Object.freeze({ fromAccount: "a", conversation: Object.freeze({ type: "c2c", toAccount: "b" }) }),
  classInstance: () => new (class Params { fromAccount = "a"; get conversation() { return { type: "c2c", toAccount: "b" }; } })(),
  hugeString: () => HUGE_STRING,
  hugeArray: () => HUGE_ARRAY,
  sparse: () => SPARSE,
  bigint: () => 10n ** 30n,
  symbol: () => Symbol("s"),
  throwingToJSON: () => ({ toJSON: boom }),
  throwingFunction: () => boom,
  asyncThrowing: () => async () => {
    throw new Error("hostile");
  },
  proto: () => JSON.parse('{"__proto__": {"fromAccount": "p"}, "constructor": 1}'),
  date: () => new Date(0),
  map: () => new Map([["a", 1]]),
  typed: () => new Uint8Array(8),
  nan: () => NaN,
  infinity: () => -Infinity,
  negativeZero: () => -0,
  thenable: () => ({ then: boom }),
};

// fast-check itself inspects what it generates (a revoked Proxy would break
// it), so it generates *recipes* — plain data that shrinks and prints — and
// `build` makes the hostile value from one inside the property.

const special = fc.constantFrom(...Object.keys(specials)).map((name) => ({ special: name }));

const FIELDS = ["fromAccount", "conversation", "conversations", "groupName", "newGroupName", "add", "remove", "items", "set", "clear", "customMark", "type", "toAccount", "toGroupId", "clearRoamingMessages", "cursor", "signal", "timeoutMs", "maxRetries", "__proto__", "toJSON", "then", "length"];

/** A recipe of any value, hostile ones often, nested a few levels. */
const hostile = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    { arbitrary: fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null)).map((v) => ({ plain: v })), weight: 3 },
    { arbitrary: fc.constant({ undefined: true }), weight: 1 },
    { arbitrary: special, weight: 3 },
    { arbitrary: tie("object"), weight: 2 },
    { arbitrary: tie("array"), weight: 1 },
    { arbitrary: tie("proxied"), weight: 1 },
  ),
  object: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...FIELDS), fc.string({ maxLength: 8 })), tie("value")), { maxLength: 5 }).map((entries) => ({ object: entries })),
  array: fc.array(tie("value"), { maxLength: 5 }).map((items) => ({ array: items })),
  // A live Proxy over a value whose traps throw on every n-th read (never, for 0).
  proxied: fc.tuple(fc.oneof(tie("object"), tie("array")), fc.integer({ min: 0, max: 4 })).map(([target, every]) => ({ proxied: target, every })),
})).value;

/** The value a recipe describes. */
function build(r) {
  if ("plain" in r) return r.plain;
  if ("undefined" in r) return undefined;
  if ("special" in r) return specials[r.special]();
  if ("object" in r) {
    const out = {};
    for (const [k, v] of r.object) Object.defineProperty(out, k, { value: build(v), enumerable: true, writable: true, configurable: true });
    return out;
  }
  if ("array" in r) return r.array.map(build);
  if ("proxied" in r) {
    let n = 0;
    const maybe = (f) => (...a) => {
      if (r.every > 0 && ++n % r.every === 0) throw new Error("hostile trap");
      return f(...a);
    };
    return new Proxy(build(r.proxied), { get: maybe(Reflect.get), ownKeys: maybe(Reflect.ownKeys), getOwnPropertyDescriptor: maybe(Reflect.getOwnPropertyDescriptor) });
  }
  if ("valid" in r) {
    const p = structuredClone(VALID[r.valid]);
    if (r.replace) Object.defineProperty(p, r.replace[0], { value: build(r.replace[1]), enumerable: true, writable: true, configurable: true });
    if (r.push) {
      const list = p.conversations ?? p.items ?? p.add;
      if (list) list.push(build(r.push));
      else p.conversation = { type: "c2c", toAccount: build(r.push) };
    }
    return p;
  }
  if ("options" in r) {
    const o = {};
    for (const [k, v] of r.options) o[k] = v === "live" ? r.live : v === "aborted" ? AbortSignal.abort(new Error("gone")) : build(v);
    return o;
  }
  throw new Error(`unknown recipe ${JSON.stringify(r)}`);
}

/** A valid params object of each method. */
const VALID = {
  deleteConversation: { fromAccount: "u1", conversation: { type: "c2c", toAccount: "u2" } },
  createConversationGroup: { fromAccount: "u1", groupName: "g", conversations: [{ type: "group", toGroupId: "@TGS#1" }] },
  renameConversationGroup: { fromAccount: "u1", groupName: "g", newGroupName: "h" },
  updateConversationGroup: { fromAccount: "u1", groupName: "g", add: [{ type: "c2c", toAccount: "u2" }], remove: [] },
  deleteConversationGroup: { fromAccount: "u1", groupName: "g" },
  listConversationsPage: { fromAccount: "u1" },
  getConversationGroupsPage: { fromAccount: "u1" },
  getConversationGroups: { fromAccount: "u1" },
  searchConversationGroups: { fromAccount: "u1", conversations: [{ type: "c2c", toAccount: "u2" }] },
  markConversations: { fromAccount: "u1", items: [{ conversation: { type: "c2c", toAccount: "u2" }, set: [32] }] },
};
const METHODS = Object.keys(VALID);

/** A method's params: hostile outright, or valid with one field replaced or one list entry added. */
const params = (method) =>
  fc.oneof(
    hostile,
    fc.tuple(fc.constantFrom(...Object.keys(VALID[method]), "conversation", "items"), hostile).map(([k, v]) => ({ valid: method, replace: [k, v] })),
    hostile.map((v) => ({ valid: method, push: v })),
  );

/** Per-call options: hostile outright, or with a hostile, the live or an aborted signal. */
const callOptions = fc.oneof(
  fc.constant({ undefined: true }),
  hostile,
  fc
    .tuple(fc.oneof(hostile, fc.constant("live"), fc.constant("aborted")), fc.option(hostile), fc.option(hostile))
    .map(([signal, timeoutMs, maxRetries]) => ({
      options: [["signal", signal], ...(timeoutMs ? [["timeoutMs", timeoutMs]] : []), ...(maxRetries ? [["maxRetries", maxRetries]] : [])],
    })),
);

/** As `hostile`, less the million-entry array: a million operations are a valid bulk (and take seconds). */
const bulkSafe = hostile.filter((r) => r.special !== "hugeArray");

const clientOptions = fc
  .tuple(
    fc.constantFrom("sdkAppId", "identifier", "secretKey", "baseUrl", "region", "fetch", "onEvent", "rateLimiter", "timeoutMs", "maxRetries", "maxResponseBytes", "userSig", "none"),
    hostile,
    fc.boolean(),
  )
  .map(([key, value, asLimiterMethod]) => ({ key, value, asLimiterMethod }));

// ---- the property ----------------------------------------------------------

function isTim(mod, e) {
  return mod.isTimError(e) && e instanceof mod.TimError;
}

function within(ms, promise) {
  let timer;
  return Promise.race([promise.finally(() => clearTimeout(timer)), new Promise((_, rej) => (timer = setTimeout(() => rej(new Error(`did not settle within ${ms} ms`)), ms)))]);
}

/** Settles `run()`'s outcome: ok, or a TimError; anything else fails the property. */
async function expectTim(mod, what, run) {
  let pending;
  try {
    pending = run();
  } catch (e) {
    if (!isTim(mod, e)) throw new Error(`${what}: threw a non-TimError: ${String(e?.stack ?? e).slice(0, 300)}`);
    return;
  }
  if (!pending || typeof pending.then !== "function") return;
  try {
    await within(5000, pending);
  } catch (e) {
    if (!isTim(mod, e)) throw new Error(`${what}: rejected with a non-TimError: ${String(e?.stack ?? e).slice(0, 300)}`);
  }
}

function baseOptions(fetch) {
  return { sdkAppId: APP, identifier: "administrator", secretKey: KEY, baseUrl: "http://127.0.0.1:9", fetch, maxRetries: 0, maxRequestsPerSecond: 1e9, timeoutMs: 2000 };
}

/** A fetch that answers OK at once; now and then, hostilely. */
function fetchFor(kind) {
  switch (kind) {
    case 0:
      return async () => new Response(OK);
    case 1:
      return async () => {
        throw specials.throwingTraps();
      };
    case 2:
      return async () => specials.throwingTraps();
    default:
      return async () => new Response(OK);
  }
}

/**
 * Runs `runs` cases and checks the module afterwards. Returns the figures
 * it measured: { runs, seed, externrefs, wasmBytes }.
 */
export async function fuzz(mod, env, { runs, seed = Number(globalThis.process?.env?.FUZZ_SEED ?? Date.now() % 2 ** 31) }) {
  const live = new AbortController();
  const client = new mod.ConversationClient(baseOptions(fetchFor(0)));
  const make = (r) => ("options" in r ? build({ ...r, live: live.signal }) : build(r));

  const oneCase = fc.oneof(
    // A method, with hostile params and per-call options.
    fc.constantFrom(...METHODS).chain((m) => fc.tuple(fc.constant(m), params(m), callOptions)).map(([m, p, o]) => ["method", m, p, o]),
    // The pagers.
    fc.tuple(fc.oneof(fc.constantFrom("listConversationsPage", "getConversationGroupsPage").map((m) => ({ plain: m })), hostile), params("listConversationsPage"), callOptions).map(([m, p, o]) => ["paginate", m, p, o]),
    // bulk, with hostile operations and options.
    fc
      .tuple(
        fc.oneof(bulkSafe, fc.array(fc.oneof(bulkSafe, fc.tuple(fc.oneof(fc.constantFrom(...METHODS).map((m) => ({ plain: m })), hostile), hostile).map(([m, p]) => ({ object: [["method", m], ["params", p]] }))), { maxLength: 4 }).map((items) => ({ array: items }))),
        fc.oneof(fc.constant({ undefined: true }), hostile),
      )
      .map(([ops, o]) => ["bulk", "bulk", ops, o]),
    // The constructor, one option hostile (or a limiter's method), then one call.
    fc.tuple(clientOptions, fc.integer({ min: 0, max: 3 })).map(([c, f]) => ["constructor", "new", c, f]),
    // The helpers.
    fc.tuple(fc.constantFrom("genUserSig", "verifyUserSig"), hostile).map(([h, p]) => ["helper", h, p]),
  );

  const slow = Number(globalThis.process?.env?.FUZZ_SLOW_MS ?? 0);
  const property = fc.asyncProperty(oneCase, async (c) => {
    const t0 = performance.now();
    const m0 = slow ? mod.__memoryStats()[0] : 0;
    await runCase(c);
    const ms = performance.now() - t0;
    if (slow && ms > slow) console.log(`slow case (${ms.toFixed(0)} ms): ${JSON.stringify(c).slice(0, 400)}`);
    if (slow && mod.__memoryStats()[0] > m0) console.log(`wasm memory +${mod.__memoryStats()[0] - m0} B in case: ${JSON.stringify(c).slice(0, 600)}`);
  });
  const runCase = async ([kind, name, ra, rb]) => {
    const a = kind === "constructor" ? ra : make(ra);
    const b = kind === "constructor" || rb === undefined ? rb : make(rb);
    if (kind === "method") {
      await expectTim(mod, name, () => client[name](a, b));
    } else if (kind === "paginate") {
      await expectTim(mod, "paginate", async () => {
        for await (const _ of client.paginate(make(name), a, b)) break;
      });
    } else if (kind === "bulk") {
      await expectTim(mod, "bulk", () =>
        client.bulk(a, b).then((report) => {
          for (const r of report.results) if (r && r.error !== undefined && !isTim(mod, r.error)) throw new Error(`bulk: an operation failed with a non-TimError: ${r.error}`);
        }),
      );
    } else if (kind === "constructor") {
      const { key, asLimiterMethod } = a;
      const value = make(a.value);
      // A hostile retry or timeout setting with a failing fetch would spend its back-off waiting.
      const options = baseOptions(fetchFor(key === "maxRetries" || key === "timeoutMs" ? 0 : b));
      if (key === "rateLimiter" && asLimiterMethod) {
        delete options.maxRequestsPerSecond;
        options.rateLimiter = { acquire: value, penalize: value };
      } else if (key === "rateLimiter") {
        delete options.maxRequestsPerSecond;
        options.rateLimiter = value;
      } else if (key !== "none") {
        if (key === "userSig") delete options.secretKey;
        if (key === "region") delete options.baseUrl;
        options[key] = value;
      }
      let c;
      await expectTim(mod, `new ConversationClient({ ${key} })`, () => {
        c = new mod.ConversationClient(options);
      });
      if (c) {
        await expectTim(mod, `a call of a client with a hostile ${key}`, () => c.deleteConversation(VALID.deleteConversation));
        // Freed now, as `using` would: the growth figure is then about what calls leave, not about when the GC runs.
        c.free();
      }
    } else {
      await expectTim(mod, name, () => mod[name](a));
    }
  };

  // Clients that were dropped are freed by a FinalizationRegistry after a GC.
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 20));
      env.gc?.();
    }
  };
  // Warm-up: the allocator and the tables settle before the figures are taken.
  await fc.assert(property, { numRuns: Math.min(200, runs), seed: seed + 1 });
  await settle();
  const [wasm0, refs0] = mod.__memoryStats();
  await fc.assert(property, { numRuns: runs, seed, verbose: 1 });
  await settle();
  const [wasm1, refs1] = mod.__memoryStats();

  // The module still works, for a fresh client and the old one.
  const fresh = new mod.ConversationClient(baseOptions(fetchFor(0)));
  await fresh.deleteConversation(VALID.deleteConversation);
  await client.deleteConversation(VALID.deleteConversation, { signal: live.signal });
  if (env.unhandled.length) throw new Error(`unhandled rejections: ${env.unhandled.length}, the first: ${String(env.unhandled[0]).slice(0, 200)}`);
  return { runs, seed, externrefs: refs1 - refs0, wasmBytes: wasm1 - wasm0 };
}

/** What a run may leave behind, whatever its length. */
export const FUZZ_BOUNDS = Object.freeze({ externrefs: 16, wasmBytes: 128 * 1024 });
