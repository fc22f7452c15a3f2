// A local emulator of Tencent Cloud Chat's conversation service
// (v4/recentcontact), runtime-agnostic: it answers a request (method, URL,
// body text) with the service's JSON and keeps per-user state in memory.
// UserSigs are verified with the package's own verifyUserSig, so the
// emulator adds nothing to the client's .wasm. Rules and codes: docs/emulator.md.

/** Credentials the emulator accepts unless told otherwise. */
export const DEFAULT_CREDENTIALS = Object.freeze({
  sdkAppId: 1400000000,
  identifier: "administrator",
  secretKey: "tim-emulator-secret-key-change-me",
});

/** The documented limits the emulator enforces. */
export const EMULATOR_LIMITS = Object.freeze({
  groupNameBytes: 32, // 51011
  groupsPerUser: 20, // 51010
  groupedConversations: 1000, // 51008, distinct conversations across a user's groups
  updateItems: 100, // 51006
  ratePerSecond: 200, // 60007
  searchConversations: 300, // 50002 past it
  markItems: 100, // 51006
  customMarkBytes: 256, // 50002 past it
  markedConversations: 1000, // 51008
  markBits: 64, // bit numbers 0 to 63
  requestBodyBytes: 1024 * 1024, // the emulator's own cap: HTTP 413 past it
  deletedLog: 1000, // deletions remembered per user (the oldest are forgotten)
  pullCapBase: 100, // conversations get_list / get_contact_group return at most, base edition
  pullCapAdvanced: 500, // ... an edition with conversation groups
});

/** Lower-case hex SHA-256 (a callback's `Sign`; lib/callbacks.js checks it). */
async function sha256Hex(text) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Faults the emulator can inject (option `faults.kinds`): "-before" ones
 * leave the state untouched, "-after" ones apply the request and then lose
 * the answer — the ambiguous case a client must reconcile.
 */
export const FAULT_KINDS = Object.freeze([
  "reset-before", // the connection drops before the request is applied
  "reset-after", // ... after it is applied
  "hang-before", // no answer at all (the client times out), not applied
  "hang-after", // no answer, applied
  "502-before", // HTTP 502, not applied
  "502-after", // HTTP 502, applied
  "50004-before", // ErrorCode 50004 (internal error), not applied
  "50004-after", // ErrorCode 50004, applied
  "60007", // throttled, not applied
  "70001", // UserSig "expired", not applied
]);

const sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (!(ms > 0)) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener?.("abort", stop);
      resolve();
    }
    function stop() {
      clearTimeout(t);
      reject(signal.reason);
    }
    signal?.addEventListener?.("abort", stop, { once: true });
  });

/** A promise that settles only when `signal` aborts (a request that is never answered). */
const never = (signal) =>
  new Promise((_, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    signal?.addEventListener?.("abort", () => reject(signal.reason), { once: true });
  });

const encoder = new TextEncoder();

class Refusal {
  constructor(code, info) {
    this.code = code;
    this.info = info;
  }
}
const refuse = (code, info) => {
  throw new Refusal(code, info);
};

const emptyAccount = () => ({ conversations: new Map(), groups: [], nextGroupId: 1, deleted: [], marks: new Map(), touched: new Map() });
const bitsOf = (big) => [...Array(64).keys()].filter((i) => (big >> BigInt(i)) & 1n);

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const nonEmptyString = (v) => typeof v === "string" && v.length > 0;
const bytes = (s) => encoder.encode(s).length;

function wireKey(item) {
  return item.Type === 1 ? `c2c:${item.To_Account}` : `group:${item.ToGroupId}`;
}

/** A `ContactItem` of the group endpoints, or a 50002 refusal. */
function contactItem(v, where) {
  if (!isObject(v)) refuse(50002, `${where}: ContactItem must be an object`);
  if (v.Type === 1 && nonEmptyString(v.To_Account)) return { Type: 1, To_Account: v.To_Account };
  if (v.Type === 2 && nonEmptyString(v.ToGroupId)) return { Type: 2, ToGroupId: v.ToGroupId };
  refuse(50002, `${where}: Type must be 1 with To_Account or 2 with ToGroupId`);
}

function toConversation(item) {
  return item.Type === 1 ? { type: "c2c", toAccount: item.To_Account } : { type: "group", toGroupId: item.ToGroupId };
}

function fromConversation(c) {
  if (c && c.type === "c2c" && nonEmptyString(c.toAccount)) return { Type: 1, To_Account: c.toAccount };
  if (c && c.type === "group" && nonEmptyString(c.toGroupId)) return { Type: 2, ToGroupId: c.toGroupId };
  throw new TypeError(`not a conversation: ${JSON.stringify(c)}`);
}

function checkGroupName(v, field) {
  if (!nonEmptyString(v)) refuse(50002, `${field} must be a non-empty string`);
  if (bytes(v) > EMULATOR_LIMITS.groupNameBytes) {
    refuse(51011, `${field} is ${bytes(v)} bytes; at most ${EMULATOR_LIMITS.groupNameBytes}`);
  }
}

/** Whether a request body is over the emulator's cap (in UTF-8 bytes). */
function tooLong(text) {
  const cap = EMULATOR_LIMITS.requestBodyBytes;
  return text.length > cap || (text.length * 3 > cap && bytes(text) > cap);
}

/** The answer to a request body over the cap. */
export function bodyTooLarge() {
  return {
    status: 413,
    headers: { "content-type": "application/json; charset=utf-8", connection: "close" },
    body: JSON.stringify({ error: `request body over ${EMULATOR_LIMITS.requestBodyBytes} bytes` }),
  };
}

/** A request body stream as text, or `null` once it passes the cap (reading stops there). */
async function readCapped(stream) {
  if (!stream) return "";
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    size += value.byteLength;
    if (size > EMULATOR_LIMITS.requestBodyBytes) {
      reader.cancel().catch(() => {});
      return null;
    }
    text += decoder.decode(value, { stream: true });
  }
}

/** The emulator. Create it with `createEmulator(options)` from the package's `/emulator` subpath. */
export class EmulatorCore {
  constructor(deps, options = {}) {
    const known = new Set([
      "sdkAppId", "identifier", "secretKey", "admins", "users", "edition", "pullCap", "groupsEnabled", "dismissedGroups", "ratePerSecond", "now",
      "callbackUrl", "callbackToken", "callbackFetch",
      "listPageSize", "groupPageSize", "latencyMs", "faults", "downOrigins", "recordRequests",
    ]);
    for (const k of Object.keys(options)) {
      if (!known.has(k)) throw new TypeError(`unknown emulator option "${k}"`);
    }
    this.verifyUserSig = deps.verifyUserSig;
    this.sdkAppId = options.sdkAppId ?? DEFAULT_CREDENTIALS.sdkAppId;
    this.identifier = options.identifier ?? DEFAULT_CREDENTIALS.identifier;
    this.secretKey = options.secretKey ?? DEFAULT_CREDENTIALS.secretKey;
    this.admins = new Set(options.admins ?? [this.identifier]);
    this.users = options.users ? new Set(options.users) : null;
    // The app's edition: "base" (no conversation groups, standard marks
    // or more than 100 conversations pulled) or "advanced" (those, with
    // 500); `groupsEnabled` and `pullCap` override either part.
    const edition = options.edition ?? "advanced";
    if (edition !== "base" && edition !== "advanced") throw new TypeError(`emulator option "edition" must be "base" or "advanced", received ${JSON.stringify(edition)}`);
    this.groupsEnabled = options.groupsEnabled ?? edition === "advanced";
    const cap = options.pullCap ?? (edition === "base" ? EMULATOR_LIMITS.pullCapBase : EMULATOR_LIMITS.pullCapAdvanced);
    if (!(Number.isInteger(cap) && cap > 0) && cap !== Infinity) throw new TypeError(`emulator option "pullCap" must be a positive whole number or Infinity, received ${String(cap)}`);
    this.pullCap = cap;
    this.dismissedGroups = new Set(options.dismissedGroups ?? []);
    this.ratePerSecond = options.ratePerSecond ?? EMULATOR_LIMITS.ratePerSecond;
    this.now = options.now ?? (() => Date.now());
    this.listPageSize = options.listPageSize ?? 100;
    this.groupPageSize = options.groupPageSize ?? 100;
    for (const k of ["listPageSize", "groupPageSize"]) {
      if (!Number.isInteger(this[k]) || this[k] < 1) throw new TypeError(`${k} must be a positive integer`);
    }
    if (!Number.isInteger(this.sdkAppId) || this.sdkAppId < 0 || this.sdkAppId > 0xffffffff) throw new TypeError("sdkAppId must be a u32");
    if (!nonEmptyString(this.secretKey)) throw new TypeError("secretKey must be a non-empty string");
    if (!(this.ratePerSecond > 0)) throw new TypeError("ratePerSecond must be positive");
    this.latencyMs = options.latencyMs ?? 0;
    if (!(this.latencyMs >= 0 && this.latencyMs <= 60_000)) throw new TypeError("latencyMs must be 0 to 60000");
    this.setFaults(options.faults);
    this.down = new Set(options.downOrigins ?? []);
    this.recordRequests = Boolean(options.recordRequests);
    // Callbacks to the app: where, signed with which token, sent how.
    this.callbackUrl = options.callbackUrl;
    if (this.callbackUrl !== undefined && !/^https?:\/\/[^\s]+$/.test(String(this.callbackUrl))) throw new TypeError("callbackUrl must be an http(s) URL");
    this.callbackToken = options.callbackToken;
    if (this.callbackToken !== undefined && !(typeof this.callbackToken === "string" && this.callbackToken.length >= 1 && this.callbackToken.length <= 128)) {
      throw new TypeError("callbackToken must be a string of 1 to 128 characters");
    }
    this.callbackFetch = options.callbackFetch;
    if (this.callbackFetch !== undefined && typeof this.callbackFetch !== "function") throw new TypeError("callbackFetch must be a function like fetch");
    this.callbackLog = [];
    this.fetch = this.fetch.bind(this);
    this.reset();
  }

  /** The client options that reach this emulator (add `baseUrl` or `fetch`). */
  get credentials() {
    return { sdkAppId: this.sdkAppId, identifier: this.identifier, secretKey: this.secretKey };
  }

  /** Forgets every user's state, the rate counters and the request log. */
  reset() {
    this.accounts = new Map();
    this.calls = new Map();
    this.alerted = new Map();
    this.requestLog = [];
  }

  /**
   * POSTs a callback to `callbackUrl` as the service does: the query's
   * `SdkAppid`, `CallbackCommand` (the payload's), `contenttype`, `ClientIP`
   * and `OptPlatform`, and with `callbackToken` its `Sign` and `RequestTime`
   * (`requestTime`: seconds, default now). Resolves to `{ status, reply }`
   * (the app's answer, parsed when it is JSON); a failed send rejects.
   */
  async sendCallback(payload, { requestTime } = {}) {
    if (this.callbackUrl === undefined) throw new TypeError("sendCallback needs the callbackUrl option");
    if (payload === null || typeof payload !== "object" || typeof payload.CallbackCommand !== "string") {
      throw new TypeError("a callback payload is an object with a CallbackCommand");
    }
    const url = new URL(this.callbackUrl);
    const q = url.searchParams;
    q.set("SdkAppid", String(this.sdkAppId));
    q.set("CallbackCommand", payload.CallbackCommand);
    q.set("contenttype", "json");
    q.set("ClientIP", "127.0.0.1");
    q.set("OptPlatform", "RESTAPI");
    if (this.callbackToken !== undefined) {
      const time = String(requestTime ?? Math.floor(this.now() / 1000));
      q.set("RequestTime", time);
      q.set("Sign", await sha256Hex(`${this.callbackToken}${time}`));
    }
    const send = this.callbackFetch ?? globalThis.fetch;
    const res = await send(url.href, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(payload) });
    const text = await res.text();
    let reply = null;
    try {
      reply = JSON.parse(text);
    } catch {}
    return { status: res.status, reply };
  }

  /** The rate alert at 80 % of a command's limit, at most once a second per command (sent, not awaited). */
  rateAlert(command, request, now) {
    if (this.callbackUrl === undefined || request < 0.8 * this.ratePerSecond) return;
    if (now - (this.alerted.get(command) ?? -Infinity) < 1000) return;
    this.alerted.set(command, now);
    const payload = { CallbackCommand: "Alert.RequestOverLimit", ServiceName: "recentcontact", Command: command, Request: request, Limit: this.ratePerSecond };
    const entry = { at: now, payload };
    if (this.callbackLog.length >= 1000) this.callbackLog.shift();
    this.callbackLog.push(entry);
    this.sendCallback(payload).then(
      (r) => (entry.status = r.status),
      (e) => (entry.error = String(e?.message ?? e)),
    );
  }

  /**
   * Injects faults into a share of the service's requests from now on:
   * `{ rate: 0.1, kinds?: FAULT_KINDS subset, random?: () => number }`;
   * `undefined` or `{ rate: 0 }` turns them off.
   */
  setFaults(faults) {
    const f = faults ?? { rate: 0 };
    const kinds = f.kinds ?? FAULT_KINDS;
    if (!(f.rate >= 0 && f.rate <= 1)) throw new TypeError("faults.rate must be 0 to 1");
    for (const k of kinds) if (!FAULT_KINDS.includes(k)) throw new TypeError(`unknown fault kind "${k}"; use ${FAULT_KINDS.join(", ")}`);
    if (kinds.length === 0) throw new TypeError("faults.kinds must not be empty");
    this.faults = { rate: f.rate, kinds: [...kinds], random: f.random ?? Math.random };
  }

  /** Makes requests to `origin` (e.g. `"http://127.0.0.1:8787"`) fail as if its domain were down, or back up. */
  setDown(origin, down = true) {
    if (down) this.down.add(origin);
    else this.down.delete(origin);
  }

  /**
   * Answers one request as the network would: latency, a down origin,
   * injected faults, then {@link handle}. Resolves to `{ status, headers,
   * body }`, or `{ fault: "reset" | "hang" }` for an answer that never comes.
   */
  async exchange(method, url, body, { origin, signal } = {}) {
    const u = typeof url === "string" ? new URL(url, "http://emulator.invalid") : url;
    const service = u.pathname.startsWith("/v4/");
    if (service && this.down.has(origin ?? u.origin)) return { fault: "reset" };
    // The request reaches the service `latencyMs` after it was sent: its
    // arrival time (for the rate limit and the log) is that, whatever the
    // emulator's own timer adds on a busy event loop.
    const arrival = this.now() + this.latencyMs;
    await sleep(this.latencyMs, signal);
    // A request its client gave up on before it arrived never arrives.
    if (signal?.aborted) throw signal.reason;
    let fault;
    if (service && this.faults.rate > 0 && this.faults.random() < this.faults.rate) {
      fault = this.faults.kinds[Math.floor(this.faults.random() * this.faults.kinds.length) % this.faults.kinds.length];
    }
    const command = u.pathname.split("/").pop();
    const log = (entry) => {
      if (!this.recordRequests || !service) return;
      if (this.requestLog.length >= 100_000) this.requestLog.shift();
      this.requestLog.push({ command, at: arrival, origin: origin ?? u.origin, fault, ...entry });
    };
    const coded = (code) => ({ status: 200, headers: { "content-type": "application/json; charset=utf-8" }, body: JSON.stringify({ ActionStatus: "FAIL", ErrorCode: code, ErrorInfo: `emulated fault ${fault}`, ErrorDisplay: "" }) });
    switch (fault) {
      case "reset-before": log({}); return { fault: "reset" };
      case "hang-before": log({}); return { fault: "hang" };
      case "502-before": log({ status: 502 }); return { status: 502, headers: { "content-type": "text/plain" }, body: "bad gateway (emulated)" };
      case "50004-before": log({ code: 50004 }); return coded(50004);
      case "60007": log({ code: 60007 }); return coded(60007);
      case "70001": log({ code: 70001 }); return coded(70001);
    }
    const r = this.handle(method, u, body, arrival);
    let code;
    try {
      code = JSON.parse(r.body).ErrorCode;
    } catch {}
    log({ status: r.status, code });
    switch (fault) {
      case "reset-after": return { fault: "reset" };
      case "hang-after": return { fault: "hang" };
      case "502-after": return { status: 502, headers: { "content-type": "text/plain" }, body: "bad gateway (emulated)" };
      case "50004-after": return code === 0 ? coded(50004) : r;
    }
    return r;
  }

  account(user) {
    let a = this.accounts.get(user);
    if (!a) {
      a = emptyAccount();
      this.accounts.set(user, a);
    }
    return a;
  }

  /** Puts conversations into a user's recent-contact list (for tests and demos). */
  addConversations(user, conversations, { msgTime, pinned = false } = {}) {
    const a = this.account(user);
    for (const c of conversations) {
      const item = fromConversation(c);
      a.conversations.set(wireKey(item), { item, msgTime: msgTime ?? this.nowSeconds(), pinned: Boolean(pinned) });
    }
  }

  /** A copy of one user's state: conversation list, groups, deletions. */
  state(user) {
    const a = this.accounts.get(user) ?? emptyAccount();
    return {
      conversations: [...a.conversations.values()].map((c) => ({ conversation: toConversation(c.item), msgTime: c.msgTime, pinned: c.pinned })),
      groups: a.groups.map((g) => ({ groupName: g.name, groupId: g.id, conversations: [...g.members.values()].map(toConversation) })),
      deleted: a.deleted.map((d) => ({ conversation: toConversation(d.item), clearRoamingMessages: d.clear })),
      marks: [...a.marks.values()].map((m) => ({
        conversation: toConversation(m.item),
        standardMarks: bitsOf(m.standard),
        ...(m.custom !== undefined ? { customMark: m.custom } : {}),
      })),
    };
  }

  /**
   * Answers one request. `url` is a string or URL; `body` the request text.
   * Returns `{ status, headers, body }` with `body` as text.
   */
  handle(method, url, body, at) {
    const u = typeof url === "string" ? new URL(url, "http://emulator.invalid") : url;
    const json = (status, value) => ({ status, headers: { "content-type": "application/json; charset=utf-8" }, body: JSON.stringify(value) });
    if (typeof body === "string" && tooLong(body)) return bodyTooLarge();
    if (u.pathname === "/__emulator/state" && method === "GET") {
      const user = u.searchParams.get("user");
      if (!user) return json(400, { error: "give ?user=" });
      return json(200, this.state(user));
    }
    if (u.pathname === "/__emulator/conversations" && method === "POST") {
      try {
        const { user, conversations, msgTime, pinned } = JSON.parse(body);
        this.addConversations(user, conversations, { msgTime, pinned });
        return json(200, this.state(user));
      } catch (e) {
        return json(400, { error: String(e.message ?? e) });
      }
    }
    if (u.pathname === "/__emulator/reset" && method === "POST") {
      this.reset();
      return json(200, { reset: true });
    }
    // Like the service, an unknown command or a wrong method is an answer
    // with an ErrorCode (HTTP 200), not an HTTP error: an unknown command is
    // 60009 ("wrong resource, check the URL"), a method other than POST
    // 60002 (a request that could not be parsed).
    const fail = (code, info) => json(200, { ActionStatus: "FAIL", ErrorCode: code, ErrorInfo: info, ErrorDisplay: "" });
    const m = /^\/v4\/recentcontact\/([a-z_]+)$/.exec(u.pathname);
    if (!m || !Object.hasOwn(HANDLERS, m[1])) return fail(60009, `no such command: ${u.pathname}`);
    if (method !== "POST") return fail(60002, `${method} is not POST`);
    const command = m[1];
    try {
      const out = this.call(command, u.searchParams, body, at);
      return json(200, { ...out, ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "", ErrorDisplay: "" });
    } catch (e) {
      if (!(e instanceof Refusal)) throw e;
      return json(200, { ActionStatus: "FAIL", ErrorCode: e.code, ErrorInfo: e.info, ErrorDisplay: "" });
    }
  }

  /** A `fetch`-style handler: `Request` to `Promise<Response>`. Usable as a client's `fetch` too. */
  async fetch(input, init) {
    const request = input instanceof Request ? input : new Request(input, init);
    const signal = init?.signal ?? request.signal;
    const text = await readCapped(request.body);
    const url = new URL(request.url);
    const r = text === null ? bodyTooLarge() : await this.exchange(request.method, url, text, { origin: url.origin, signal });
    if (r.fault === "reset") throw new TypeError("fetch failed", { cause: new Error("emulated connection reset") });
    if (r.fault === "hang") return never(signal);
    return new Response(r.body, { status: r.status, headers: r.headers });
  }

  checkRequest(command, q, at) {
    const appText = q.get("sdkappid");
    if (appText === null) refuse(60012, "the request carries no SDKAppID");
    if (!/^\d{1,10}$/.test(appText)) refuse(60002, "sdkappid is not a number");
    const random = q.get("random");
    if (random === null || !/^\d{1,10}$/.test(random) || Number(random) > 0xffffffff) refuse(60002, "random must be a 32-bit unsigned integer");
    if (q.get("contenttype") !== "json") refuse(60002, "contenttype must be json");
    if (Number(appText) !== this.sdkAppId) refuse(70020, `SDKAppID ${appText} not found`);
    const identifier = q.get("identifier");
    if (!nonEmptyString(identifier)) refuse(60002, "identifier is missing");
    const sig = q.get("usersig") ?? "";
    let info;
    try {
      info = this.verifyUserSig({ sdkAppId: this.sdkAppId, secretKey: this.secretKey, userSig: sig, nowSeconds: this.nowSeconds() });
    } catch (e) {
      if (typeof e.code === "number") refuse(e.code, e.info ?? e.message);
      throw e;
    }
    if (info.identifier !== identifier) refuse(70013, "the UserSig was signed for another identifier");
    if (!this.admins.has(identifier)) refuse(50003, `${identifier} is not an App admin`);
    // Rate: calls of this command in the last second.
    const now = at ?? this.now();
    const recent = (this.calls.get(command) ?? []).filter((t) => now - t < 1000);
    if (recent.length >= this.ratePerSecond) {
      this.calls.set(command, recent);
      refuse(60007, `more than ${this.ratePerSecond} calls per second to ${command}`);
    }
    recent.push(now);
    this.calls.set(command, recent);
    this.rateAlert(command, recent.length, now);
  }

  call(command, q, text, at) {
    this.checkRequest(command, q, at);
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      refuse(60003, "the HTTP body is not valid JSON");
    }
    if (!isObject(body)) refuse(50002, "the body must be a JSON object");
    if (!nonEmptyString(body.From_Account)) refuse(50002, "From_Account must be a non-empty string");
    if (this.users && !this.users.has(body.From_Account)) refuse(50001, `UserID ${body.From_Account} was not imported`);
    const handler = HANDLERS[command];
    if (handler.premium && !this.groupsEnabled) refuse(51013, "conversation groups need an edition that has them (Ultimate or Enterprise; the newest English pages say Pro, Pro Plus or Enterprise)");
    // Every check of the body first, then the change: a refusal changes nothing.
    const request = handler.validate(body, this);
    return handler.apply(this, this.account(body.From_Account), request);
  }

  /** Distinct conversations across the user's groups, with `group` counted as having `members` (a conversation may be in several groups). */
  groupedCount(a, group, members) {
    const all = new Set();
    for (const g of a.groups) for (const k of (g === group ? members : g.members).keys()) all.add(k);
    if (group && !a.groups.includes(group)) for (const k of members.keys()) all.add(k);
    return all.size;
  }

  /** Per-conversation outcome of adding to a group: 51007 for a dismissed group, else 0. */
  memberResult(item) {
    if (item.Type === 2 && this.dismissedGroups.has(item.ToGroupId)) return [51007, "the group was dismissed"];
    return [0, ""];
  }

  nowSeconds() {
    return Math.floor(this.now() / 1000);
  }

  touch(a, keys) {
    const t = this.nowSeconds();
    for (const k of keys) a.touched.set(k, t);
  }

  groupIdsOf(a, key) {
    return a.groups.filter((g) => g.members.has(key)).map((g) => g.id);
  }

  /** The group and mark fields of a conversation, as get_list / get_contact_group write them. */
  details(a, key) {
    const out = {};
    const m = a.marks.get(key);
    if (m && m.standard !== 0n) out.StandardMark = m.standard.toString(2);
    if (m && m.custom !== undefined) out.CustomMark = m.custom;
    const ids = this.groupIdsOf(a, key);
    if (ids.length) out.ContactGroupId = ids;
    return out;
  }

  /** Every conversation with group or mark data, in a stable order. */
  markedKeys(a) {
    const keys = new Set(a.marks.keys());
    for (const g of a.groups) for (const k of g.members.keys()) keys.add(k);
    return [...keys].sort();
  }

  contactItem(a, key) {
    const item = a.marks.get(key)?.item ?? a.groups.map((g) => g.members.get(key)).find(Boolean);
    return { ...item, ...this.details(a, key), Timestamp: a.touched.get(key) ?? 0 };
  }
}

// ---- the handler table ---------------------------------------------------
// One entry per command the emulator answers: `premium` (the command needs
// an edition with conversation groups: 51013 without), `validate`
// (every check of the body alone, refuse() on a mistake; returns the
// request as the handler needs it) and `apply` (the checks against the
// account's state, then the change, on copies where a later refusal is
// possible; returns the answer's payload). Limits come from EMULATOR_LIMITS.

const HANDLERS = {
  delete: {
    premium: false,
    validate(body) {
      let item;
      if (body.Type === 1 && nonEmptyString(body.To_Account)) item = { Type: 1, To_Account: body.To_Account };
      else if (body.Type === 2 && nonEmptyString(body.ToGroupid)) item = { Type: 2, ToGroupId: body.ToGroupid };
      else refuse(50002, "Type must be 1 with To_Account or 2 with ToGroupid");
      if (body.ClearRamble !== undefined && body.ClearRamble !== 0 && body.ClearRamble !== 1) refuse(50002, "ClearRamble must be 0 or 1");
      return { item, clear: body.ClearRamble === 1 };
    },
    apply(emu, a, { item, clear }) {
      // Deleting an absent conversation succeeds: the call is idempotent.
      a.conversations.delete(wireKey(item));
      a.deleted.push({ item, clear });
      if (a.deleted.length > EMULATOR_LIMITS.deletedLog) a.deleted.splice(0, a.deleted.length - EMULATOR_LIMITS.deletedLog);
      return {};
    },
  },

  create_contact_group: {
    premium: true,
    validate(body) {
      const items = body.GroupContactItem;
      if (!Array.isArray(items) || items.length !== 1 || !isObject(items[0])) refuse(50002, "GroupContactItem must hold exactly one group");
      const { GroupName: name, ContactItem: contacts } = items[0];
      checkGroupName(name, "GroupName");
      if (!Array.isArray(contacts)) refuse(50002, "ContactItem must be an array");
      return { name, items: contacts.map((c, i) => contactItem(c, `ContactItem[${i}]`)) };
    },
    apply(emu, a, { name, items }) {
      if (a.groups.some((g) => g.name === name)) refuse(50002, `a conversation group named ${name} exists`);
      if (a.groups.length >= EMULATOR_LIMITS.groupsPerUser) refuse(51010, `at most ${EMULATOR_LIMITS.groupsPerUser} conversation groups`);
      const group = { name, id: a.nextGroupId, members: new Map() };
      const results = items.map((item) => {
        const [code, info] = emu.memberResult(item);
        if (code === 0) group.members.set(wireKey(item), item);
        return { ContactItem: item, ResultCode: code, ResultInfo: info };
      });
      if (emu.groupedCount(a, group, group.members) > EMULATOR_LIMITS.groupedConversations) {
        refuse(51008, `more than ${EMULATOR_LIMITS.groupedConversations} conversations in groups`);
      }
      a.nextGroupId += 1;
      a.groups.push(group);
      emu.touch(a, group.members.keys());
      return { GroupResultItem: [{ GroupItem: { GroupName: name, GroupId: group.id }, ResultItem: results }] };
    },
  },

  update_contact_group: {
    premium: true,
    validate(body) {
      if (body.UpdateType !== 1) refuse(50002, "UpdateType must be 1");
      const u = body.UpdateGroup;
      if (!isObject(u)) refuse(50002, "UpdateGroup must be an object");
      if (!nonEmptyString(u.OldGroupName)) refuse(50002, "OldGroupName must be a non-empty string");
      if (u.UpdateGroupType === 1) {
        checkGroupName(u.NewGroupName, "NewGroupName");
        return { rename: true, old: u.OldGroupName, name: u.NewGroupName };
      }
      if (u.UpdateGroupType !== 2) refuse(50002, "UpdateGroupType must be 1 or 2");
      const ops = u.ContactUpdateItem;
      if (!Array.isArray(ops) || ops.length === 0 || ops.length > EMULATOR_LIMITS.updateItems) {
        refuse(51006, `ContactUpdateItem must hold 1 to ${EMULATOR_LIMITS.updateItems} conversations`);
      }
      const parsed = ops.map((op, i) => {
        if (!isObject(op) || (op.ContactOptType !== 1 && op.ContactOptType !== 2)) refuse(50002, `ContactUpdateItem[${i}].ContactOptType must be 1 or 2`);
        return { opt: op.ContactOptType, item: contactItem(op.ContactItem, `ContactUpdateItem[${i}]`) };
      });
      return { rename: false, old: u.OldGroupName, ops: parsed };
    },
    apply(emu, a, request) {
      const group = a.groups.find((g) => g.name === request.old);
      if (!group) refuse(51009, `conversation group ${request.old} does not exist`);
      if (request.rename) {
        if (request.name !== group.name && a.groups.some((g) => g.name === request.name)) {
          refuse(50002, `a conversation group named ${request.name} exists`);
        }
        group.name = request.name;
        return { UpdateType: 1, UpdateGroupResult: { UpdateGroupType: 1, GroupName: group.name, GroupId: group.id, OldGroupName: request.old } };
      }
      // Work on a copy so a refused request changes nothing.
      const members = new Map(group.members);
      const results = request.ops.map(({ opt, item }) => {
        const key = wireKey(item);
        let [code, info] = [0, ""];
        if (opt === 1) {
          [code, info] = emu.memberResult(item);
          if (code === 0) members.set(key, item); // adding a member again is a no-op success
        } else {
          members.delete(key); // removing a non-member is a no-op success
        }
        return { ContactOptType: opt, ContactItem: item, ResultCode: code, ResultInfo: info };
      });
      if (emu.groupedCount(a, group, members) > EMULATOR_LIMITS.groupedConversations) {
        refuse(51008, `more than ${EMULATOR_LIMITS.groupedConversations} conversations in groups`);
      }
      emu.touch(a, request.ops.map(({ item }) => wireKey(item)));
      group.members = members;
      return {
        UpdateType: 1,
        UpdateGroupResult: { UpdateGroupType: 2, GroupName: group.name, GroupId: group.id, OldGroupName: group.name, ContactResultItem: results },
      };
    },
  },

  del_contact_group: {
    premium: true,
    validate(body) {
      const names = body.GroupName;
      if (!Array.isArray(names) || names.length !== 1 || !nonEmptyString(names[0])) refuse(50002, "GroupName must hold exactly one name");
      return names[0];
    },
    apply(emu, a, name) {
      const i = a.groups.findIndex((g) => g.name === name);
      if (i < 0) refuse(51009, `conversation group ${name} does not exist`);
      const [group] = a.groups.splice(i, 1);
      emu.touch(a, group.members.keys());
      return { GroupItem: [{ GroupName: group.name, GroupId: group.id }] };
    },
  },

  get_list: {
    premium: false,
    validate(body) {
      const ints = ["TimeStamp", "StartIndex", "TopTimeStamp", "TopStartIndex", "AssistFlags"];
      for (const k of ints) if (!Number.isInteger(body[k]) || body[k] < 0) refuse(50002, `${k} must be a non-negative integer`);
      return body;
    },
    apply(emu, a, body) {
      const pinnedApart = (body.AssistFlags & 1) !== 0;
      const withEmpty = (body.AssistFlags & 2) !== 0;
      // Bits 3 to 5 ask for the group and mark extras (the docs' AssistFlags 7 example has none).
      const withExtras = (body.AssistFlags & 0b111000) !== 0;
      // The edition's pull cap: only the newest `pullCap` conversations are listed.
      const entries = [...a.conversations.entries()]
        .filter(([, c]) => withEmpty || c.msgTime > 0)
        .sort(([ka, x], [kb, y]) => y.msgTime - x.msgTime || (ka < kb ? -1 : 1))
        .slice(0, emu.pullCap);
      const top = pinnedApart ? entries.filter(([, c]) => c.pinned) : [];
      const rest = pinnedApart ? entries.filter(([, c]) => !c.pinned) : entries;
      let topAt = body.TopStartIndex;
      let restAt = body.StartIndex;
      const page = [];
      while (page.length < emu.listPageSize && topAt < top.length) page.push([...top[topAt++], 1]);
      while (page.length < emu.listPageSize && restAt < rest.length) page.push([...rest[restAt++], 0]);
      const now = emu.nowSeconds();
      return {
        SessionItem: page.map(([key, c, topFlag]) => ({
          Type: c.item.Type,
          ...(c.item.Type === 1 ? { To_Account: c.item.To_Account } : { GroupId: c.item.ToGroupId }),
          MsgTime: c.msgTime,
          TopFlag: topFlag,
          ...(withExtras ? emu.details(a, key) : {}),
        })),
        CompleteFlag: topAt >= top.length && restAt >= rest.length ? 1 : 0,
        TimeStamp: body.TimeStamp || now,
        StartIndex: restAt,
        TopTimeStamp: body.TopTimeStamp || now,
        TopStartIndex: topAt,
      };
    },
  },

  get_contact_group: {
    premium: false,
    validate(body) {
      if (!Number.isInteger(body.StartIndex) || body.StartIndex < 0) refuse(50002, "StartIndex must be a non-negative integer");
      return body.StartIndex;
    },
    apply(emu, a, start) {
      // Groups and marks past the edition's pull cap cannot be read.
      const keys = emu.markedKeys(a).slice(0, emu.pullCap);
      const page = keys.slice(start, start + emu.groupPageSize);
      const next = start + page.length;
      const complete = next >= keys.length;
      return {
        ContactItem: page.map((k) => emu.contactItem(a, k)),
        GroupItem: a.groups.map((g) => ({ GroupName: g.name, GroupId: g.id })),
        CompleteFlag: complete ? 1 : 0,
        NextStartIndex: complete ? 0 : next,
      };
    },
  },

  search_contact_group: {
    premium: false,
    validate(body) {
      const items = body.ContactItem;
      if (!Array.isArray(items) || items.length === 0 || items.length > EMULATOR_LIMITS.searchConversations) {
        refuse(50002, `ContactItem must hold 1 to ${EMULATOR_LIMITS.searchConversations} conversations`);
      }
      return items.map((c, i) => wireKey(contactItem(c, `ContactItem[${i}]`)));
    },
    apply(emu, a, keys) {
      const known = new Set(emu.markedKeys(a));
      const found = [...new Set(keys)].filter((k) => known.has(k));
      const ids = new Set(found.flatMap((k) => emu.groupIdsOf(a, k)));
      return {
        ContactResultItem: found.map((k) => emu.contactItem(a, k)),
        GroupItem: a.groups.filter((g) => ids.has(g.id)).map((g) => ({ GroupName: g.name, GroupId: g.id })),
      };
    },
  },

  mark_contact: {
    premium: false, // custom marks work in every edition; standard ones are checked per item
    validate(body, emu) {
      const items = body.MarkItem;
      if (!Array.isArray(items) || items.length === 0 || items.length > EMULATOR_LIMITS.markItems) {
        refuse(51006, `MarkItem must hold 1 to ${EMULATOR_LIMITS.markItems} conversations`);
      }
      const bits = (v, where) => {
        if (v === undefined) return [];
        if (!Array.isArray(v) || !v.every((b) => Number.isInteger(b) && b >= 0 && b < EMULATOR_LIMITS.markBits)) {
          refuse(50002, `${where} must be bit numbers from 0 to ${EMULATOR_LIMITS.markBits - 1}`);
        }
        return v;
      };
      return items.map((m, i) => {
        const where = `MarkItem[${i}]`;
        if (!isObject(m) || ![1, 2, 3].includes(m.OptType)) refuse(50002, `${where}.OptType must be 1, 2 or 3`);
        const item = contactItem(m.ContactItem, where);
        const set = bits(m.SetMark, `${where}.SetMark`);
        const clear = bits(m.ClearMark, `${where}.ClearMark`);
        const custom = m.OptType === 1 ? undefined : m.CustomMark;
        if (m.OptType !== 1 && typeof custom !== "string") refuse(50002, `${where}.CustomMark must be a string with OptType ${m.OptType}`);
        if (custom !== undefined && bytes(custom) > EMULATOR_LIMITS.customMarkBytes) {
          refuse(50002, `${where}.CustomMark is ${bytes(custom)} bytes; at most ${EMULATOR_LIMITS.customMarkBytes}`);
        }
        if (m.OptType !== 2 && !emu.groupsEnabled) refuse(51013, "standard conversation marks need an edition with conversation groups");
        return { opt: m.OptType, item, set, clear, custom };
      });
    },
    apply(emu, a, parsed) {
      // Work on a copy so a refused request changes nothing.
      const marks = new Map([...a.marks].map(([k, v]) => [k, { ...v }]));
      const results = parsed.map(({ opt, item, set, clear, custom }) => {
        const [code, info] = emu.memberResult(item);
        if (code === 0) {
          const key = wireKey(item);
          const m = marks.get(key) ?? { item, standard: 0n, custom: undefined };
          if (opt !== 2) {
            for (const b of set) m.standard |= 1n << BigInt(b);
            for (const b of clear) m.standard &= ~(1n << BigInt(b));
          }
          if (opt !== 1) m.custom = custom;
          if (m.standard === 0n && (m.custom === undefined || m.custom === "")) marks.delete(key);
          else marks.set(key, m);
        }
        return { OptType: opt, ContactItem: item, ResultCode: code, ResultInfo: info };
      });
      if (marks.size > EMULATOR_LIMITS.markedConversations) {
        refuse(51008, `more than ${EMULATOR_LIMITS.markedConversations} marked conversations`);
      }
      a.marks = marks;
      emu.touch(a, parsed.map(({ item }) => wireKey(item)));
      return { ResultItem: results };
    },
  },
};
