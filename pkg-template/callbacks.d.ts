import type { RequestOverLimitAlert } from "./index.d.ts";
export type { RequestOverLimitAlert } from "./index.d.ts";

/** What every callback body has: its command, then the command's own fields. */
export interface CallbackEnvelope {
    /** The callback's command, e.g. "Alert.RequestOverLimit" (the same as in the URL). */
    CallbackCommand: string;
    [field: string]: unknown;
}

/** A callback as the service sent it, verified. */
export interface VerifiedCallback<P extends CallbackEnvelope = CallbackEnvelope> {
    /** `CallbackCommand`, the same in the URL and the body. */
    command: string;
    /** The app's SDKAppID (checked against `options.sdkAppId`). */
    sdkAppId: number;
    /** When the service signed it, seconds since the epoch. */
    requestTime: number;
    /** `ClientIP`, when the URL has it. */
    clientIp?: string;
    /** `OptPlatform`, when the URL has it. */
    optPlatform?: string;
    /** The body, parsed (a copy). */
    payload: P;
}

export interface VerifyCallbackOptions {
    /** The callback token set in the console (1 to 128 characters). */
    token: string;
    /** The app's SDKAppID: a callback for another app is refused. */
    sdkAppId: number;
    /** How far `RequestTime` may be from now, in ms; default 60,000 (the documented 60 s). */
    maxSkewMs?: number;
    /** Accept only these `CallbackCommand`s. */
    commands?: string[];
    /** The clock, in ms since the epoch (tests); default `Date.now`. */
    now?: () => number;
}

/** A request as `verifyCallback` takes it: a Web Request, Hono's `c.req`, or Express's `req` (or `{ url, body }`). */
export type CallbackRequest =
    | Request
    | { url: string; body?: unknown; method?: string; text?: () => Promise<string> }
    | { originalUrl: string; body?: unknown; method?: string };

/**
 * Verifies one callback: `Sign` (the hex SHA-256 of the token and
 * `RequestTime`, compared in constant time), `RequestTime` within
 * `maxSkewMs`, `SdkAppid`, and the `CallbackCommand` of the URL and the
 * body (which `Sign` does not cover). Rejects with a TimCallbackError.
 */
export function verifyCallback<P extends CallbackEnvelope = CallbackEnvelope>(request: CallbackRequest, options: VerifyCallbackOptions): Promise<VerifiedCallback<P>>;

/** Whether a verified callback's payload is the service's rate alert (for `client.observeRateAlert`). */
export function isRateAlert(payload: unknown): payload is RequestOverLimitAlert;

/** The documented answer to a callback; "OK" and 0 unless a before-event callback refuses with `errorCode`. */
export function callbackReply(options?: { errorCode?: number; errorInfo?: string }): { ActionStatus: "OK" | "FAIL"; ErrorCode: number; ErrorInfo: string };

/** The service's `Sign` for `token` and `requestTime`: lower-case hex SHA-256 of the two, joined. */
export function callbackSign(token: string, requestTime: number | string): Promise<string>;

/** Why `verifyCallback` refused a request. */
export class TimCallbackError extends Error {
    readonly name: "TimCallbackError";
    readonly reason: "not-post" | "no-signature" | "bad-time" | "stale" | "bad-signature" | "wrong-app" | "wrong-command" | "bad-body";
    /** The HTTP status to answer with: 401 for a signature or time that does not verify, 400 for the rest. */
    readonly status: 400 | 401;
}
