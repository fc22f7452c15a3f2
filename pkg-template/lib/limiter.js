// Rate limiters for the client's `rateLimiter` option. The service allows
// 200 calls a second per command for a whole app, not per process: a fleet
// of clients must share one budget, kept in a store every member reaches.
//
// Every shared limiter here hands out send times ("slots") spaced one
// interval apart per command, reserved from the store's clock: Redis's
// `TIME` in a Lua script, or the clock of one Durable Object. The store
// answers with how long to wait (relative, so the clocks of the members
// never meet), and a member that has several calls waiting asks for that
// many slots in one round trip (at least `batch`, more when the store is
// far away). Each member registers with the store on every round trip, so
// every member knows how many share the budget. If the store cannot be
// reached within `timeoutMs`, the limiter reports it (`onEvent`) and paces
// with its share of half the budget's margin until it tries the store again
// `retryAfterMs` later: no call hangs or is lost, and the fallbacks of the
// whole fleet fit in the margin the store's slots leave.

const DEFAULT_RATE = 200;
const DEFAULT_MARGIN = 0.07;
/**
 * A shared limiter's margin: half of it for what no limiter controls (a
 * call that leaves up to LATE_MS after its slot, a process that stalls
 * between its slot and the wire, network jitter: measured on a loaded
 * 2-core machine, a fleet's first second reached 201 arrivals in a window
 * on 186 slots), half for the fallback of members cut off from the store.
 */
const SHARED_MARGIN = 0.1;
/**
 * A slot this late is not used: a call sent that late would bunch up with
 * the fleet's later slots (a busy event loop fires its timers late). The
 * call takes a new slot instead, as often as it takes: no call is ever sent
 * at a time the store did not give it.
 */
const LATE_MS = 20;
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
/** A member that has not asked the store for this long no longer counts as one of the fleet. */
const MEMBER_TTL_MS = 10_000;
/**
 * Before a member has heard from the store how many members there are, its
 * fallback is this share of the margin (unless `fallbackRequestsPerSecond`
 * says otherwise): up to this many members cut off from the store since
 * their start stay within the margin beside the others' slots.
 */
const UNKNOWN_FLEET = 4;

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

/**
 * Waits `ms` by this process's clock, or rejects with the signal's reason
 * when it aborts first. A timer can fire early (Node counts from the start
 * of the event loop's turn: measured 3 ms early): the rest is waited out,
 * so a call never leaves before its time.
 */
function sleep(ms, signal) {
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  if (!(ms > 0)) return Promise.resolve();
  const end = clock() + ms;
  return new Promise((resolve, reject) => {
    let timer;
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    const wake = () => {
      const left = end - clock();
      if (left > 0) return void (timer = setTimeout(wake, left));
      signal?.removeEventListener("abort", onAbort);
      resolve();
    };
    timer = setTimeout(wake, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Takes the next place in `queue` (`{ next }`: when its next call may go),
 * `intervalMs` after the place before, and waits for it. An abort rejects
 * with its reason and gives the place back when it was the last one taken.
 */
async function takeTurn(queue, intervalMs, signal) {
  const now = clock();
  const at = Math.max(queue.next, now);
  queue.next = at + intervalMs;
  const end = queue.next;
  try {
    await sleep(at - now, signal);
  } catch (e) {
    if (queue.next === end) queue.next = at;
    throw e;
  }
}

/**
 * The client's own pacing as a limiter object, for one process: each
 * command's calls leave one interval apart (at `maxRequestsPerSecond` less
 * `margin`); `penalize` halves the command's rate (down to 1/16), and each
 * call let through wins back 5 %.
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
    const interval = lane.interval;
    lane.interval = Math.max(this.#base, lane.interval / 1.05);
    await takeTurn(lane, interval, signal);
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
 * Given to a waiting call instead of a slot: it makes the next round trip
 * itself. In a Worker, I/O belongs to the request that made it and is cut
 * off when that request ends; a round made for others by a request that
 * has its own slot (and may already have answered) could be cut off and
 * leave them hung, so every round is made by a request still waiting for it.
 */
const NEXT_ROUND = Symbol("next round");
/**
 * A waiting call keeps a timer of its own, so that no request is left with
 * nothing pending (workerd cancels such a request as hung). When the timer
 * finds the lane's round older than this (the request making it was
 * cancelled, and its I/O with it), the call makes a round itself.
 */
const watchdogMs = (timeoutMs) => 2 * timeoutMs + 100;
/**
 * In a Worker, a waiting call is not woken by the round trip that gives it
 * its slot, which another request may have made: its own timer looks for
 * the slot, first after POLL_MS and then as often as its place in the line
 * needs (the k-th waiting call's slot is at least k intervals away; it looks
 * twice in that time, at most every POLL_CAP_MS). A promise settled from
 * another request resumes its awaiter in that request's turn, and the
 * client's wasm tasks woken there run there too: measured in workerd, a
 * kept client's calls then ran on as I/O of requests that had answered,
 * and every later call of the isolate hung.
 */
const POLL_MS = typeof navigator === "object" && navigator?.userAgent === "Cloudflare-Workers" ? 5 : 0;
const POLL_CAP_MS = 200;

/** A random name for this member in the store's list of members. */
function memberId() {
  if (typeof crypto === "object" && typeof crypto?.randomUUID === "function") return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

/**
 * What the Redis and Durable Object limiters share: per command a queue of
 * waiting calls, one grant request in flight that asks the store for as
 * many slots as calls wait, the timeout, and the fallback.
 */
class SharedRateLimiter {
  #grant;
  #store;
  #rate;
  #margin;
  #intervalMs;
  #batch;
  #timeoutMs;
  #retryAfterMs;
  #onEvent;
  /** The fallback's interval (ms) in the current outage, set when it begins. */
  #fallbackMs;
  #fallbackCap;
  #downUntil = 0;
  #lanes = new Map();
  #id = memberId();
  /** How many members the store last said share the budget (0: not heard yet). */
  #members = 0;
  /** The store's clock less ours, from the fastest round trip: `{ offset, err, at }`. */
  #clock = null;
  /** A smoothed round-trip time to the store, in ms (0: none yet). */
  #rttMs = 0;
  /** Whether the "slow" event was sent (once per limiter). */
  #slowSaid = false;
  /** Bumped each time the store is back: fallback waits begun before it are retaken from the store. */
  #epoch = 0;

  constructor(store, grant, o) {
    this.#store = store;
    this.#grant = grant;
    this.#rate = number(o, "maxRequestsPerSecond", DEFAULT_RATE, 0.01, 1e6);
    this.#margin = number(o, "margin", SHARED_MARGIN, 0, 0.5);
    this.#intervalMs = 1000 / (this.#rate * (1 - this.#margin));
    this.#batch = Math.floor(number(o, "batch", 20, 1, 1000));
    this.#timeoutMs = number(o, "timeoutMs", 1000, 1, 60_000);
    this.#retryAfterMs = number(o, "retryAfterMs", 5000, 100, 3_600_000);
    this.#fallbackCap = number(o, "fallbackRequestsPerSecond", undefined, 0.01, 1e6);
    this.#fallbackMs = 1000 / this.fallbackRequestsPerSecond;
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

  /**
   * This member's fallback pace, per command: its share of half the margin
   * the store's slots leave (`maxRequestsPerSecond × margin / 2`, 10/s by
   * default; the other half absorbs timing jitter), split among the members
   * the store last counted (a member that never heard counts
   * UNKNOWN_FLEET), and at most `fallbackRequestsPerSecond`. So the fleet's
   * fallbacks and the store's slots together stay within the budget whether
   * the store is down for all or one member is cut off.
   */
  get fallbackRequestsPerSecond() {
    const share = Math.max(0.01, (this.#rate * this.#margin) / 2 / (this.#members || UNKNOWN_FLEET));
    return Math.min(share, this.#fallbackCap ?? Infinity);
  }

  async acquire(command, { signal } = {}) {
    checkCommand(command);
    let makeRound = false;
    for (;;) {
      const lane = this.#lane(command);
      if (signal?.aborted) {
        // The round this call was to make is made without it.
        if (makeRound) setTimeout(() => this.#pump(command, lane), 0);
        throw abortReason(signal);
      }
      if (!makeRound && clock() < this.#downUntil) {
        if (await this.#local(command, signal)) return;
        continue;
      }
      let at = makeRound ? undefined : takeSpare(lane);
      if (at === undefined) {
        at = await new Promise((resolve, reject) => {
          const waiter = { resolve, reject, signal, onAbort: null, timer: null, given: undefined, ticket: lane.tickets++ };
          if (signal) {
            waiter.onAbort = () => {
              clearTimeout(waiter.timer);
              // A slot given but not yet taken is good for the next call;
              // a round it was to make is made without it.
              if (typeof waiter.given === "number") lane.spare.push(waiter.given);
              else if (waiter.given === NEXT_ROUND) setTimeout(() => this.#pump(command, lane), 0);
              const i = lane.waiting.indexOf(waiter);
              if (i >= 0) lane.waiting.splice(i, 1);
              reject(abortReason(signal));
            };
            signal.addEventListener("abort", waiter.onAbort, { once: true });
          }
          const tick = () => {
            if (waiter.given !== undefined) return settle(waiter, waiter.given);
            if (clock() - lane.roundAt >= watchdogMs(this.#timeoutMs)) {
              const i = lane.waiting.indexOf(waiter);
              if (i >= 0) lane.waiting.splice(i, 1);
              return settle(waiter, NEXT_ROUND);
            }
            waiter.timer = setTimeout(tick, this.#pollMs(lane, waiter));
          };
          waiter.timer = setTimeout(tick, this.#pollMs(lane, waiter));
          lane.waiting.push(waiter);
          if (!lane.busy || makeRound) {
            makeRound = false;
            // Started by a timer, so that the calls made in this burst of
            // synchronous work (and its microtasks) share one round trip,
            // and the request leaves when its time is taken, not after them.
            lane.busy = true;
            lane.roundAt = clock();
            setTimeout(() => this.#pump(command, lane), 0);
          }
        });
      }
      if (at === NEXT_ROUND) {
        // This call makes the next round trip, from its own request, and
        // waits for it (no spare slot: the request must outlive the round).
        makeRound = true;
        continue;
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

  /** How long a waiting call's timer waits before it looks again. */
  #pollMs(lane, waiter) {
    if (!POLL_MS) return watchdogMs(this.#timeoutMs);
    const ahead = waiter.ticket - (lane.waiting[0]?.ticket ?? waiter.ticket);
    return Math.min(POLL_CAP_MS, Math.max(POLL_MS, (ahead * this.#intervalMs) / 2));
  }

  /**
   * A command's lane: its waiting calls, spare slots, whether a grant is
   * being asked for, the slots owed for fallback sends, the fallback's
   * queue (`next`, and `sends`: when it sent in the last second), and
   * whether the store ever granted this command (a missing budget after
   * that is a loss).
   */
  #lane(command) {
    let lane = this.#lanes.get(command);
    if (!lane) this.#lanes.set(command, (lane = { waiting: [], spare: [], busy: false, roundAt: 0, tickets: 0, debt: 0, local: { next: 0, sends: [] }, granted: false }));
    return lane;
  }

  /**
   * Waits for a slot of the local fallback (one `#fallbackMs` apart per
   * command). False, without sending, when the store is to be tried again
   * first (`retryAfterMs` is over: each call waits on its own timer, so in a
   * Worker it fires within the request that waits) or came back meanwhile:
   * the call then takes a slot of the store instead, so what the fallback
   * queued is never sent beside the store's budget. Sends made this way are
   * remembered for a second: the store is told of them when it comes back.
   */
  async #local(command, signal) {
    const epoch = this.#epoch;
    const { local } = this.#lane(command);
    if (Math.max(local.next, clock()) >= this.#downUntil) {
      await sleep(this.#downUntil - clock(), signal);
      return false;
    }
    await takeTurn(local, this.#fallbackMs, signal);
    if (epoch !== this.#epoch) return false;
    const now = clock();
    local.sends = local.sends.filter((t) => t > now - 1000);
    local.sends.push(now);
    return true;
  }

  penalize(command) {
    checkCommand(command);
    if (clock() < this.#downUntil) {
      // Paced locally: this process holds the command back for a second.
      const { local } = this.#lane(command);
      local.next = Math.max(local.next, clock() + PAUSE_MS);
      return;
    }
    // Every member holds back the command for a second; failures are ignored.
    this.#timed(command, 0, 0).catch(() => {});
  }

  #timed(command, count, leadMs) {
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${this.#store} did not answer within ${this.#timeoutMs} ms`)), this.#timeoutMs);
    });
    let asked;
    try {
      asked = Promise.resolve(this.#grant({ command, count, intervalMs: this.#intervalMs, leadMs, member: this.#id }));
    } catch (e) {
      asked = Promise.reject(e);
    }
    return Promise.race([asked, timeout]).finally(() => clearTimeout(timer));
  }

  async #pump(command, lane) {
    let handedOn = false;
    try {
      while (lane.waiting.length > 0) {
        if (clock() < this.#downUntil) {
          for (const w of lane.waiting.splice(0)) give(w, FALLBACK);
          break;
        }
        // A far store needs more slots per round trip to keep up: as many
        // as the fleet spends in one and a half round trips (the store
        // caps a grant at half its horizon).
        const wanted = Math.max(this.#batch, Math.ceil((1.5 * this.#rttMs) / this.#intervalMs));
        const count = Math.min(wanted, lane.waiting.length + lane.debt);
        // The first slot must lie far enough ahead to be still good when
        // the answer arrives (half a round trip later, and some).
        // (In a Worker, and the time its call's timer takes to see it.)
        const leadMs = Math.min(HORIZON_MS / 2, Math.ceil(this.#rttMs) + POLL_MS);
        const sent = clock();
        lane.roundAt = sent;
        let answer;
        try {
          answer = readGrant(await this.#timed(command, count, leadMs), this.#store, count);
        } catch (error) {
          // These calls, and those that come until retryAfterMs is over, are paced locally.
          this.#unavailable(error);
          for (const w of lane.waiting.splice(0)) give(w, FALLBACK);
          break;
        }
        const received = clock();
        this.#roundTrip(received - sent);
        if (answer.members > 0) this.#members = answer.members;
        if (this.#downUntil !== 0) {
          this.#downUntil = 0;
          this.#epoch++;
          // What this member sent on its fallback in the last second
          // counts against the store's budget: as many of its slots are
          // taken and left unused.
          for (const l of this.#lanes.values()) {
            l.debt += l.local.sends.filter((t) => t > received - 1000).length;
            l.local.sends = [];
          }
          this.#emit({ type: "restored", store: this.#store });
        }
        if (answer.fresh && lane.granted) {
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
        lane.granted = true;
        const first = this.#localTime(answer, sent, received);
        // Slots owed for fallback sends are taken first, and not used.
        const owed = Math.min(lane.debt, answer.granted);
        lane.debt -= owed;
        for (let i = owed; i < answer.granted; i++) {
          const at = first + i * this.#intervalMs;
          const w = lane.waiting.shift();
          if (w) give(w, at);
          else lane.spare.push(at);
        }
        if (lane.waiting.length > 0) {
          // The next round is made by the first call still waiting (NEXT_ROUND).
          handedOn = true;
          lane.roundAt = clock();
          give(lane.waiting.shift(), NEXT_ROUND);
          return;
        }
      }
    } finally {
      if (!handedOn) lane.busy = false;
    }
  }

  /**
   * Keeps a smoothed round-trip time; says once (event "slow") when the
   * store is so far that one round trip at a time cannot keep up with the
   * budget: a grant spans at most half the horizon.
   */
  #roundTrip(ms) {
    this.#rttMs = this.#rttMs === 0 ? ms : 0.8 * this.#rttMs + 0.2 * ms;
    const perRoundTrip = Math.max(1, Math.floor(HORIZON_MS / 2 / this.#intervalMs));
    // Both this round trip and the smoothed ones: one stall of this process is no far store.
    const most = (perRoundTrip * 1000) / Math.max(Math.min(this.#rttMs, ms), this.#intervalMs);
    if (!this.#slowSaid && most < 1000 / this.#intervalMs) {
      this.#slowSaid = true;
      this.#emit({ type: "slow", store: this.#store, roundTripMs: Math.round(this.#rttMs), maxRequestsPerSecond: Math.floor(most) });
    }
  }

  /**
   * When, by this process's clock, the first slot of `answer` is.
   *
   * The store says its clock (`nowMs`) and how long after that the slot is.
   * Its clock was read somewhere between our sending and our reading the
   * answer; the offset between the clocks is taken from the fastest recent
   * round trip (its error grows 0.1 ms a second, for drift), at its middle.
   * A process that stalls before its request leaves or before it reads the
   * answer then still places the slots right, and the members' clocks never
   * need to agree. A store far away places them as well as its paths are
   * symmetric: every slot of a member moves by the same amount, so its
   * slots never bunch. A store that does not say its clock (a custom `eval`
   * function that answers only the wait) gets the latest time the slot can
   * be (the store read its clock before we read the answer): never early.
   */
  #localTime(answer, sent, received) {
    if (answer.nowMs === undefined) return received + answer.waitMs;
    const err = (received - sent) / 2;
    const c = this.#clock;
    if (!c || err <= c.err + (received - c.at) * 1e-4) this.#clock = { offset: answer.nowMs - (sent + received) / 2, err, at: received };
    return answer.nowMs + answer.waitMs - this.#clock.offset;
  }

  #unavailable(error) {
    const first = this.#downUntil === 0;
    this.#downUntil = clock() + this.#retryAfterMs;
    if (!first) return;
    // Each outage paces at the share the fleet had when it began.
    const rate = this.fallbackRequestsPerSecond;
    this.#fallbackMs = 1000 / rate;
    const message = error instanceof Error ? error.message : String(error);
    const event = { type: "unavailable", store: this.#store, message, error, fallbackRequestsPerSecond: rate, members: this.#members || undefined, retryAfterMs: this.#retryAfterMs };
    if (this.#onEvent) this.#emit(event);
    else console.warn(`tim-recentcontact: the ${this.#store} rate limiter is unavailable (${message}); pacing at ${rate.toFixed(2)} calls/s per command in this process (its share of half the margin), trying again in ${this.#retryAfterMs} ms`);
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
 * A store's answer: `[waitUs, nowUs, granted, fresh, members]` from Redis
 * (or the first two only, or a wait in µs alone, from a custom `eval`), or
 * `{ waitMs, nowMs, granted, fresh, members }`. An answer that does not say
 * how many slots it granted granted all `count`.
 */
function readGrant(raw, store, count) {
  let answer;
  if (Array.isArray(raw)) answer = { waitMs: Number(raw[0]) / 1000, nowMs: Number(raw[1]) / 1000, granted: raw[2], fresh: raw[3], members: raw[4] };
  else if (raw !== null && typeof raw === "object") answer = { waitMs: Number(raw.waitMs), nowMs: Number(raw.nowMs), granted: raw.granted, fresh: raw.fresh, members: raw.members };
  else answer = { waitMs: Number(raw) / 1000, nowMs: undefined };
  answer.granted = answer.granted === undefined || answer.granted === null ? count : Number(answer.granted);
  answer.fresh = Number(answer.fresh ?? 0) === 1 || answer.fresh === true;
  answer.members = Number(answer.members ?? 0);
  if (
    !(answer.waitMs >= 0) ||
    !(answer.nowMs === undefined || Number.isFinite(answer.nowMs)) ||
    !Number.isInteger(answer.granted) ||
    answer.granted < 0 ||
    answer.granted > count ||
    !(Number.isInteger(answer.members) && answer.members >= 0)
  ) {
    throw new Error(`${store} answered ${describe(raw)} instead of a wait`);
  }
  return answer;
}

/** Gives a waiting call its slot (or FALLBACK, NEXT_ROUND, a retry time): at once, or (in a Worker) for its own timer to take. */
function give(waiter, at) {
  if (POLL_MS) waiter.given = at;
  else settle(waiter, at);
}

/** Ends a call's wait (in a Worker, from its own timer: in its own request). */
function settle(waiter, at) {
  clearTimeout(waiter.timer);
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
 * µs) spaced `ARGV[2]` µs apart from the server's clock, the first at least
 * `ARGV[5]` µs ahead (the member's round trip), never more than `ARGV[4]`
 * µs (the horizon) ahead of the clock (none while the next free one is more
 * than half of it ahead; at most half of it in one grant). Registers member
 * `ARGV[6]` in the sorted set `KEYS[2]` (members seen in the last `ARGV[7]`
 * µs). Returns the wait in µs before the first, the server's clock (µs), how
 * many it granted, 1 when the budget was missing (first use in a day, or it
 * was lost: then it starts after the horizon, past every slot still
 * pending), and how many members there are. `KEYS[1]` holds when the next
 * free slot is (µs); both keys hash to one Redis Cluster slot.
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
if count > 0 then free = math.max(free, now + math.min(tonumber(ARGV[5]), horizon / 2)) end
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
local ttl = tonumber(ARGV[7])
redis.call('ZADD', KEYS[2], now, ARGV[6])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - ttl)
redis.call('PEXPIRE', KEYS[2], math.ceil(ttl / 1000))
return {math.floor(wait), now, granted, fresh, redis.call('ZCARD', KEYS[2])}
`;

/** The script's SHA-1 in hex (what `EVALSHA` names it by), computed once. */
let scriptSha;
function redisScriptSha() {
  scriptSha ??= crypto.subtle.digest("SHA-1", new TextEncoder().encode(REDIS_SCRIPT)).then((d) => Array.from(new Uint8Array(d), (b) => b.toString(16).padStart(2, "0")).join(""));
  return scriptSha;
}

const noScript = (e) => /NOSCRIPT/i.test(e instanceof Error ? e.message : String(e));

/**
 * `(keys, args) => Promise` running REDIS_SCRIPT with the user's Redis
 * client: by its SHA-1 (`EVALSHA`, a few bytes a round trip) where the
 * client has it, and with the whole script (`EVAL`, which also loads it)
 * when the server says it does not know it (`NOSCRIPT`: a new server, a
 * flush, another node of a cluster). A function given instead of a client
 * is called as `(script, keys, args)`, like `EVAL`.
 */
function evaluator(redis) {
  if (typeof redis === "function") return (keys, args) => redis(REDIS_SCRIPT, keys, args);
  if (redis === null || typeof redis !== "object") throw invalid("redis", `must be a client of redis (node-redis), ioredis or @upstash/redis, or a function (script, keys, args) => Promise, received ${describe(redis)}`);
  if (typeof redis.eval !== "function") throw invalid("redis", "has no eval method: give a client of redis (node-redis), ioredis or @upstash/redis, or a function (script, keys, args) => Promise");
  let evalScript, evalSha;
  if (typeof redis.defineCommand === "function") {
    // ioredis (and its Cluster): eval(script, numberOfKeys, ...keys, ...args)
    evalScript = (keys, args) => redis.eval(REDIS_SCRIPT, keys.length, ...keys, ...args);
    if (typeof redis.evalsha === "function") evalSha = (sha, keys, args) => redis.evalsha(sha, keys.length, ...keys, ...args);
  } else if (typeof redis.sendCommand === "function") {
    // node-redis (and its cluster): eval(script, { keys, arguments })
    evalScript = (keys, args) => redis.eval(REDIS_SCRIPT, { keys, arguments: args });
    if (typeof redis.evalSha === "function") evalSha = (sha, keys, args) => redis.evalSha(sha, { keys, arguments: args });
  } else {
    // @upstash/redis: eval(script, keys, args)
    evalScript = (keys, args) => redis.eval(REDIS_SCRIPT, keys, args);
    if (typeof redis.evalsha === "function") evalSha = (sha, keys, args) => redis.evalsha(sha, keys, args);
  }
  if (!evalSha || typeof crypto !== "object" || !crypto?.subtle) return evalScript;
  return async (keys, args) => {
    try {
      return await evalSha(await redisScriptSha(), keys, args);
    } catch (e) {
      if (!noScript(e)) throw e;
      return evalScript(keys, args);
    }
  };
}

/**
 * The key of a command's member list: the budget's key inside a Redis
 * Cluster hash tag, or after it when the budget's key has a tag itself, so
 * that the script's two keys live in one slot.
 */
function membersKey(key) {
  const open = key.indexOf("{");
  const close = open < 0 ? -1 : key.indexOf("}", open + 1);
  if (close > open + 1) return `${key}:members`;
  return `{${key}}:members`;
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
    if (prefix.includes("}") && !/\{[^}]+\}/.test(prefix.slice(0, prefix.indexOf("}") + 1))) {
      throw invalid("keyPrefix", `may hold "}" only to close a Redis Cluster hash tag like "{tim}", received ${JSON.stringify(prefix)}`);
    }
    super(
      "Redis",
      ({ command, count, intervalMs, leadMs, member }) => {
        const key = `${prefix}:${app}:${command}`;
        const us = (ms) => String(Math.round(ms * 1000));
        return run([key, membersKey(key)], [String(count), us(intervalMs), us(PAUSE_MS), us(HORIZON_MS), us(leadMs), member, us(MEMBER_TTL_MS)]);
      },
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
    super(
      "Durable Object",
      async ({ command, count, intervalMs, leadMs, member }) => {
        // A stub per round trip, made in the request that makes it: a stub
        // kept from another request (a limiter kept in a Worker's global
        // scope) is that request's I/O, and a call through it after that
        // request ended could hang. (A new stub is cheap; a broken one,
        // whose object threw or was reset, is never reused.)
        const stub = namespace.get(namespace.idFromName(`tim-recentcontact:${app}`));
        const res = await stub.fetch("https://rate-limiter.invalid/grant", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ command, count, intervalMs, leadMs, member, pauseMs: PAUSE_MS, horizonMs: HORIZON_MS }),
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
 * Worker and bind it (docs/fleet.md).
 * Each command's next free slot is kept in memory and in `state.storage`,
 * so an object evicted while idle picks up where it was; an object whose
 * storage has nothing (first use, or storage lost) starts after the
 * horizon, past every slot still pending, like the Redis script.
 */
export class RateLimiterDurableObject {
  #next = new Map();
  /** Per command, when each member last asked (members seen in the last MEMBER_TTL_MS count). */
  #members = new Map();
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
    const { command, count, intervalMs, pauseMs, horizonMs = HORIZON_MS, leadMs = 0, member } = body ?? {};
    if (
      typeof command !== "string" ||
      !Number.isInteger(count) ||
      count < 0 ||
      count > 1000 ||
      !(intervalMs > 0) ||
      !(pauseMs >= 0) ||
      !(horizonMs >= 0 && horizonMs <= 60_000) ||
      !(leadMs >= 0) ||
      !(member === undefined || (typeof member === "string" && member.length <= 100))
    ) {
      return new Response("expected { command, count, intervalMs, pauseMs, horizonMs?, leadMs?, member? }", { status: 400 });
    }
    let stored = this.#next.get(command);
    if (stored === undefined && this.#storage) stored = await this.#storage.get(`next:${command}`);
    const now = Date.now();
    const fresh = typeof stored !== "number";
    let free = fresh ? now + horizonMs : Math.max(stored, now);
    if (count > 0) free = Math.max(free, now + Math.min(leadMs, horizonMs / 2));
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
    return Response.json({ waitMs, nowMs: now, granted, fresh, members: this.#register(command, member, now) });
  }

  /** Notes `member` as seen now and answers how many members asked for `command` lately. */
  #register(command, member, now) {
    let seen = this.#members.get(command);
    if (!seen) this.#members.set(command, (seen = new Map()));
    if (member !== undefined) {
      seen.delete(member);
      seen.set(member, now);
    }
    // Oldest first (a member is re-inserted when it asks): drop the stale ones.
    for (const [m, at] of seen) {
      if (at > now - MEMBER_TTL_MS) break;
      seen.delete(m);
    }
    return seen.size;
  }
}
