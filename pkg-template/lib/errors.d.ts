/** The word for each error class, for code that cannot use `instanceof`. */
export type TimErrorKind = "validation" | "api" | "auth" | "http" | "network" | "timeout" | "decode" | "abort";

/** What every error class's constructor takes (all optional; for mocks in tests). */
export interface TimErrorInit {
  message?: string;
  retryable?: boolean;
  /** The `random` of the request, for a support ticket. */
  requestId?: number;
  outcomeUnknown?: boolean;
  readBack?: ReadBack;
  cause?: unknown;
}

/**
 * What the client read back, from the origin the write went to, after a
 * write failed without a clear answer: the groups and conversations the
 * write names, as they were then. It never settles the outcome — another
 * writer may have made the state look applied or not (README, "Ambiguous
 * writes").
 */
export interface ReadBack {
  /** `true`: all the write asked for shows; `false`: none of it; `null`: part of it. */
  looksApplied: boolean | null;
  /** The groups the write names (by name, old and new for a rename), as found. */
  groups: { groupName: string; groupId: number }[];
  /** The conversations the write names that were in a group or marked, with their groups and marks. */
  conversations: {
    conversation: { type: "c2c"; toAccount: string } | { type: "group"; toGroupId: string };
    standardMarks: number[];
    customMark?: string;
    groupIds: number[];
    timestamp?: number;
  }[];
}

/** Every failure of this package. Never contains the secret key or a UserSig. */
export declare class TimError extends Error {
  constructor(init?: TimErrorInit & { kind?: TimErrorKind });
  readonly kind: TimErrorKind;
  /** Whether making the same call again later may succeed without harm. */
  readonly retryable: boolean;
  /** The `random` query value of the last request the call made (for a support ticket); absent before anything was sent. */
  readonly requestId?: number;
  /**
   * Set on a write that may or may not have been applied: an attempt of it
   * reached the service (or may have) and no clear answer came back —
   * a timeout, a lost connection, a 5xx, a service timeout code, an
   * unreadable answer, an abort in flight. Never sent again by the client.
   */
  readonly outcomeUnknown?: true;
  /** With `outcomeUnknown` on a group or mark write: the state read back then (absent when it could not be read). */
  readonly readBack?: ReadBack;
}
/** Input broke a documented rule; thrown before anything is sent. */
export declare class TimValidationError extends TimError {
  constructor(init?: TimErrorInit & { field?: string; reason?: string });
  readonly kind: "validation";
  /** The offending field, e.g. `"groupName"` or `"conversations[2].toAccount"`. */
  readonly field: string;
  readonly reason: string;
}
/** The service answered `ActionStatus: "FAIL"` / a non-zero `ErrorCode`. */
export declare class TimApiError extends TimError {
  constructor(init?: TimErrorInit & { code?: number; info?: string; display?: string; command?: string });
  readonly kind: "api";
  readonly code: number;
  readonly info: string;
  readonly display?: string;
  /** e.g. `"v4/recentcontact/del_contact_group"`. */
  readonly command: string;
}
/** The UserSig or the admin account was refused (70001…70020, 70403, 50003). */
export declare class TimAuthError extends TimError {
  constructor(init?: TimErrorInit & { code?: number; info?: string; command?: string });
  readonly kind: "auth";
  readonly code: number;
  readonly info: string;
  readonly command?: string;
}
/** A non-2xx HTTP status. */
export declare class TimHttpError extends TimError {
  constructor(init?: TimErrorInit & { status?: number; url?: string; retryAfterMs?: number });
  readonly kind: "http";
  readonly status: number;
  /** The URL with `usersig` redacted. */
  readonly url: string;
  /** The answer's `Retry-After` in milliseconds, when it had one: when to try again. */
  readonly retryAfterMs?: number;
}
/** `fetch` itself failed (DNS, reset, refused). */
export declare class TimNetworkError extends TimError {
  constructor(init?: TimErrorInit & { url?: string; notSent?: boolean });
  readonly kind: "network";
  readonly cause: unknown;
  readonly url: string;
  /**
   * Set when the request was never written — connection refused, no DNS
   * answer, TLS refused (Node's codes, Deno's connect errors): nothing
   * reached the service, so any call, a write too, is safe to make again.
   */
  readonly notSent?: true;
}
/** No answer within the timeout; the request was aborted. */
export declare class TimTimeoutError extends TimError {
  constructor(init?: TimErrorInit & { timeoutMs?: number; url?: string });
  readonly kind: "timeout";
  readonly timeoutMs: number;
  readonly url: string;
}
/** The body was not the JSON the endpoint documents. */
export declare class TimDecodeError extends TimError {
  constructor(init?: TimErrorInit & { command?: string; status?: number; excerpt?: string });
  readonly kind: "decode";
  readonly command: string;
  /** The HTTP status of the answer, when one arrived. */
  readonly status?: number;
  /** The start of the body (at most 200 characters), secrets redacted. */
  readonly excerpt?: string;
}
/** The call's `signal` aborted it — queued, backing off or in flight. Never retryable. */
export declare class TimAbortError extends TimError {
  constructor(init?: TimErrorInit & { command?: string });
  readonly kind: "abort";
  /** The signal's `reason`. */
  readonly cause: unknown;
  readonly command: string;
}

/**
 * Any error of this package, as a union on `kind`: after
 * `if (e.kind === "api")` TypeScript knows `e` is a `TimApiError`.
 */
export type AnyTimError =
  | TimValidationError
  | TimApiError
  | TimAuthError
  | TimHttpError
  | TimNetworkError
  | TimTimeoutError
  | TimDecodeError
  | TimAbortError;

/** Whether `e` is an error of this package, narrowed to the union. */
export declare function isTimError(e: unknown): e is AnyTimError;
