// Client options handled in JavaScript: `userAgent`, `onResponse`,
// `logger` and `logLevel` are taken out of the options' read copy
// (input.js) before the core sees it (and `TIM_BASE_URL` read where no
// destination is given), and become a fetch around the
// client's own (the User-Agent, each answer's status and headers) and a
// listener in front of its `onEvent` (the log lines).

import { CLIENT_OPTION_KEYS } from "./caps.js";
import { invalidInput, jsType } from "./input.js";

/** The package's own User-Agent; a `userAgent` option is appended to it. */
export const USER_AGENT = `tim-recentcontact/${PACKAGE_VERSION}`;

const LEVELS = { __proto__: null, debug: 0, info: 1, warn: 2, error: 3, off: 4 };
/** The level each event is logged at. */
const EVENT_LEVELS = { __proto__: null, request: "debug", response: "debug", retry: "info", throttle: "warn", "limiter-error": "warn", failover: "warn", reconcile: "warn", "pull-cap": "warn", warning: "warn", "rate-alert": "warn" };

function ignore() {}

/** Calls `fn(arg)`, ignoring what it throws or rejects with. */
export function quietly(fn, arg1, arg2) {
  try {
    const r = fn(arg1, arg2);
    if (r && typeof r.then === "function") Promise.resolve(r).then(ignore, ignore);
  } catch {}
}

/** A signed URL as events show it: the signature redacted. */
export function redactUrl(url) {
  return String(url).replace(/([?&]usersig=)[^&]*/gi, "$1REDACTED");
}

/** The options handled here: the core's "not a known field" lists them too. */
export const JS_OPTIONS = ["userAgent", "onResponse", "logger", "logLevel"];

/** Whether `a` is `b` with at most two letters changed, added or left out (case aside). */
function near(a, b) {
  a = a.toLowerCase();
  b = b.toLowerCase();
  if (Math.abs(a.length - b.length) > 2) return false;
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length] <= 2;
}

/**
 * The `TIM_BASE_URL` environment variable where the runtime has one and
 * lets it be read without asking: Node and Bun's `process.env`, Deno's
 * with the env permission already granted (never a prompt); none in Workers.
 */
function envBaseUrl() {
  try {
    const deno = globalThis.Deno;
    if (deno?.env) {
      return deno.permissions.querySync({ name: "env", variable: "TIM_BASE_URL" }).state === "granted" ? deno.env.get("TIM_BASE_URL") || undefined : undefined;
    }
    return globalThis.process?.env?.TIM_BASE_URL || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The numeric options' ranges (the core's: src/client/mod.rs), checked here
 * so that every wrong value of one is told the same range: the core's
 * reader would tell a negative, fractional or non-number value "a whole
 * number from 0 to 4294967295" and its check a whole one "1 to 2147483647".
 */
const CLIENT_RANGES = {
  timeoutMs: [1, 2147483647, " milliseconds (the longest timer JavaScript keeps)"],
  maxRetries: [0, 10, ""],
  maxResponseBytes: [1024, 67108864, ""],
  maxPages: [1, 10000000, ""],
  maxItems: [1, 10000000, ""],
};
const CALL_RANGES = { timeoutMs: [1, 2147483647, " milliseconds"], maxRetries: [0, 10, ""] };

function checkRanges(read, ranges, prefix) {
  for (const key in ranges) {
    const v = read[key];
    if (v === undefined || v === null) continue; // the default, as the core reads it
    const [min, max, unit] = ranges[key];
    if (Number.isInteger(v) && v >= min && v <= max) continue;
    const got = typeof v !== "number" || !Number.isFinite(v) ? jsType(v) : Number.isInteger(v) ? "a number outside that range" : "a number that is not a whole number";
    throw invalidInput(prefix + key, `must be ${min} to ${max}${unit}, received ${got}`);
  }
}

/** A call's options as read (input.js): their numbers checked against their ranges. */
export function checkCallOptions(read) {
  if (read !== null && typeof read === "object") checkRanges(read, CALL_RANGES, "options.");
  return read;
}

/** Takes the JavaScript-only options out of `read` (a plain object input.js made) and applies them. */
export function takeJsOptions(read, contentHeaders) {
  if (read === null || typeof read !== "object" || Array.isArray(read)) return;
  checkRanges(read, CLIENT_RANGES, "");
  for (const key of Object.keys(read)) {
    // A key either side reads is no near miss (and a first `new` need not
    // run the edit distance, interpreted, for each of them).
    if (JS_OPTIONS.includes(key) || CLIENT_OPTION_KEYS.includes(key)) continue;
    const meant = JS_OPTIONS.find((name) => near(key, name));
    if (meant) throw invalidInput(key, `is not a known field; did you mean \`${meant}\`?`);
  }
  const { userAgent, onResponse, logger, logLevel } = read;
  delete read.userAgent;
  delete read.onResponse;
  delete read.logger;
  delete read.logLevel;
  if (userAgent !== undefined && (typeof userAgent !== "string" || !/^[\x20-\x7e]{1,256}$/.test(userAgent))) {
    const got = typeof userAgent === "string" ? "a string with other characters or another length" : jsType(userAgent);
    throw invalidInput("userAgent", `must be 1 to 256 printable ASCII characters (it goes in the User-Agent header after ${USER_AGENT}), received ${got}`);
  }
  if (onResponse !== undefined && typeof onResponse !== "function") throw invalidInput("onResponse", `must be a function, received ${jsType(onResponse)}`);
  if (logger !== undefined && (logger === null || typeof logger !== "object")) {
    throw invalidInput("logger", `must be an object with debug, info, warn and error methods (console, pino, winston), received ${jsType(logger)}`);
  }
  if (logLevel !== undefined && !(typeof logLevel === "string" && logLevel in LEVELS)) {
    throw invalidInput("logLevel", `must be "debug", "info", "warn", "error" or "off", received ${typeof logLevel === "string" ? "another string" : jsType(logLevel)}`);
  }
  if (read.baseUrl === undefined && read.region === undefined) {
    const env = envBaseUrl();
    if (env !== undefined) {
      if (!/^https?:\/\/[^/?#]+\/?$/.test(env)) throw invalidInput("TIM_BASE_URL", "must be an http(s) origin such as http://127.0.0.1:8787 (the environment variable the client reads when no baseUrl or region is given)");
      read.baseUrl = env;
    }
  }
  if (userAgent !== undefined || onResponse !== undefined) {
    const inner = read.fetch;
    const headers = { ...contentHeaders, "User-Agent": userAgent === undefined ? USER_AGENT : `${USER_AGENT} ${userAgent}` };
    read.fetch = function fetchWithOptions(url, init) {
      const started = Date.now();
      let answer;
      try {
        const withHeaders = { ...init, headers };
        answer = inner ? inner(url, withHeaders) : fetch(url, withHeaders);
      } catch (e) {
        return Promise.reject(e);
      }
      if (onResponse === undefined) return answer;
      return Promise.resolve(answer).then((res) => {
        try {
          const shown = redactUrl(url);
          const status = res.status;
          const response = { command: /\/v4\/recentcontact\/(\w+)/.exec(shown)?.[1] ?? "", url: shown, status, headers: new Headers(res.headers), durationMs: Date.now() - started };
          quietly(onResponse, response);
        } catch {}
        return res;
      });
    };
  }
  if (logger !== undefined || (logLevel !== undefined && logLevel !== "off")) {
    const log = logger ?? console;
    const least = LEVELS[logLevel ?? "warn"];
    const user = read.onEvent;
    read.onEvent = function logEvent(event) {
      try {
        const level = EVENT_LEVELS[event.type] ?? "info";
        const write = log[level];
        if (LEVELS[level] >= least && typeof write === "function") {
          quietly(logger ? write : (line, e) => Reflect.apply(write, console, [line, e]), `tim-recentcontact: ${event.type} ${event.command}`, event);
        }
      } catch {}
      return user?.(event);
    };
  }
}
