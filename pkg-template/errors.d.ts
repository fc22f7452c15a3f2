/** The word for each error class, for code that cannot use `instanceof`. */
export type TimErrorKind = "validation" | "api" | "auth" | "http" | "network" | "timeout" | "decode" | "abort";

/** Every failure of this package. Never contains the secret key or a UserSig. */
export declare class TimError extends Error {
  readonly kind: TimErrorKind;
  /** Whether making the same call again later may succeed without harm. */
  readonly retryable: boolean;
}
/** Input broke a documented rule; thrown before anything is sent. */
export declare class TimValidationError extends TimError {
  readonly kind: "validation";
  /** The offending field, e.g. `"groupName"` or `"conversations[2].toAccount"`. */
  readonly field: string;
  readonly reason: string;
}
/** The service answered `ActionStatus: "FAIL"` / a non-zero `ErrorCode`. */
export declare class TimApiError extends TimError {
  readonly kind: "api";
  readonly code: number;
  readonly info: string;
  readonly display?: string;
  /** e.g. `"v4/recentcontact/del_contact_group"`. */
  readonly command: string;
}
/** The UserSig or the admin account was refused (70001…70020, 70403, 50003). */
export declare class TimAuthError extends TimError {
  readonly kind: "auth";
  readonly code: number;
  readonly info: string;
  readonly command?: string;
}
/** A non-2xx HTTP status. */
export declare class TimHttpError extends TimError {
  readonly kind: "http";
  readonly status: number;
  /** The URL with `usersig` redacted. */
  readonly url: string;
  /**
   * Set on a write (create, rename, update or delete a group) whose state was
   * read back after this failure and could not tell whether it was applied.
   */
  readonly outcomeUnknown?: true;
}
/** `fetch` itself failed (DNS, reset, refused). */
export declare class TimNetworkError extends TimError {
  readonly kind: "network";
  readonly cause: unknown;
  readonly url: string;
  /**
   * Set on a write (create, rename, update or delete a group) whose state was
   * read back after this failure and could not tell whether it was applied.
   */
  readonly outcomeUnknown?: true;
}
/** No answer within the timeout; the request was aborted. */
export declare class TimTimeoutError extends TimError {
  readonly kind: "timeout";
  readonly timeoutMs: number;
  readonly url: string;
  /**
   * Set on a write (create, rename, update or delete a group) whose state was
   * read back after this failure and could not tell whether it was applied.
   */
  readonly outcomeUnknown?: true;
}
/** The body was not the JSON the endpoint documents. */
export declare class TimDecodeError extends TimError {
  readonly kind: "decode";
  readonly command: string;
}
/** The call's `signal` aborted it — queued, backing off or in flight. Never retryable. */
export declare class TimAbortError extends TimError {
  readonly kind: "abort";
  /** The signal's `reason`. */
  readonly cause: unknown;
  readonly command: string;
}
