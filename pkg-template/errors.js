/* @ts-self-types="./errors.d.ts" */
// The error classes of tim-recentcontact. Every failure is a TimError and
// exactly one of its subclasses; `kind` names the class for code that cannot
// use `instanceof`. No message or field ever holds the secret key or a UserSig.

export class TimError extends Error {
  constructor(d, options) {
    super(d.message, options);
    /** "validation" | "api" | "auth" | "http" | "network" | "timeout" | "decode" | "abort" */
    this.kind = d.kind;
    /** Whether making the same call again later may succeed without harm. */
    this.retryable = Boolean(d.retryable);
    if (d.outcomeUnknown) this.outcomeUnknown = true;
  }
}

export class TimValidationError extends TimError {
  constructor(d) {
    super(d);
    this.field = d.field;
    this.reason = d.reason;
  }
}

export class TimApiError extends TimError {
  constructor(d) {
    super(d);
    this.code = d.code;
    this.info = d.info;
    if (d.display !== undefined) this.display = d.display;
    this.command = d.command;
  }
}

export class TimAuthError extends TimError {
  constructor(d) {
    super(d);
    this.code = d.code;
    this.info = d.info;
    if (d.command !== undefined) this.command = d.command;
  }
}

export class TimHttpError extends TimError {
  constructor(d) {
    super(d);
    this.status = d.status;
    this.url = d.url;
  }
}

export class TimNetworkError extends TimError {
  constructor(d) {
    super(d, { cause: d.cause });
    this.url = d.url;
  }
}

export class TimTimeoutError extends TimError {
  constructor(d) {
    super(d);
    this.timeoutMs = d.timeoutMs;
    this.url = d.url;
  }
}

export class TimDecodeError extends TimError {
  constructor(d) {
    super(d);
    this.command = d.command;
  }
}

export class TimAbortError extends TimError {
  constructor(d) {
    super(d, { cause: d.cause });
    this.command = d.command;
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

for (const [, C] of Object.entries(classes).concat([["", TimError]])) {
  Object.defineProperty(C.prototype, "name", { value: C.name, writable: true, configurable: true });
}

/** Builds the error the core describes (installed into the wasm module at load). */
export function makeError(d) {
  const C = classes[d.kind] ?? TimError;
  return new C(d);
}
