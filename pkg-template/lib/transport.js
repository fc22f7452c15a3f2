// One HTTP attempt in one crossing from the wasm core: fetch (the injected
// one or the global), the attempt's timeout and the call's abort (the
// signal's watch, signal.js: the attempt is registered there while it runs
// and removed when it ends; both abort the request), the
// status, Retry-After on a refusal, and the body read under its byte cap.
// It never throws and ends every attempt exactly once — at the latest when
// the timeout fires — by calling the core's `settle` with the attempt's
// ticket and what came of it (a plain object, spread into arguments):
//   { status, body: Uint8Array, retryAfterMs? }
//   { fail: "timeout" | "aborted" | "too-large" | "network" | "not-sent", error? }
// Everything it reads of a user-supplied object (the fetch, its Response,
// the body stream) is inside try/catch: a throwing getter or a Proxy is a
// "network" failure with what was thrown as `error`, never an exception.

import { watchSignal } from "./signal.js";
import { USER_AGENT } from "./options.js";

export const HEADERS = { "Content-Type": "application/json", "User-Agent": USER_AGENT };

function ignore() {}

function settleQuietly(p) {
  try {
    if (p && typeof p.then === "function") Promise.resolve(p).then(ignore, ignore);
  } catch {
    // a hostile thenable: nothing to wait for
  }
}

function broken(message) {
  return { fail: "network", error: new Error(message) };
}

function retryAfter(res) {
  try {
    const value = res.headers.get("retry-after");
    if (typeof value !== "string") return undefined;
    const v = value.trim();
    if (/^\d+$/.test(v)) return Number(v) * 1000;
    const at = Date.parse(v);
    return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
  } catch {
    return undefined;
  }
}

const encoder = new TextEncoder();

// A body is copied, chunk by chunk as it arrives, into scratch memory that
// the next attempt reuses: a new buffer over 64 bytes is an allocation
// outside V8's heap, about a microsecond (a twentieth of a small call).
// At most SCRATCH_KEPT buffers of at most SCRATCH_KEPT_BYTES are kept.
const SCRATCH_BYTES = 4096;
const SCRATCH_KEPT_BYTES = 65536;
const SCRATCH_KEPT = 4;
const scratch = [];
const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype);
const typedArrayName = Object.getOwnPropertyDescriptor(TypedArrayPrototype, Symbol.toStringTag).get;
const typedArrayLength = Object.getOwnPropertyDescriptor(TypedArrayPrototype, "length").get;
let inputRoom = null;
let memory = null;

/**
 * A method's argument as JSON for the core to read: short text as the
 * string (a string crosses character by character), long text written as
 * UTF-8 straight into room the core made for it (`__inputRoom`), returning
 * the count of bytes written. Room for one byte per character is tried
 * first (JSON is mostly ASCII), then for three.
 */
function encodeJson(value) {
  const text = JSON.stringify(value);
  if (text === undefined || text.length < 256) return text;
  let room = text.length;
  for (;;) {
    const at = inputRoom(room);
    // The buffer after inputRoom: making room may have grown the memory.
    const { read, written } = encoder.encodeInto(text, new Uint8Array(memory.buffer, at, room));
    if (read === text.length) return written;
    room = text.length * 3;
  }
}

// Errors that say the request was never written, so it never reached the
// service: Node's (undici's) codes for a refused connection, a failed DNS
// lookup, a connect timeout and a refused TLS certificate, on the error or
// any cause; Deno's "client error (Connect)" (refused, DNS, TLS handshake).
// Anything else — a reset, a closed socket, a runtime that says less
// (workerd) — may have carried the request: "network", ambiguous.
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EAI_NONAME", "EAI_NODATA", "EAI_FAIL", "EHOSTUNREACH", "ENETUNREACH",
  "EADDRNOTAVAIL", "UND_ERR_CONNECT_TIMEOUT", "CERT_HAS_EXPIRED", "DEPTH_ZERO_SELF_SIGNED_CERT", "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "ERR_TLS_CERT_ALTNAME_INVALID",
]);
const NOT_SENT_MESSAGE = /client error \(Connect\)/;

/** Whether a fetch failure shows the request was never written (read in try/catch, 5 causes deep). */
function neverSent(e) {
  try {
    for (let depth = 0; depth < 5 && e !== null && typeof e === "object"; depth++) {
      if (NOT_SENT_CODES.has(e.code)) return true;
      if (typeof e.message === "string" && NOT_SENT_MESSAGE.test(e.message)) return true;
      e = e.cause;
    }
  } catch {}
  return false;
}

/** A thrown value's message (and its cause's), for the core; never throws. */
function messageOf(e) {
  try {
    if (typeof e === "string") return e;
    const message = typeof e?.message === "string" ? e.message : "fetch failed";
    let cause;
    try {
      cause = e?.cause?.message;
    } catch {}
    return typeof cause === "string" && cause !== "" ? `${message} (${cause})` : message;
  } catch {
    return "fetch failed (an error that could not be read)";
  }
}

/** The core's numbers for how an attempt failed (0: it was answered). */
const FAILED = { timeout: 1, aborted: 2, "too-large": 3, network: 4, "not-sent": 5 };
const NO_BODY = new Uint8Array(0);

let settle = null;

/**
 * A Node or Bun timer kept for reuse (refresh() re-arms it): creating and
 * clearing a timer per attempt was 5-9 % of a single-item call's time
 * there. The attempt it serves is `fire`; none while it waits in the pool.
 */
class KeptTimer {
  constructor(ms) {
    this.ms = ms;
    this.fire = null;
    this.timer = setTimeout(() => {
      const fire = this.fire;
      this.fire = null;
      if (fire !== null) fire();
    }, ms);
  }
}

// Idle kept timers by length; a few lengths, a few timers each (a call's
// own timeoutMs may be any length: those past the bounds are cleared).
const keptTimers = new Map();
const KEPT_LENGTHS = 8;
const KEPT_PER_LENGTH = 32;
let reusable; // whether this runtime's timers can be refreshed, ref'd and unref'd (learned from the first)

/**
 * Calls `onTimeout` after `ms` unless `disarm` is called first; returns
 * what `disarm` takes. Where timers are numbers (Deno, workerd: there a
 * timer belongs to the request that set it) each attempt has its own.
 */
function arm(ms, onTimeout) {
  const idle = keptTimers.get(ms);
  let kept = idle === undefined ? undefined : idle.pop();
  if (kept === undefined) {
    if (reusable === false) return setTimeout(onTimeout, ms);
    kept = new KeptTimer(ms);
    if (reusable === undefined) {
      const t = kept.timer;
      reusable = t !== null && typeof t === "object" && typeof t.refresh === "function" && typeof t.ref === "function" && typeof t.unref === "function";
      if (!reusable) {
        clearTimeout(t);
        return setTimeout(onTimeout, ms);
      }
    }
  } else {
    kept.timer.refresh();
    kept.timer.ref();
  }
  // The timer may have been made by another attempt, and runs its callback
  // in that attempt's async context (AsyncLocalStorage, an OpenTelemetry
  // span): a timeout runs in this one's, as the reaction of a promise made here.
  new Promise((resolve) => (kept.fire = resolve)).then(onTimeout);
  return kept;
}

/** Stops what `arm` started (a kept timer goes back to the pool, unref'd: it never holds the process open). */
function disarm(t) {
  if (!(t instanceof KeptTimer)) return clearTimeout(t);
  t.fire = null;
  t.timer.unref();
  let idle = keptTimers.get(t.ms);
  if (idle === undefined) {
    if (keptTimers.size >= KEPT_LENGTHS) return clearTimeout(t.timer);
    keptTimers.set(t.ms, (idle = []));
  }
  if (idle.length >= KEPT_PER_LENGTH) return clearTimeout(t.timer);
  idle.push(t);
}

/**
 * `settleAttempt(ticket, outcome, status, body, retryAfterMs, error)`: the
 * core's end of an attempt; `room(len)` and `wasmMemory`: where encodeJson
 * writes a long argument.
 */
export function installTransport(setTransport, settleAttempt, room, wasmMemory) {
  settle = settleAttempt;
  inputRoom = room;
  memory = wasmMemory;
  setTransport(transport, encodeJson, watchSignal, messageOf);
}

function transport(fetchFn, url, body, timeoutMs, maxBytes, watch, ticket) {
  let done = false;
  let onAbort = null;
  let reader = null;
  let controller = null;
  let timer = null;
  const finish = (result, abort) => {
    if (done) return;
    done = true;
    if (timer !== null) disarm(timer);
    // Nothing of this attempt (its body, its reader) stays reachable from
    // the signal once it has ended.
    if (onAbort !== null) watch.delete(onAbort);
    if (abort) {
      if (reader) {
        try {
          settleQuietly(reader.cancel());
        } catch {}
      }
      try {
        controller.abort();
      } catch {}
    }
    try {
      settle(ticket, result.fail === undefined ? 0 : FAILED[result.fail], result.status ?? 0, result.body ?? NO_BODY, result.retryAfterMs ?? NaN, result.error);
    } catch {
      // Only a broken wasm instance throws here: nothing is left to tell.
    }
  };
  try {
    controller = new AbortController();
    // The call's signal: one listener per signal however many calls
    // share it; this attempt is in its set only while it runs.
    if (watch) {
      onAbort = () => finish({ fail: "aborted" }, true);
      if (watch.add(onAbort)) {
        onAbort = null;
        return finish({ fail: "aborted" }, false);
      }
    }
    timer = arm(timeoutMs, () => finish({ fail: "timeout" }, true));
    const init = { method: "POST", headers: HEADERS, body, signal: controller.signal };
    const started = fetchFn ? fetchFn(url, init) : fetch(url, init);
    Promise.resolve(started).then(
      async (res) => {
        try {
          if (done) return;
          const status = res === null || typeof res !== "object" ? undefined : res.status;
          if (typeof status !== "number") return finish(broken("fetch returned no Response"), true);
          // A Response's status is a whole number from 100 to 599.
          if (!Number.isInteger(status) || status < 100 || status > 599) {
            return finish(broken("fetch returned a Response whose status is not a whole number from 100 to 599"), true);
          }
          const retryAfterMs = status === 429 || status >= 500 ? retryAfter(res) : undefined;
          const stream = res.body;
          if (stream && typeof stream.getReader === "function") {
            reader = stream.getReader();
            if (!reader || typeof reader.read !== "function") return finish(broken("the body stream cannot be read"), true);
            let buf = null;
            let total = 0;
            for (;;) {
              const chunk = await reader.read();
              if (done) return;
              if (chunk.done) break;
              const value = chunk.value;
              // Read through the intrinsic getters (internal slots, no user
              // code): a look-alike — a Proxy of bytes, an object made from
              // Uint8Array.prototype — is refused.
              if (typedArrayName.call(value) !== "Uint8Array") return finish(broken("the body stream gave something other than bytes"), true);
              const n = typedArrayLength.call(value);
              if (total + n > maxBytes) return finish({ fail: "too-large" }, true);
              if (buf === null) buf = scratch.pop() ?? new Uint8Array(Math.max(SCRATCH_BYTES, n));
              if (total + n > buf.length) {
                const grown = new Uint8Array(Math.max(2 * buf.length, total + n));
                grown.set(buf.subarray(0, total));
                buf = grown;
              }
              // Copied now: the chunk's buffer changed later cannot reach the core.
              buf.set(value, total);
              total += n;
            }
            finish({ status, body: buf?.subarray(0, total), retryAfterMs }, false);
            // The core copied the body during finish: the scratch is free again.
            if (buf !== null && buf.length <= SCRATCH_KEPT_BYTES && scratch.length < SCRATCH_KEPT) scratch.push(buf);
            return;
          }
          if (typeof res.text !== "function") return finish(broken("fetch returned no Response"), true);
          const text = await res.text();
          if (done) return;
          if (typeof text !== "string") return finish(broken("Response.text() gave no string"), true);
          // A UTF-16 length over the cap is a UTF-8 length over it too.
          if (text.length > maxBytes) return finish({ fail: "too-large" }, true);
          // As UTF-8 bytes, copied into wasm in one piece (a string
          // crosses one character at a time; the encoder is native).
          return finish({ status, body: encoder.encode(text), retryAfterMs }, false);
        } catch (error) {
          return finish({ fail: "network", error }, true);
        }
      },
      (error) => finish({ fail: neverSent(error) ? "not-sent" : "network", error }, true),
    );
  } catch (error) {
    finish({ fail: "network", error }, true);
  }
}
