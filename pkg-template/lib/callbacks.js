// tim-recentcontact/callbacks: the service's callbacks (webhooks) to an
// app's callback URL, verified. With a callback token set in the console,
// the service adds `Sign` and `RequestTime` to the URL's query: `Sign` is
// the hex SHA-256 of the token followed by `RequestTime` (seconds), and a
// request older than 60 s is to be refused. `Sign` covers neither the body
// nor the rest of the query, so the app's SDKAppID (`SdkAppid`) and the
// command (`CallbackCommand`, in the query and in the body) are checked too.
// Web Crypto only: the same code in Node, Deno, Bun and Workers; no wasm.

const encoder = new TextEncoder();

/** Why a callback was refused, and the HTTP status to answer it with. */
export class TimCallbackError extends Error {
  constructor(reason, message, status) {
    super(message);
    this.name = "TimCallbackError";
    /** "not-post" | "no-signature" | "bad-time" | "stale" | "bad-signature" | "wrong-app" | "wrong-command" | "bad-body" */
    this.reason = reason;
    /** 401 for a signature or time that does not verify, 400 for the rest. */
    this.status = status;
  }
}

const refuse = (reason, message, status = 400) => {
  throw new TimCallbackError(reason, `callback refused: ${message}`, status);
};

/** Lower-case hex SHA-256 of `token` followed by `requestTime` (the service's `Sign`). */
export async function callbackSign(token, requestTime) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(`${token}${requestTime}`)));
  let hex = "";
  for (const b of digest) hex += b.toString(16).padStart(2, "0");
  return hex;
}

/** Whether two strings are equal, in time that depends on their length only. */
function sameText(a, b) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** The request's method, URL and body text, read once; what cannot be read is a refusal. */
async function readRequest(request) {
  if (request === null || typeof request !== "object") refuse("bad-body", "expected a Request, or { url, body } (e.g. Express's req.originalUrl and req.body)");
  let method, url, body;
  try {
    method = request.method;
    url = request.url ?? request.originalUrl;
    // A Request (of any realm), or Hono's c.req: the body as text.
    // Anything else (Express's req) carries it as `body`.
    body = typeof request.text === "function" ? await request.text() : request.body;
  } catch (e) {
    refuse("bad-body", `the request could not be read (${e?.message ?? "unknown"})`);
  }
  if (typeof url !== "string") refuse("bad-body", "the request has no url");
  if (body instanceof Uint8Array) body = new TextDecoder().decode(body);
  return { method, url, body };
}

function parseBody(body) {
  if (typeof body === "string") {
    try {
      return JSON.parse(body);
    } catch {
      refuse("bad-body", "the body is not JSON");
    }
  }
  // Already parsed (express.json()): copied, so nothing read later can change.
  try {
    return JSON.parse(JSON.stringify(body));
  } catch {
    refuse("bad-body", "the body could not be read as JSON");
  }
}

/**
 * Verifies one callback request and returns what it says; throws a
 * TimCallbackError (with `reason` and `status`) when anything is off.
 * `request`: a Web Request (Workers, Deno, Bun, Hono's `c.req.raw`, Next.js)
 * or `{ url, body, method? }` (Express: `{ url: req.originalUrl, body:
 * req.body }`; the body as text, bytes or parsed JSON).
 * `options`: `token` (the console's callback token), `sdkAppId`,
 * `maxSkewMs` (default 60,000: the documented 60 s), `commands` (accept only
 * these `CallbackCommand`s), `now` (a clock in ms, for tests).
 */
export async function verifyCallback(request, options) {
  const { token, sdkAppId, maxSkewMs = 60_000, commands, now = Date.now } = options ?? {};
  if (typeof token !== "string" || token.length === 0 || token.length > 128) {
    throw new TypeError("verifyCallback: options.token must be the console's callback token (1 to 128 characters)");
  }
  if (!Number.isInteger(sdkAppId) || sdkAppId <= 0) throw new TypeError("verifyCallback: options.sdkAppId must be the app's SDKAppID");
  if (!(maxSkewMs >= 0 && maxSkewMs <= 3_600_000)) throw new TypeError("verifyCallback: options.maxSkewMs must be from 0 to 3,600,000");
  if (commands !== undefined && !(Array.isArray(commands) && commands.every((c) => typeof c === "string"))) {
    throw new TypeError("verifyCallback: options.commands must be an array of CallbackCommand names");
  }
  const { method, url, body } = await readRequest(request);
  if (method !== undefined && String(method).toUpperCase() !== "POST") refuse("not-post", `the service POSTs callbacks, this is ${String(method).slice(0, 10)}`);
  const query = new URL(url, "http://callback.invalid").searchParams;
  const sign = query.get("Sign");
  const time = query.get("RequestTime");
  if (sign === null || time === null) refuse("no-signature", "no Sign or RequestTime in the URL (set a callback token in the console)", 401);
  if (!/^\d{1,12}$/.test(time)) refuse("bad-time", "RequestTime is not a time in seconds", 401);
  const skew = now() - Number(time) * 1000;
  if (skew > maxSkewMs) refuse("stale", `signed ${Math.round(skew / 1000)} s ago, more than ${maxSkewMs / 1000} s`, 401);
  if (skew < -maxSkewMs) refuse("stale", `signed ${Math.round(-skew / 1000)} s in the future`, 401);
  if (!sameText(sign.toLowerCase(), await callbackSign(token, time))) refuse("bad-signature", "Sign does not match the token", 401);
  // Sign covers the token and the time only: the rest is checked here.
  if (query.get("SdkAppid") !== String(sdkAppId)) refuse("wrong-app", "SdkAppid is not this app's");
  const command = query.get("CallbackCommand");
  const payload = parseBody(body);
  if (payload === null || typeof payload !== "object" || Array.isArray(payload)) refuse("bad-body", "the body is not a JSON object");
  if (command === null || payload.CallbackCommand !== command) refuse("wrong-command", "the CallbackCommand of the URL and of the body differ");
  if (commands !== undefined && !commands.includes(command)) refuse("wrong-command", `${command.slice(0, 60)} is not one of the commands this handler takes`);
  const clientIp = query.get("ClientIP");
  const optPlatform = query.get("OptPlatform");
  return {
    command,
    sdkAppId,
    requestTime: Number(time),
    ...(clientIp === null ? {} : { clientIp }),
    ...(optPlatform === null ? {} : { optPlatform }),
    payload,
  };
}

/** Whether a verified callback's payload is the service's rate alert. */
export function isRateAlert(payload) {
  return payload !== null && typeof payload === "object" && payload.CallbackCommand === "Alert.RequestOverLimit";
}

/**
 * The documented answer to a callback: `{ ActionStatus, ErrorCode, ErrorInfo }`,
 * "OK" and 0 by default. A before-event callback refuses the event with a
 * non-zero `errorCode`.
 */
export function callbackReply({ errorCode = 0, errorInfo = "" } = {}) {
  if (!Number.isInteger(errorCode)) throw new TypeError("callbackReply: errorCode must be a whole number");
  return { ActionStatus: errorCode === 0 ? "OK" : "FAIL", ErrorCode: errorCode, ErrorInfo: String(errorInfo) };
}
