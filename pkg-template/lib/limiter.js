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
 * call takes a new slot instead, as often as it takes: no call is ever sent
 * at a time the store did not give it.
 */
const LATE_MS = 20;
/** Round trips whose clock is too uncertain before the slot is placed at its latest possible time. */
const MAX_UNCERTAIN = 3;
/**
 * The store never hands out a slot more than this far ahead of its clock:
 * a grant starts at most half of it ahead and spans at most the other half.
 * So when its state is lost (a restart, a flush, an evicted object), every
 * slot still pending lies within this horizon, and the store starts again
 * after it: the budget holds through the loss, at the cost of one horizon's
 * wait for the first call after it (or after a day unused).
 */
const HORIZON_MS = 500;
/** How long a store keeps an unused budget (after that, the next call waits one horizon). */
const KEEP_MS = 86_400_000;
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

/** This process's clock for waits: monotonic (a wall clock stepped back or forward changes nothing). */
const clock = typeof performance === "object" && typeof performance?.now === "function" ? () => performance.now() : () => Date.now();

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
    const now = clock();
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
    lane.next = Math.max(lane.next, clock() + lane.interval);
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
  /** Whether the store ever gave this member a slot (a missing budget after that is a loss). */
  #granted = false;
  /** Bumped each time the store is back: fallback waits begun before it are retaken from the store. */
  #epoch = 0;
  /** Per command, when this member sent on its fallback in the last second. */
  #localSends = new Map();

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
    for (;;) {
      if (signal?.aborted) throw abortReason(signal);
      if (clock() < this.#downUntil) {
        if (await this.#local(command, signal)) return;
        continue;
      }
      const lane = this.#lane(command);
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
      if (at === FALLBACK) {
        if (await this.#local(command, signal)) return;
        continue;
      }
      if (typeof at === "object") {
        await sleep(at.retryAt - clock(), signal);
        continue;
      }
      try {
        await sleep(at - clock(), signal);
      } catch (e) {
        // The slot is still good for the next call of this command.
        lane.spare.push(at);
        throw e;
      }
      if (clock() - at <= LATE_MS) return;
    }
  }

  /**
   * A command's lane: its waiting calls, spare slots, whether a grant is
   * being asked for, and the slots owed for fallback sends.
   */
  #lane(command) {
    let lane = this.#lanes.get(command);
    if (!lane) this.#lanes.set(command, (lane = { waiting: [], spare: [], busy: false, debt: 0 }));
    return lane;
  }

  /**
   * Waits for a slot of the local fallback. False when the store came back
   * meanwhile: the call then takes a slot of the store instead (what the
   * fallback queued is never sent beside the store's budget). Sends made
   * this way are remembered for a second: the store is told of them when it
   * comes back.
   */
  async #local(command, signal) {
    const epoch = this.#epoch;
    await this.#fallback.acquire(command, { signal });
    if (epoch !== this.#epoch) return false;
    const sent = (this.#localSends.get(command) ?? []).filter((t) => t > clock() - 1000);
    sent.push(clock());
    this.#localSends.set(command, sent);
    return true;
  }

  penalize(command) {
    checkCommand(command);
    this.#fallback.penalize(command);
    if (clock() < this.#downUntil) return;
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
    let uncertain = 0;
    try {
      while (lane.waiting.length > 0) {
        if (clock() < this.#downUntil) {
          for (const w of lane.waiting.splice(0)) give(w, FALLBACK);
          break;
        }
        const count = Math.min(this.#batch, lane.waiting.length + lane.debt);
        const sent = clock();
        let answer;
        try {
          answer = readGrant(await this.#timed(command, count), this.#store, count);
        } catch (error) {
          // These calls, and those that come until retryAfterMs is over, are paced locally.
          this.#unavailable(error);
          for (const w of lane.waiting.splice(0)) give(w, FALLBACK);
          break;
        }
        const received = clock();
        if (this.#downUntil !== 0) {
          this.#downUntil = 0;
          this.#epoch++;
          // What this member sent on its fallback in the last second
          // counts against the store's budget: as many of its slots are
          // taken and left unused.
          for (const [c, sends] of this.#localSends) this.#lane(c).debt += sends.filter((t) => t > received - 1000).length;
          this.#localSends.clear();
          this.#emit({ type: "restored", store: this.#store });
        }
        if (answer.fresh && this.#granted) {
          // The store had no budget for a command this member has used:
          // its state was lost. It started again after the horizon.
          this.#emit({ type: "reset", store: this.#store, command });
        }
        if (answer.granted === 0) {
          // The store's slots reach past half the horizon: the waiting calls
          // ask again when they no longer do, each on its own timer (in a
          // Worker, a timer belongs to the request that set it).
          const retryAt = received + Math.max(1, answer.waitMs - HORIZON_MS / 2);
          for (const w of lane.waiting.splice(0)) give(w, { retryAt });
          break;
        }
        this.#granted = true;
        let first = this.#localTime(answer, sent, received);
        if (first === undefined) {
          // Too uncertain where these slots lie: left unused, new ones asked
          // for; after a few, placed at the latest time they can be (the
          // store read its clock before we read its answer), so never early.
          if (uncertain++ < MAX_UNCERTAIN) continue;
          first = received + answer.waitMs;
        }
        uncertain = 0;
        // Slots owed for fallback sends are taken first, and not used.
        const owed = Math.min(lane.debt, answer.granted);
        lane.debt -= owed;
        for (let i = owed; i < answer.granted; i++) {
          const at = first + i * this.#intervalMs;
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
    if (answer.nowMs === undefined) return received - sent <= LATE_MS ? received + answer.waitMs : undefined;
    const err = (received - sent) / 2;
    const c = this.#clock;
    if (!c || err <= c.err + (received - c.at) * 1e-4) this.#clock = { offset: answer.nowMs - (sent + received) / 2, err, at: received };
    if (this.#clock.err > LATE_MS / 2) return undefined;
    return answer.nowMs + answer.waitMs - this.#clock.offset;
  }

  #unavailable(error) {
    const first = this.#downUntil === 0;
    this.#downUntil = clock() + this.#retryAfterMs;
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

/**
 * A store's answer: `[waitUs, nowUs, granted, fresh]` from Redis (or the
 * first two only, or a wait in µs alone, from a custom `eval`), or
 * `{ waitMs, nowMs, granted, fresh }`. An answer that does not say how many
 * slots it granted granted all `count`.
 */
function readGrant(raw, store, count) {
  let answer;
  if (Array.isArray(raw)) answer = { waitMs: Number(raw[0]) / 1000, nowMs: Number(raw[1]) / 1000, granted: raw[2], fresh: raw[3] };
  else if (raw !== null && typeof raw === "object") answer = { waitMs: Number(raw.waitMs), nowMs: Number(raw.nowMs), granted: raw.granted, fresh: raw.fresh };
  else answer = { waitMs: Number(raw) / 1000, nowMs: undefined };
  answer.granted = answer.granted === undefined || answer.granted === null ? count : Number(answer.granted);
  answer.fresh = Number(answer.fresh ?? 0) === 1 || answer.fresh === true;
  if (!(answer.waitMs >= 0) || !(answer.nowMs === undefined || Number.isFinite(answer.nowMs)) || !Number.isInteger(answer.granted) || answer.granted < 0 || answer.granted > count) {
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
  const now = clock();
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
 * Grants up to `ARGV[1]` slots of one command (0: hold it back for ARGV[3]
 * µs) spaced `ARGV[2]` µs apart from the server's clock, never more than
 * `ARGV[4]` µs (the horizon) ahead of it (none while the next free one is
 * more than half of it ahead; at most half of it in one grant); returns the wait in µs before the
 * first, the server's clock (µs), how many it granted, and 1 when the key
 * was missing (first use in a day, or the budget was lost: then it starts
 * after the horizon, past every slot still pending). The key holds when the
 * next free slot is (µs).
 */
export const REDIS_SCRIPT = `
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local horizon = tonumber(ARGV[4])
local stored = redis.call('GET', KEYS[1])
local fresh = 0
local free
if stored then
  free = math.max(tonumber(stored), now)
else
  fresh = 1
  free = now + horizon
end
local count = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local wait = free - now
local granted = 0
if count == 0 then
  free = math.max(free, now + tonumber(ARGV[3]))
else
  if free <= now + horizon / 2 then
    granted = math.max(1, math.min(count, math.floor(horizon / 2 / interval)))
  end
  free = free + granted * interval
end
redis.call('SET', KEYS[1], string.format('%.0f', free), 'PX', ${KEEP_MS})
return {math.floor(wait), now, granted, fresh}
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
        run(REDIS_SCRIPT, [`${prefix}:${app}:${command}`], [String(count), String(Math.round(intervalMs * 1000)), String(PAUSE_MS * 1000), String(HORIZON_MS * 1000)]),
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
          body: JSON.stringify({ command, count, intervalMs, pauseMs: PAUSE_MS, horizonMs: HORIZON_MS }),
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
 * Each command's next free slot is kept in memory and in `state.storage`,
 * so an object evicted while idle picks up where it was; an object whose
 * storage has nothing (first use, or storage lost) starts after the
 * horizon, past every slot still pending, like the Redis script.
 */
export class RateLimiterDurableObject {
  #next = new Map();
  #storage;

  constructor(state, env) {
    void env;
    this.#storage = state?.storage;
  }

  async fetch(request) {
    let body;
    try {
      body = await request.json();
    } catch {
      return new Response("a JSON body is required", { status: 400 });
    }
    const { command, count, intervalMs, pauseMs, horizonMs = HORIZON_MS } = body ?? {};
    if (typeof command !== "string" || !Number.isInteger(count) || count < 0 || count > 1000 || !(intervalMs > 0) || !(pauseMs >= 0) || !(horizonMs >= 0 && horizonMs <= 60_000)) {
      return new Response("expected { command, count, intervalMs, pauseMs, horizonMs? }", { status: 400 });
    }
    let stored = this.#next.get(command);
    if (stored === undefined && this.#storage) stored = await this.#storage.get(`next:${command}`);
    const now = Date.now();
    const fresh = typeof stored !== "number";
    let free = fresh ? now + horizonMs : Math.max(stored, now);
    const waitMs = free - now;
    let granted = 0;
    if (count === 0) free = Math.max(free, now + pauseMs);
    else {
      if (free <= now + horizonMs / 2) granted = Math.max(1, Math.min(count, Math.floor(horizonMs / 2 / intervalMs)));
      free += granted * intervalMs;
    }
    this.#next.set(command, free);
    // Not awaited: the output gate holds the answer until it is stored.
    this.#storage?.put(`next:${command}`, free);
    return Response.json({ waitMs, nowMs: now, granted, fresh });
  }
}
