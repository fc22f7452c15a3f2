// Rate limiters for the client's `rateLimiter` option. The service allows
// 200 calls a second per command for a whole app, not per process: a fleet
// of clients must share one budget, kept in a store every member reaches.
//
// Every shared limiter here hands out send times ("slots") spaced one
// interval apart per command, reserved from the store's clock: Redis's
// `TIME` in a Lua script, or the clock of one Durable Object. The store
// answers with how long to wait (relative, so the clocks of the members
// never meet), and a member that has several calls waiting asks for that
// many slots in one round trip (at most `batch`). If the store cannot be
// reached within `timeoutMs`, the limiter reports it (`onEvent`) and paces
// with a conservative local share (`fallbackRequestsPerSecond`) until it
// tries the store again `retryAfterMs` later: no call hangs or is lost.

const DEFAULT_RATE = 200;
const DEFAULT_MARGIN = 0.07;
/**
 * A slot this late is not used: a call sent that late would bunch up with
 * the fleet's later slots (a busy event loop fires its timers late). The
 * call takes a new slot instead, at most `MAX_LATE_RETRIES` times.
 */
const LATE_MS = 20;
const MAX_LATE_RETRIES = 3;
/** How long the command pauses, fleet-wide, after the service said "too fast". */
const PAUSE_MS = 1000;

// The entries make this the package's TimValidationError.
let ValidationError = class extends TypeError {
  constructor({ field, reason }) {
    super(`invalid \`${field}\`: ${reason}`);
  }
};
export function useValidationError(cls) {
  ValidationError = cls;
}
const invalid = (field, reason) => new ValidationError({ field, reason });

function describe(v) {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return `a string of ${v.length} characters`;
  if (typeof v === "number") return String(v);
  return typeof v === "object" ? "an object" : typeof v;
}

function readOptions(where, options, known) {
  if (options === undefined) return {};
  if (options === null || typeof options !== "object" || Array.isArray(options)) throw invalid(where, `must be an object, received ${describe(options)}`);
  for (const k of Object.keys(options)) {
    if (!known.includes(k)) throw invalid(k, `is not an option of ${where} (known: ${known.join(", ")})`);
  }
  return options;
}

function number(options, field, fallback, min, max) {
  const v = options[field];
  if (v === undefined) return fallback;
  if (typeof v !== "number" || !(v >= min && v <= max)) throw invalid(field, `must be a number from ${min} to ${max}, received ${describe(v)}`);
  return v;
}

function fn(options, field) {
  const v = options[field];
  if (v === undefined) return undefined;
  if (typeof v !== "function") throw invalid(field, `must be a function, received ${describe(v)}`);
  return v;
}

function checkCommand(command) {
  if (typeof command !== "string" || !/^[a-z_]{1,64}$/.test(command)) throw invalid("command", `must be a command name like "delete", received ${describe(command)}`);
}

function abortReason(signal) {
  return signal.reason ?? new DOMException("This operation was aborted", "AbortError");
}

/** Waits `ms`, or rejects with the signal's reason when it aborts first. */
function sleep(ms, signal) {
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  if (!(ms > 0)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * The client's own pacing as a limiter object, for one process: each
 * command's calls leave one interval apart (at `maxRequestsPerSecond` less
 * `margin`); `penalize` halves the command's rate (down to 1/16), and each
 * call let through wins back 5 %. The shared limiters fall back to one.
 */
export class LocalRateLimiter {
  #base;
  #lanes = new Map();

  constructor(options) {
    const o = readOptions("LocalRateLimiter options", options, ["maxRequestsPerSecond", "margin"]);
    const rate = number(o, "maxRequestsPerSecond", DEFAULT_RATE, 0.01, 1e6);
    this.#base = 1000 / (rate * (1 - number(o, "margin", DEFAULT_MARGIN, 0, 0.5)));
  }

  #lane(command) {
    let lane = this.#lanes.get(command);
    if (!lane) this.#lanes.set(command, (lane = { next: 0, interval: this.#base }));
    return lane;
  }

  async acquire(command, { signal } = {}) {
    checkCommand(command);
    if (signal?.aborted) throw abortReason(signal);
    const lane = this.#lane(command);
    const now = Date.now();
    const at = Math.max(lane.next, now);
    lane.next = at + lane.interval;
    const end = lane.next;
    lane.interval = Math.max(this.#base, lane.interval / 1.05);
    try {
      await sleep(at - now, signal);
    } catch (e) {
      // Aborted while it waited: the last place in the queue is given back.
      if (lane.next === end) lane.next = at;
      throw e;
    }
  }

  penalize(command) {
    checkCommand(command);
    const lane = this.#lane(command);
    lane.interval = Math.min(lane.interval * 2, this.#base * 16);
    lane.next = Math.max(lane.next, Date.now() + lane.interval);
  }
}

const FALLBACK = Symbol("fallback");

/**
 * What the Redis and Durable Object limiters share: per command a queue of
 * waiting calls, one grant request in flight that asks the store for as
 * many slots as calls wait (at most `batch`), the timeout, and the fallback.
 */
class SharedRateLimiter {
  #grant;
  #store;
  #intervalMs;
  #batch;
  #timeoutMs;
  #retryAfterMs;
  #onEvent;
  #fallback;
  #fallbackRate;
  #downUntil = 0;
  #lanes = new Map();
  /** The store's clock less ours, from the fastest round trip: `{ offset, err, at }`. */
  #clock = null;

  constructor(store, grant, o) {
    this.#store = store;
    this.#grant = grant;
    const rate = number(o, "maxRequestsPerSecond", DEFAULT_RATE, 0.01, 1e6);
    this.#intervalMs = 1000 / (rate * (1 - number(o, "margin", DEFAULT_MARGIN, 0, 0.5)));
    this.#batch = Math.floor(number(o, "batch", 20, 1, 1000));
    this.#timeoutMs = number(o, "timeoutMs", 1000, 1, 60_000);
    this.#retryAfterMs = number(o, "retryAfterMs", 5000, 100, 3_600_000);
    this.#fallbackRate = number(o, "fallbackRequestsPerSecond", rate / 10, 0.01, 1e6);
    this.#fallback = new LocalRateLimiter({ maxRequestsPerSecond: this.#fallbackRate, margin: 0 });
    this.#onEvent = fn(o, "onEvent");
  }

  /** The interval between two slots of one command, in ms. */
  get intervalMs() {
    return this.#intervalMs;
  }

  /** Whether the store is being avoided after a failure (calls are paced locally). */
  get degraded() {
    return this.#downUntil !== 0;
  }

  async acquire(command, { signal } = {}) {
    checkCommand(command);
    for (let late = 0; ; late++) {
      if (signal?.aborted) throw abortReason(signal);
      if (Date.now() < this.#downUntil) return this.#fallback.acquire(command, { signal });
      let lane = this.#lanes.get(command);
      if (!lane) this.#lanes.set(command, (lane = { waiting: [], spare: [], busy: false }));
      let at = takeSpare(lane);
      if (at === undefined) {
        at = await new Promise((resolve, reject) => {
          const waiter = { resolve, reject, signal, onAbort: null };
          if (signal) {
            waiter.onAbort = () => {
              const i = lane.waiting.indexOf(waiter);
              if (i >= 0) lane.waiting.splice(i, 1);
              reject(abortReason(signal));
            };
            signal.addEventListener("abort", waiter.onAbort, { once: true });
          }
          lane.waiting.push(waiter);
          if (!lane.busy) {
            // Started by a timer, so that the calls made in this burst of
            // synchronous work (and its microtasks) share one round trip,
            // and the request leaves when its time is taken, not after them.
            lane.busy = true;
            setTimeout(() => this.#pump(command, lane), 0);
          }
        });
      }
      if (at === FALLBACK) return this.#fallback.acquire(command, { signal });
      try {
        await sleep(at - Date.now(), signal);
      } catch (e) {
        // The slot is still good for the next call of this command.
        lane.spare.push(at);
        throw e;
      }
      if (Date.now() - at <= LATE_MS || late >= MAX_LATE_RETRIES) return;
    }
  }

  penalize(command) {
    checkCommand(command);
    this.#fallback.penalize(command);
    if (Date.now() < this.#downUntil) return;
    // Every member holds back the command for a second; failures are ignored.
    this.#timed(command, 0).catch(() => {});
  }

  #timed(command, count) {
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${this.#store} did not answer within ${this.#timeoutMs} ms`)), this.#timeoutMs);
    });
    let asked;
    try {
      asked = Promise.resolve(this.#grant(command, count, this.#intervalMs));
    } catch (e) {
      asked = Promise.reject(e);
    }
    return Promise.race([asked, timeout]).finally(() => clearTimeout(timer));
  }

  async #pump(command, lane) {
    let slow = 0;
    try {
      while (lane.waiting.length > 0) {
        if (Date.now() < this.#downUntil) {
          for (const w of lane.waiting.splice(0)) give(w, FALLBACK);
          break;
        }
        const count = Math.min(this.#batch, lane.waiting.length);
        const sent = Date.now();
        let answer;
        try {
          answer = readGrant(await this.#timed(command, count), this.#store);
        } catch (error) {
          // These calls, and those that come until retryAfterMs is over, are paced locally.
          this.#unavailable(error);
          for (const w of lane.waiting.splice(0)) give(w, FALLBACK);
          break;
        }
        const received = Date.now();
        if (this.#downUntil !== 0) {
          this.#downUntil = 0;
          this.#emit({ type: "restored", store: this.#store });
        }
        const first = this.#localTime(answer, sent, received);
        if (first === undefined && slow < MAX_LATE_RETRIES) {
          // Too uncertain where these slots lie: left unused, new ones asked for.
          slow++;
          continue;
        }
        slow = 0;
        for (let i = 0; i < count; i++) {
          const at = (first ?? sent + answer.waitMs) + i * this.#intervalMs;
          const w = lane.waiting.shift();
          if (w) give(w, at);
          else lane.spare.push(at);
        }
      }
    } finally {
      lane.busy = false;
    }
  }

  /**
   * When, by this process's clock, the first slot of `answer` is; undefined
   * when that is known no better than to LATE_MS / 2 (sending then could
   * bunch up with the fleet's other slots).
   *
   * The store says its clock (`nowMs`) and how long after that the slot is.
   * Its clock was read somewhere between our sending and our reading the
   * answer, so each answer tells the offset between the clocks to half its
   * round trip; the fastest recent one is kept (its error grows 0.1 ms a
   * second, for drift). A process that stalls before its request leaves or
   * before it reads the answer then still places the slots right, and the
   * members' clocks never need to agree. A store that does not say its
   * clock (a custom `eval` function that answers only the wait) is trusted
   * only when the answer came within LATE_MS.
   */
  #localTime(answer, sent, received) {
    if (answer.nowMs === undefined) return received - sent <= LATE_MS ? sent + answer.waitMs : undefined;
    const err = (received - sent) / 2;
    const c = this.#clock;
    if (!c || err <= c.err + (received - c.at) * 1e-4) this.#clock = { offset: answer.nowMs - (sent + received) / 2, err, at: received };
    if (this.#clock.err > LATE_MS / 2) return undefined;
    return answer.nowMs + answer.waitMs - this.#clock.offset;
  }

  #unavailable(error) {
    const first = this.#downUntil === 0;
    this.#downUntil = Date.now() + this.#retryAfterMs;
    if (!first) return;
    const message = error instanceof Error ? error.message : String(error);
    const event = { type: "unavailable", store: this.#store, message, error, fallbackRequestsPerSecond: this.#fallbackRate, retryAfterMs: this.#retryAfterMs };
    if (this.#onEvent) this.#emit(event);
    else console.warn(`tim-recentcontact: the ${this.#store} rate limiter is unavailable (${message}); pacing at ${this.#fallbackRate} calls/s per command in this process, trying again in ${this.#retryAfterMs} ms`);
  }

  #emit(event) {
    try {
      const r = this.#onEvent?.(event);
      if (r && typeof r.then === "function") Promise.resolve(r).catch(() => {});
    } catch {
      // A listener that throws must not break the limiter.
    }
  }
}

/** A store's answer: `[waitUs, nowUs]` from Redis, or a wait in µs alone, or `{ waitMs, nowMs }`. */
function readGrant(raw, store) {
  let answer;
  if (Array.isArray(raw)) answer = { waitMs: Number(raw[0]) / 1000, nowMs: Number(raw[1]) / 1000 };
  else if (raw !== null && typeof raw === "object") answer = { waitMs: Number(raw.waitMs), nowMs: Number(raw.nowMs) };
  else answer = { waitMs: Number(raw) / 1000, nowMs: undefined };
  if (!(answer.waitMs >= 0) || !(answer.nowMs === undefined || Number.isFinite(answer.nowMs))) {
    throw new Error(`${store} answered ${describe(raw)} instead of a wait`);
  }
  return answer;
}

function give(waiter, at) {
  if (waiter.onAbort) waiter.signal.removeEventListener("abort", waiter.onAbort);
  waiter.resolve(at);
}

/** The earliest spare slot that is not stale. */
function takeSpare(lane) {
  if (lane.spare.length === 0) return undefined;
  const now = Date.now();
  lane.spare = lane.spare.filter((at) => at >= now - LATE_MS).sort((a, b) => a - b);
  return lane.spare.shift();
}

const SHARED_OPTIONS = ["sdkAppId", "maxRequestsPerSecond", "margin", "batch", "timeoutMs", "retryAfterMs", "fallbackRequestsPerSecond", "onEvent"];

function sdkAppIdOf(o) {
  const id = o.sdkAppId;
  if (!Number.isInteger(id) || id < 1 || id > 0xffffffff) throw invalid("sdkAppId", `must be the app's SDKAppID (a whole number from 1 to 4294967295), received ${describe(id)}`);
  return id;
}

/**
 * Grants `ARGV[1]` slots of one command (0: hold it back for ARGV[3] µs)
 * spaced `ARGV[2]` µs apart, from the server's clock; returns the wait in µs
 * before the first and the server's clock (µs). The key holds when the next
 * free slot is (µs).
 */
export const REDIS_SCRIPT = `
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local free = tonumber(redis.call('GET', KEYS[1])) or now
if free < now then free = now end
local count = tonumber(ARGV[1])
local wait = free - now
if count == 0 then
  free = math.max(free, now + tonumber(ARGV[3]))
else
  free = free + count * tonumber(ARGV[2])
end
redis.call('SET', KEYS[1], string.format('%.0f', free), 'PX', math.floor((free - now) / 1000) + 1000)
return {math.floor(wait), now}
`;

/** `(script, keys, args) => Promise` for the user's Redis client. */
function evaluator(redis) {
  if (typeof redis === "function") return redis;
  if (redis === null || typeof redis !== "object") throw invalid("redis", `must be a client of redis (node-redis), ioredis or @upstash/redis, or a function (script, keys, args) => Promise, received ${describe(redis)}`);
  if (typeof redis.eval !== "function") throw invalid("redis", "has no eval method: give a client of redis (node-redis), ioredis or @upstash/redis, or a function (script, keys, args) => Promise");
  // ioredis: eval(script, numberOfKeys, ...keys, ...args)
  if (typeof redis.defineCommand === "function") return (script, keys, args) => redis.eval(script, keys.length, ...keys, ...args);
  // node-redis: eval(script, { keys, arguments })
  if (typeof redis.sendCommand === "function") return (script, keys, args) => redis.eval(script, { keys, arguments: args });
  // @upstash/redis: eval(script, keys, args)
  return (script, keys, args) => redis.eval(script, keys, args);
}

/**
 * A limiter shared through Redis: every client whose limiter has the same
 * `sdkAppId` and `keyPrefix` shares each command's budget. Takes your own
 * client of `redis` (node-redis), `ioredis` or `@upstash/redis`.
 */
export class RedisRateLimiter extends SharedRateLimiter {
  constructor(redis, options) {
    const run = evaluator(redis);
    const o = readOptions("RedisRateLimiter options", options, [...SHARED_OPTIONS, "keyPrefix"]);
    const app = sdkAppIdOf(o);
    const prefix = o.keyPrefix ?? "tim-recentcontact";
    if (typeof prefix !== "string" || prefix === "") throw invalid("keyPrefix", `must be a non-empty string, received ${describe(prefix)}`);
    super(
      "Redis",
      (command, count, intervalMs) =>
        run(REDIS_SCRIPT, [`${prefix}:${app}:${command}`], [String(count), String(Math.round(intervalMs * 1000)), String(PAUSE_MS * 1000)]),
      o,
    );
  }
}

/**
 * A limiter shared through a Durable Object (Cloudflare Workers): every
 * Worker and isolate that uses the same namespace and `sdkAppId` shares each
 * command's budget. `namespace` is the binding of `RateLimiterDurableObject`.
 */
export class DurableObjectRateLimiter extends SharedRateLimiter {
  constructor(namespace, options) {
    if (!namespace || typeof namespace.idFromName !== "function" || typeof namespace.get !== "function") {
      throw invalid("namespace", `must be a Durable Object namespace binding (of RateLimiterDurableObject), received ${describe(namespace)}`);
    }
    const o = readOptions("DurableObjectRateLimiter options", options, SHARED_OPTIONS);
    const app = sdkAppIdOf(o);
    let stub;
    super(
      "Durable Object",
      async (command, count, intervalMs) => {
        stub ??= namespace.get(namespace.idFromName(`tim-recentcontact:${app}`));
        const res = await stub.fetch("https://rate-limiter.invalid/grant", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ command, count, intervalMs, pauseMs: PAUSE_MS }),
        });
        if (!res.ok) throw new Error(`the rate limiter object answered HTTP ${res.status}`);
        return res.json();
      },
      o,
    );
  }
}

/**
 * The Durable Object that owns an app's budget: export it from your
 * Worker and bind it (see the README, "Running many processes or Workers").
 * Its state is a few numbers in memory; after a restart it starts afresh.
 */
export class RateLimiterDurableObject {
  #next = new Map();

  constructor(state, env) {
    void state;
    void env;
  }

  async fetch(request) {
    let body;
    try {
      body = await request.json();
    } catch {
      return new Response("a JSON body is required", { status: 400 });
    }
    const { command, count, intervalMs, pauseMs } = body ?? {};
    if (typeof command !== "string" || !Number.isInteger(count) || count < 0 || count > 1000 || !(intervalMs > 0) || !(pauseMs >= 0)) {
      return new Response("expected { command, count, intervalMs, pauseMs }", { status: 400 });
    }
    const now = Date.now();
    const next = Math.max(this.#next.get(command) ?? now, now);
    this.#next.set(command, count === 0 ? Math.max(next, now + pauseMs) : next + count * intervalMs);
    return Response.json({ waitMs: next - now, nowMs: now });
  }
}
