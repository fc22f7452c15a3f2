// One watch per AbortSignal, however many calls, attempts and waits share
// it: one "abort" listener on the signal, and a Set of the waits that are
// interested right now. A wait (an HTTP attempt, a back-off, a limiter's
// acquire) adds its callback when it starts and deletes it when it ends, so
// what a busy signal holds is bounded by the waits in flight, not by the
// calls ever made with it (0.2 chained a reaction per attempt onto one
// pending promise: +176 MB after 38,447 calls).
//
// The signal is the one user object the package keeps reading after a call
// starts (its `aborted` and `reason` change): every read of it is here,
// inside try/catch, so a throwing getter or a revoked Proxy is never an
// exception in a wasm frame. A signal whose `aborted` cannot be read counts
// as not aborted; one whose `addEventListener` is not a function is refused
// when the call starts, one whose `addEventListener` throws is not heard
// (its calls run to their end or their timeout). The listener is there only
// while some wait is.

const watches = new WeakMap();

/** The package's watch of one signal; the core sees only this object. */
class SignalWatch {
  #signal;
  #waiting = new Set();
  #fired = false;
  #add;
  #remove;
  #onAbort = () => this.fire();
  #listening = false;

  /** `add` and `remove`: the signal's addEventListener and removeEventListener, read once. */
  constructor(signal, add, remove) {
    this.#signal = signal;
    this.#add = add;
    this.#remove = remove;
  }

  /** The signal's one "abort" listener, there while any wait is: false when adding it threw. */
  listen() {
    if (this.#listening) return true;
    try {
      Reflect.apply(this.#add, this.#signal, ["abort", this.#onAbort]);
    } catch {
      return false;
    }
    this.#listening = true;
    return true;
  }

  #unlisten() {
    if (!this.#listening || typeof this.#remove !== "function") return;
    this.#listening = false;
    try {
      Reflect.apply(this.#remove, this.#signal, ["abort", this.#onAbort]);
    } catch {
      // nothing more to do for a signal that cannot remove a listener
    }
  }

  /** Whether `x` is one of these (a brand check: no Proxy trap runs). */
  static is(x) {
    return (typeof x === "object" || typeof x === "function") && x !== null && #signal in x;
  }

  /** Whether the signal has aborted (a throwing getter reads as not). */
  aborted() {
    if (this.#fired) return true;
    try {
      return Boolean(this.#signal.aborted);
    } catch {
      return false;
    }
  }

  /** The signal itself (handed to a rateLimiter's acquire). */
  get signal() {
    return this.#signal;
  }

  /** The signal's reason, read when an abort is reported. */
  reason() {
    try {
      return this.#signal.reason;
    } catch (e) {
      return e;
    }
  }

  /**
   * Calls `fn` once when the signal aborts, unless deleted first; returns
   * true instead (and keeps nothing) when it has aborted already.
   */
  add(fn) {
    if (this.aborted()) return true;
    if (!this.listen()) return false; // cannot hear it: the wait runs to its end
    this.#waiting.add(fn);
    return false;
  }

  delete(fn) {
    if (this.#waiting.delete(fn) && this.#waiting.size === 0) this.#unlisten();
  }

  fire() {
    this.#fired = true;
    this.#unlisten();
    const all = [...this.#waiting];
    this.#waiting.clear();
    for (const fn of all) {
      try {
        fn();
      } catch {
        // a wait's own callback: nothing to report it to
      }
    }
  }

  // A watch is not data: JSON and the core's key checks see an empty object.
  toJSON() {
    return {};
  }
}

/**
 * The watch of `signal`, made on its first use; null when `signal` is
 * absent. Throws a plain Error naming what is wrong with it otherwise (the
 * caller turns it into a TimValidationError for `options.signal`).
 */
export function watchSignal(signal) {
  if (signal === undefined || signal === null) return null;
  if (SignalWatch.is(signal)) return signal;
  if (typeof signal !== "object" && typeof signal !== "function") throw new Error("must be an AbortSignal");
  const known = watches.get(signal);
  if (known) return known;
  let add, remove;
  try {
    add = signal.addEventListener;
    remove = signal.removeEventListener;
  } catch {
    throw new Error("must be an AbortSignal (reading its addEventListener threw)");
  }
  if (typeof add !== "function") throw new Error("must be an AbortSignal");
  const watch = new SignalWatch(signal, add, remove);
  watches.set(signal, watch);
  return watch;
}
