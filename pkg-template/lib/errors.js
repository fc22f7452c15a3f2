// The error classes of tim-recentcontact. Every failure is a TimError and
// exactly one of its subclasses; `kind` names the class for code that cannot
// use `instanceof`. No message or field ever holds the secret key or a UserSig.
//
// Users may build them too (for mocks): `new TimApiError({ code: 51009,
// info: "no such group" })` fills in `kind`, `retryable` and a message.

export class TimError extends Error {
  constructor(d = {}, options) {
    super(d.message ?? "tim-recentcontact error", options);
    /** "validation" | "api" | "auth" | "http" | "network" | "timeout" | "decode" | "abort" */
    this.kind = new.target.kind ?? d.kind ?? "api";
    /** Whether making the same call again later may succeed without harm. */
    this.retryable = Boolean(d.retryable);
    if (d.outcomeUnknown) this.outcomeUnknown = true;
    // What the client read back after an ambiguous write (the wasm hands JSON text).
    if (d.readBack !== undefined) this.readBack = typeof d.readBack === "string" ? JSON.parse(d.readBack) : d.readBack;
    if (d.requestId !== undefined) this.requestId = d.requestId;
  }
}

export class TimValidationError extends TimError {
  static kind = "validation";
  constructor(d = {}) {
    super({ ...d, message: d.message ?? `invalid \`${d.field}\`: ${d.reason}` });
    this.field = d.field;
    this.reason = d.reason;
  }
}

export class TimApiError extends TimError {
  static kind = "api";
  constructor(d = {}) {
    super({ ...d, message: d.message ?? `${d.command ?? "call"} failed with ErrorCode ${d.code}: ${d.info ?? ""}` });
    this.code = d.code;
    this.info = d.info ?? "";
    if (d.display !== undefined) this.display = d.display;
    this.command = d.command ?? "";
  }
}

export class TimAuthError extends TimError {
  static kind = "auth";
  constructor(d = {}) {
    super({ ...d, message: d.message ?? `authentication failed with code ${d.code}: ${d.info ?? ""}` });
    this.code = d.code;
    this.info = d.info ?? "";
    if (d.command !== undefined) this.command = d.command;
  }
}

export class TimHttpError extends TimError {
  static kind = "http";
  constructor(d = {}) {
    super({ ...d, message: d.message ?? `HTTP ${d.status} from ${d.url ?? "the service"}` });
    this.status = d.status;
    this.url = d.url ?? "";
    if (d.retryAfterMs !== undefined) this.retryAfterMs = d.retryAfterMs;
  }
}

export class TimNetworkError extends TimError {
  static kind = "network";
  constructor(d = {}) {
    super({ ...d, message: d.message ?? `network error calling ${d.url ?? "the service"}` }, { cause: d.cause });
    this.url = d.url ?? "";
    if (d.notSent) this.notSent = true;
  }
}

export class TimTimeoutError extends TimError {
  static kind = "timeout";
  constructor(d = {}) {
    super({ ...d, message: d.message ?? `no answer from ${d.url ?? "the service"} within ${d.timeoutMs} ms` });
    this.timeoutMs = d.timeoutMs;
    this.url = d.url ?? "";
  }
}

export class TimDecodeError extends TimError {
  static kind = "decode";
  constructor(d = {}) {
    super({ ...d, message: d.message ?? `${d.command ?? "call"}: unexpected response body` });
    this.command = d.command ?? "";
    if (d.status !== undefined) this.status = d.status;
    if (d.excerpt !== undefined) this.excerpt = d.excerpt;
  }
}

export class TimAbortError extends TimError {
  static kind = "abort";
  constructor(d = {}) {
    super({ ...d, message: d.message ?? `${d.command ?? "call"}: the call was aborted` }, { cause: d.cause });
    this.command = d.command ?? "";
  }
}

const classes = {
  validation: TimValidationError,
  api: TimApiError,
  auth: TimAuthError,
  http: TimHttpError,
  network: TimNetworkError,
  timeout: TimTimeoutError,
  decode: TimDecodeError,
  abort: TimAbortError,
};

for (const C of [...Object.values(classes), TimError]) {
  Object.defineProperty(C.prototype, "name", { value: C.name, writable: true, configurable: true });
}

// ---- redaction of the cause chain --------------------------------------
// The core scrubs its own texts; a runtime's error kept as `cause` is not
// ours, and may quote the request URL anywhere: Node's `input`, Deno's
// message, a `URL` or a `Request` (ky's TimeoutError), a Map, a Symbol-keyed
// property, a getter, ten causes down. One walk reads every shape a thrown
// value can take — own properties of every kind (strings and Symbols,
// enumerable or not, getters called once inside try/catch), arrays, Maps,
// Sets, URLs, Requests and Responses — cycle-safe (each object once) and
// bounded (depth and count; what lies beyond is replaced, never passed on).
// A part that quotes no secret stays the very object the runtime threw; a
// part that does, or that cannot be read, is replaced by a scrubbed copy.

const MAX_DEPTH = 12;
const MAX_NODES = 5000;
const BEYOND = "(left out: nested too deep to check for secrets)";
const UNREADABLE = "(left out: could not be read safely)";

class Redaction {
  constructor(secrets) {
    this.secrets = secrets;
    this.memo = new Map();
    this.nodes = 0;
  }

  string(s) {
    for (const x of this.secrets) if (s.includes(x)) s = s.split(x).join("REDACTED");
    return s;
  }

  /** `v` itself when nothing in it needs hiding, else its scrubbed copy. */
  value(v, depth) {
    if (typeof v === "string") return this.string(v);
    // Functions and bytes are shown by name and size, not by what they hold.
    if (v === null || typeof v !== "object") return v;
    if (this.memo.has(v)) return this.memo.get(v);
    if (depth > MAX_DEPTH || ++this.nodes > MAX_NODES) return BEYOND;
    try {
      return this.object(v, depth);
    } catch {
      this.memo.set(v, UNREADABLE);
      return UNREADABLE;
    }
  }

  object(v, depth) {
    if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer) return v;
    if (typeof URL === "function" && v instanceof URL) {
      const href = String(v.href);
      const clean = this.string(href);
      const out = clean === href ? v : new URL(clean);
      this.memo.set(v, out);
      return out;
    }
    for (const C of [globalThis.Request, globalThis.Response]) {
      if (typeof C === "function" && v instanceof C) {
        const url = String(v.url);
        const clean = this.string(url);
        if (clean === url) {
          this.memo.set(v, v);
          return v;
        }
        const out = { [Symbol.toStringTag]: C.name, method: v.method, url: clean, status: v.status };
        if (out.method === undefined) delete out.method;
        if (out.status === undefined) delete out.status;
        this.memo.set(v, out);
        return out;
      }
    }
    if (v instanceof Map || v instanceof Set) return this.collection(v, depth);
    const isArray = Array.isArray(v);
    const isError = v instanceof Error;
    // A shell first: a cycle back to `v` points at it.
    const shell = isArray ? [] : isError ? new Error("") : {};
    this.memo.set(v, shell);
    const entries = [];
    let changed = false;
    const keys = Reflect.ownKeys(v);
    if ((this.nodes += keys.length) > MAX_NODES) return BEYOND;
    for (const key of keys) {
      if (isArray && key === "length") continue;
      const d = Reflect.getOwnPropertyDescriptor(v, key);
      if (!d) continue;
      // A getter runs once, here; its value stands in the copy.
      const original = "value" in d ? d.value : typeof d.get === "function" ? Reflect.apply(d.get, v, []) : undefined;
      const clean = this.value(original, depth + 1);
      if (clean !== original) changed = true;
      entries.push([key, clean, d.enumerable]);
    }
    // A message on the prototype (a subclass's getter) is shown too: read once.
    const inherited = isError && !Object.hasOwn(v, "message") ? v.message : undefined;
    if (typeof inherited === "string" && this.string(inherited) !== inherited) changed = true;
    if (!changed) {
      this.memo.set(v, v);
      return v;
    }
    for (const [key, value, enumerable] of entries) {
      Object.defineProperty(shell, key, { value, writable: true, configurable: true, enumerable });
    }
    if (isError) {
      if (!Object.hasOwn(v, "message")) {
        Object.defineProperty(shell, "message", { value: this.string(String(inherited ?? "")), writable: true, configurable: true });
      }
      // The same class (TypeError, a runtime's own), a real Error still.
      Object.setPrototypeOf(shell, Object.getPrototypeOf(v));
      if (!Object.hasOwn(v, "name") && typeof v.name === "string") {
        Object.defineProperty(shell, "name", { value: v.name, writable: true, configurable: true });
      }
    }
    return shell;
  }

  collection(v, depth) {
    const isMap = v instanceof Map;
    const shell = isMap ? new Map() : new Set();
    this.memo.set(v, shell);
    let changed = false;
    const items = [];
    for (const [k, x] of isMap ? Map.prototype.entries.call(v) : Set.prototype.entries.call(v)) {
      const ck = this.value(k, depth + 1);
      const cx = isMap ? this.value(x, depth + 1) : ck;
      if (ck !== k || cx !== x) changed = true;
      items.push([ck, cx]);
    }
    if (!changed) {
      this.memo.set(v, v);
      return v;
    }
    for (const [k, x] of items) isMap ? shell.set(k, x) : shell.add(k);
    return shell;
  }
}

/** Whether `e` is an error of this package (works across copies of the package, unlike instanceof). */
export function isTimError(e) {
  return e instanceof TimError || (e instanceof Error && typeof e.kind === "string" && e.kind in classes && String(e.name).startsWith("Tim"));
}

/** `value`, or a copy of it with every secret replaced by REDACTED. */
export function redactValue(value, secrets) {
  const list = (secrets ?? []).filter((s) => typeof s === "string" && s.length >= 4);
  if (list.length === 0) return value;
  return new Redaction(list).value(value, 0);
}

/** Builds the error the core describes (installed into the wasm module at load). */
export function makeError(d, secrets) {
  if (d.cause !== undefined && secrets) d.cause = redactValue(d.cause, secrets);
  const C = classes[d.kind] ?? TimError;
  if (!d.lateStack || typeof Error.captureStackTrace !== "function") return new C(d);
  // The method layer re-takes this error's stack where the caller awaits
  // (client.js): capturing one here, through wasm frames, is wasted work.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new C(d);
  } finally {
    Error.stackTraceLimit = limit;
  }
}
