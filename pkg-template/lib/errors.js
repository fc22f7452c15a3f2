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
  }
}

export class TimNetworkError extends TimError {
  static kind = "network";
  constructor(d = {}) {
    super({ ...d, message: d.message ?? `network error calling ${d.url ?? "the service"}` }, { cause: d.cause });
    this.url = d.url ?? "";
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
// ours, and may quote the request URL in any property (Node's `input`,
// Deno's message). When one does, the cause is replaced by a copy with
// every string scrubbed; otherwise it stays the very object the runtime
// threw.

function scrubString(s, secrets) {
  for (const x of secrets) if (s.includes(x)) s = s.split(x).join("REDACTED");
  return s;
}

function quotes(v, secrets, depth, seen) {
  if (typeof v === "string") return secrets.some((x) => v.includes(x));
  if (v === null || typeof v !== "object" || depth > 4 || seen.has(v)) return false;
  seen.add(v);
  try {
    for (const k of new Set([...Object.getOwnPropertyNames(v), "message", "stack", "cause"])) {
      const d = Object.getOwnPropertyDescriptor(v, k);
      if (d && "value" in d && quotes(d.value, secrets, depth + 1, seen)) return true;
    }
  } catch {
    return true; // a Proxy that throws: do not pass it on
  }
  return false;
}

function scrubbed(v, secrets, depth) {
  if (typeof v === "string") return scrubString(v, secrets);
  if (v === null || typeof v !== "object" || depth > 4) return v;
  let copy;
  try {
    copy = v instanceof Error ? new Error(scrubString(String(v.message ?? ""), secrets)) : {};
    for (const k of Object.getOwnPropertyNames(v)) {
      const d = Object.getOwnPropertyDescriptor(v, k);
      if (!d || !("value" in d) || k === "message") continue;
      const value = scrubbed(d.value, secrets, depth + 1);
      Object.defineProperty(copy, k, { value, writable: true, configurable: true, enumerable: d.enumerable });
    }
    if (v instanceof Error && !Object.hasOwn(v, "name") && typeof v.name === "string") {
      Object.defineProperty(copy, "name", { value: v.name, writable: true, configurable: true });
    }
  } catch {
    return new Error("(an error that could not be read safely)");
  }
  return copy;
}

/** Whether `e` is an error of this package (works across copies of the package, unlike instanceof). */
export function isTimError(e) {
  return e instanceof TimError || (e instanceof Error && typeof e.kind === "string" && e.kind in classes && String(e.name).startsWith("Tim"));
}

/** `value`, or a copy of it with every secret replaced by REDACTED. */
export function redactValue(value, secrets) {
  const list = (secrets ?? []).filter((s) => typeof s === "string" && s.length >= 4);
  if (list.length === 0 || !quotes(value, list, 0, new WeakSet())) return value;
  return scrubbed(value, list, 0);
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
