// The mistakes a new user makes, each with the exact message they get: the
// field, what was expected in JavaScript's words, the JS type received
// (never the value), and the near-miss key. Run in Node, Deno and workerd
// through the suite (suite.mjs), and printed by `node tests/js/mistakes.mjs`.

export const SECRET = "a3f1c0ffee5ec12e7deadbeef0123456789abcdef0123456789abcdef012345";
const APP = 1400000000;
const base = { sdkAppId: APP, identifier: "administrator", secretKey: SECRET, fetch: async () => new Response("{}") };
const c2c = { type: "c2c", toAccount: "bob" };

/** [what the user did, (mod) => the call, error class, exact message] */
export const MISTAKES = [
  // ---- client options
  ["the secret key passed as sdkAppId (swapped env vars)", (m) => new m.ConversationClient({ ...base, sdkAppId: SECRET }), "TimValidationError", "invalid `sdkAppId`: must be a whole number from 0 to 4294967295, received a string"],
  ["sdkAppId as a numeric string", (m) => new m.ConversationClient({ ...base, sdkAppId: "1400000000" }), "TimValidationError", "invalid `sdkAppId`: must be a whole number from 0 to 4294967295, received a string"],
  ["sdkAppId: Number(undefined) (a missing env var in a Worker)", (m) => new m.ConversationClient({ ...base, sdkAppId: Number(undefined) }), "TimValidationError", "invalid `sdkAppId`: must be a whole number from 0 to 4294967295, received NaN"],
  ["sdkAppId left out", (m) => new m.ConversationClient({ identifier: "a", secretKey: SECRET }), "TimValidationError", "invalid `sdkAppId`: is required"],
  ["sdkAppId: 0", (m) => new m.ConversationClient({ ...base, sdkAppId: 0 }), "TimValidationError", "invalid `sdkAppId`: must be your app's SDKAppID (a whole number from 1 to 4294967295, shown in the Chat console), not 0"],
  ["sdkAppId: -1", (m) => new m.ConversationClient({ ...base, sdkAppId: -1 }), "TimValidationError", "invalid `sdkAppId`: must be a whole number from 0 to 4294967295, received a number outside that range"],
  ["sdkAppId: 1.5", (m) => new m.ConversationClient({ ...base, sdkAppId: 1.5 }), "TimValidationError", "invalid `sdkAppId`: must be a whole number from 0 to 4294967295, received a number that is not a whole number"],
  ["sdkAppId as a BigInt", (m) => new m.ConversationClient({ ...base, sdkAppId: 1400000000n }), "TimValidationError", "invalid `sdkAppId`: must be plain data, received a bigint"],
  ["sdkAppID (capital D)", (m) => new m.ConversationClient({ ...base, sdkAppID: APP }), "TimValidationError", "invalid `sdkAppID`: is not a known field; did you mean `sdkAppId`?"],
  ["secretkey (lower-case k)", (m) => new m.ConversationClient({ sdkAppId: APP, identifier: "a", secretkey: SECRET }), "TimValidationError", "invalid `secretkey`: is not a known field; did you mean `secretKey`?"],
  ["fecth: a function (would fall back to the real service)", (m) => new m.ConversationClient({ ...base, fecth: async () => new Response("{}") }), "TimValidationError", "invalid `fecth`: is not a known field; did you mean `fetch`?"],
  ["onevent instead of onEvent", (m) => new m.ConversationClient({ ...base, onevent: () => {} }), "TimValidationError", "invalid `onevent`: is not a known field; did you mean `onEvent`?"],
  ["timeout instead of timeoutMs", (m) => new m.ConversationClient({ ...base, timeout: 5000 }), "TimValidationError", "invalid `timeout`: is not a known field; did you mean `timeoutMs`?"],
  ["timeoutMs: Infinity", (m) => new m.ConversationClient({ ...base, timeoutMs: Infinity }), "TimValidationError", "invalid `timeoutMs`: must be 1 to 2147483647 milliseconds (the longest timer JavaScript keeps), received Infinity"],
  ["timeoutMs: NaN", (m) => new m.ConversationClient({ ...base, timeoutMs: NaN }), "TimValidationError", "invalid `timeoutMs`: must be 1 to 2147483647 milliseconds (the longest timer JavaScript keeps), received NaN"],
  ["timeoutMs: -1 (told the same range as 0)", (m) => new m.ConversationClient({ ...base, timeoutMs: -1 }), "TimValidationError", "invalid `timeoutMs`: must be 1 to 2147483647 milliseconds (the longest timer JavaScript keeps), received a number outside that range"],
  ["timeoutMs: 0", (m) => new m.ConversationClient({ ...base, timeoutMs: 0 }), "TimValidationError", "invalid `timeoutMs`: must be 1 to 2147483647 milliseconds (the longest timer JavaScript keeps), received a number outside that range"],
  ["timeoutMs: 2.5", (m) => new m.ConversationClient({ ...base, timeoutMs: 2.5 }), "TimValidationError", "invalid `timeoutMs`: must be 1 to 2147483647 milliseconds (the longest timer JavaScript keeps), received a number that is not a whole number"],
  ["maxRetries: -1", (m) => new m.ConversationClient({ ...base, maxRetries: -1 }), "TimValidationError", "invalid `maxRetries`: must be 0 to 10, received a number outside that range"],
  ["a call's timeoutMs: -1", (m) => new m.ConversationClient(base).deleteConversation({ fromAccount: "a", conversation: c2c }, { timeoutMs: -1 }), "TimValidationError", "invalid `options.timeoutMs`: must be 1 to 2147483647 milliseconds, received a number outside that range"],
  ["timeoutMs as a string", (m) => new m.ConversationClient({ ...base, timeoutMs: "5000" }), "TimValidationError", "invalid `timeoutMs`: must be 1 to 2147483647 milliseconds (the longest timer JavaScript keeps), received a string"],
  ["maxRequestsPerSecond: Infinity", (m) => new m.ConversationClient({ ...base, maxRequestsPerSecond: Infinity }), "TimValidationError", "invalid `maxRequestsPerSecond`: must be a number, received Infinity"],
  ["maxRetries: NaN", (m) => new m.ConversationClient({ ...base, maxRetries: NaN }), "TimValidationError", "invalid `maxRetries`: must be 0 to 10, received NaN"],
  ["both secretKey and userSig", (m) => new m.ConversationClient({ ...base, userSig: "eJx" }), "TimValidationError", "invalid `secretKey`: give either secretKey or userSig, not both"],
  ["neither secretKey nor userSig", (m) => new m.ConversationClient({ sdkAppId: APP, identifier: "a" }), "TimValidationError", "invalid `secretKey`: give secretKey (or a ready userSig)"],
  ["a numeric secretKey", (m) => new m.ConversationClient({ ...base, secretKey: 1234567890123 }), "TimValidationError", "invalid `secretKey`: must be a string, received a number"],
  ["a numeric userSig", (m) => new m.ConversationClient({ sdkAppId: APP, identifier: "a", userSig: 98765432109876 }), "TimValidationError", "invalid `userSig`: must be a string, received a number"],
  ["region with a capital letter", (m) => new m.ConversationClient({ ...base, region: "Singapore" }), "TimValidationError", "invalid `region`: must be one of \"china\", \"singapore\", \"seoul\", \"tokyo\", \"frankfurt\", \"mumbai\", \"silicon-valley\", \"jakarta\", \"riyadh\"; did you mean \"singapore\"?"],
  ["the secret key passed as region", (m) => new m.ConversationClient({ ...base, region: SECRET }), "TimValidationError", "invalid `region`: must be one of \"china\", \"singapore\", \"seoul\", \"tokyo\", \"frankfurt\", \"mumbai\", \"silicon-valley\", \"jakarta\", \"riyadh\""],
  ["both region and baseUrl", (m) => new m.ConversationClient({ ...base, region: "china", baseUrl: "http://127.0.0.1:8787" }), "TimValidationError", "invalid `baseUrl`: give either region or baseUrl, not both"],
  ["baseUrl without a scheme", (m) => new m.ConversationClient({ ...base, baseUrl: "console.tim.qq.com" }), "TimValidationError", "invalid `baseUrl`: must start with http:// or https://"],
  ["baseUrl ending in /v4", (m) => new m.ConversationClient({ ...base, baseUrl: "https://console.tim.qq.com/v4" }), "TimValidationError", "invalid `baseUrl`: must be the origin only (e.g. https://console.tim.qq.com): the client adds /v4/recentcontact/…"],
  ["baseUrl with an impossible port", (m) => new m.ConversationClient({ ...base, baseUrl: "http://127.0.0.1:99999" }), "TimValidationError", "invalid `baseUrl`: has a port that is not a number from 1 to 65535"],
  ["baseUrl as a port number", (m) => new m.ConversationClient({ ...base, baseUrl: 8787 }), "TimValidationError", "invalid `baseUrl`: must be a URL string or an array of 1 to 4 URL strings, received a number"],
  ["an empty identifier", (m) => new m.ConversationClient({ ...base, identifier: "" }), "TimValidationError", "invalid `identifier`: must not be empty"],
  ["options as a string", (m) => new m.ConversationClient("1400000000"), "TimValidationError", "invalid `options`: must be an object like { sdkAppId, identifier, secretKey }, received a string"],
  ["no options at all", (m) => new m.ConversationClient(), "TimValidationError", "invalid `options`: must be an object like { sdkAppId, identifier, secretKey }, received undefined"],
  ["fetch as a string", (m) => new m.ConversationClient({ ...base, fetch: "fetch" }), "TimValidationError", "invalid `fetch`: must be a function like globalThis.fetch"],
  ["onEvent as an object", (m) => new m.ConversationClient({ ...base, onEvent: {} }), "TimValidationError", "invalid `onEvent`: must be a function (event) => void"],
  // ---- method params
  ["params left out", (m) => new m.ConversationClient(base).deleteConversation(), "TimValidationError", "invalid `params`: must be an object, received undefined"],
  ["fromAccount left out", (m) => new m.ConversationClient(base).deleteConversation({ conversation: c2c }), "TimValidationError", "invalid `fromAccount`: is required"],
  ["fromAccount as a number", (m) => new m.ConversationClient(base).deleteConversation({ fromAccount: 42, conversation: c2c }), "TimValidationError", "invalid `fromAccount`: must be a string, received a number"],
  ["conversation type \"C2C\"", (m) => new m.ConversationClient(base).deleteConversation({ fromAccount: "a", conversation: { type: "C2C", toAccount: "b" } }), "TimValidationError", "invalid `conversation.type`: must be \"c2c\" or \"group\"; did you mean \"c2c\"?"],
  ["conversation without a type", (m) => new m.ConversationClient(base).deleteConversation({ fromAccount: "a", conversation: { toAccount: "b" } }), "TimValidationError", "invalid `conversation.type`: is required"],
  ["the wire name To_Account in a conversation", (m) => new m.ConversationClient(base).deleteConversation({ fromAccount: "a", conversation: { type: "c2c", To_Account: "b" } }), "TimValidationError", "invalid `conversation.To_Account`: is not a known field; did you mean `toAccount`?"],
  ["toaccount (lower case)", (m) => new m.ConversationClient(base).deleteConversation({ fromAccount: "a", conversation: { type: "c2c", toaccount: "b" } }), "TimValidationError", "invalid `conversation.toaccount`: is not a known field; did you mean `toAccount`?"],
  ["clearRoamingMessages as a string", (m) => new m.ConversationClient(base).deleteConversation({ fromAccount: "a", conversation: c2c, clearRoamingMessages: "yes" }), "TimValidationError", "invalid `clearRoamingMessages`: must be true or false, received a string"],
  ["conversations as one object instead of a list", (m) => new m.ConversationClient(base).createConversationGroup({ fromAccount: "a", groupName: "g", conversations: c2c }), "TimValidationError", "invalid `conversations`: must be an array, received an object"],
  ["a hole (undefined) in conversations", (m) => new m.ConversationClient(base).createConversationGroup({ fromAccount: "a", groupName: "g", conversations: [c2c, undefined] }), "TimValidationError", "invalid `conversations[1]`: must be an object with a \"type\", received undefined"],
  ["groupName as a number", (m) => new m.ConversationClient(base).createConversationGroup({ fromAccount: "a", groupName: 7, conversations: [c2c] }), "TimValidationError", "invalid `groupName`: must be a string, received a number"],
  ["a group name of 33 bytes", (m) => new m.ConversationClient(base).createConversationGroup({ fromAccount: "a", groupName: "x".repeat(33), conversations: [c2c] }), "TimValidationError", "invalid `groupName`: must be at most 32 UTF-8 bytes, got 33 bytes"],
  ["a cursor as a number", (m) => new m.ConversationClient(base).listConversationsPage({ fromAccount: "a", cursor: 5 }), "TimValidationError", "invalid `cursor`: must be a string, received a number"],
  ["includePinned: NaN", (m) => new m.ConversationClient(base).listConversationsPage({ fromAccount: "a", includePinned: NaN }), "TimValidationError", "invalid `includePinned`: must be true or false, received NaN"],
  ["a mark bit out of range", (m) => new m.ConversationClient(base).markConversations({ fromAccount: "a", items: [{ conversation: c2c, set: [99] }] }), "TimValidationError", "invalid `items[0].set[0]`: a standard mark is a bit number from 0 to 63, got 99"],
  ["params: null", (m) => new m.ConversationClient(base).deleteConversationGroup(null), "TimValidationError", "invalid `params`: must be an object, received null"],
  // ---- per-call options
  ["timeout instead of timeoutMs in a call's options", (m) => new m.ConversationClient(base).deleteConversation({ fromAccount: "a", conversation: c2c }, { timeout: 5 }), "TimValidationError", "invalid `options.timeout`: is not a known field; did you mean `timeoutMs`?"],
  ["a signal that is not an AbortSignal", (m) => new m.ConversationClient(base).deleteConversation({ fromAccount: "a", conversation: c2c }, { signal: {} }), "TimValidationError", "invalid `options.signal`: must be an AbortSignal"],
  ["a call's timeoutMs: NaN", (m) => new m.ConversationClient(base).deleteConversation({ fromAccount: "a", conversation: c2c }, { timeoutMs: NaN }), "TimValidationError", "invalid `options.timeoutMs`: must be 1 to 2147483647 milliseconds, received NaN"],
  // ---- signing
  ["genUserSig with a numeric secretKey", (m) => m.genUserSig({ sdkAppId: APP, secretKey: 1234567890123, identifier: "a", expireSeconds: 60 }), "TimValidationError", "invalid `secretKey`: must be a string, received a number"],
  ["genUserSig with expire instead of expireSeconds", (m) => m.genUserSig({ sdkAppId: APP, secretKey: SECRET, identifier: "a", expire: 60 }), "TimValidationError", "invalid `expire`: is not a known field; did you mean `expireSeconds`?"],
];

/** What each mistake gives now: [what, class, message]. */
export async function outcomes(mod) {
  const out = [];
  for (const [what, run] of MISTAKES) {
    try {
      await run(mod);
      out.push([what, "no error", ""]);
    } catch (e) {
      out.push([what, e?.name, e?.message]);
    }
  }
  return out;
}

const OK = { ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" };

function check(cond, message) {
  if (!cond) throw new Error(`assertion failed: ${message}`);
}

async function rejection(p) {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected a rejection");
}

/** Every string reachable from `v` (own properties, cause chain, stack), as one text. */
function everything(v, seen = new Set(), depth = 0) {
  if (typeof v === "string") return v;
  if (v === null || typeof v !== "object" || seen.has(v) || depth > 6) return String(v);
  seen.add(v);
  let out = "";
  for (const k of new Set([...Object.getOwnPropertyNames(v), "message", "stack", "cause", "name"])) {
    let x;
    try {
      x = v[k];
    } catch {
      continue;
    }
    out += ` ${k}=${everything(x, seen, depth + 1)}`;
  }
  try {
    out += ` ${String(v)}`;
  } catch {}
  return out;
}

/** The forms of a secret a text must not hold. */
function forms(secret) {
  return [secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)];
}

function clean(text, secrets, what) {
  for (const s of secrets) for (const f of forms(s)) check(!text.includes(f), `${what} quotes a secret: ${text.slice(0, 400)}`);
}

const CLIENT_FIELDS = ["sdkAppId", "identifier", "secretKey", "userSig", "region", "baseUrl", "onEvent", "fetch", "rateLimiter", "timeoutMs", "maxRetries", "userSigTtlSeconds", "maxRequestsPerSecond", "maxResponseBytes", "maxPages", "maxItems"];
const NUMBER_LIKE = 918273645546372;
const PARAMS = {
  deleteConversation: { fromAccount: "a", conversation: c2c, clearRoamingMessages: true },
  createConversationGroup: { fromAccount: "a", groupName: "g", conversations: [c2c] },
  renameConversationGroup: { fromAccount: "a", groupName: "g", newGroupName: "h" },
  updateConversationGroup: { fromAccount: "a", groupName: "g", add: [c2c], remove: [c2c] },
  deleteConversationGroup: { fromAccount: "a", groupName: "g" },
  listConversationsPage: { fromAccount: "a", cursor: "0:0", includePinned: true, includeEmpty: true },
  getConversationGroupsPage: { fromAccount: "a", cursor: "0" },
  searchConversationGroups: { fromAccount: "a", conversations: [c2c] },
  markConversations: { fromAccount: "a", items: [{ conversation: c2c, set: [1], clear: [2], customMark: "m" }] },
};

export const mistakeCases = [
  ["the mistakes table: each mistake gets its exact message", async (mod) => {
    if (MISTAKES.length < 40) throw new Error("fewer than 40 mistakes");
    const got = await outcomes(mod);
    const wrong = [];
    MISTAKES.forEach(([what, , cls, message], i) => {
      const [, name, msg] = got[i];
      if (name !== cls || msg !== message) wrong.push(`${what}:\n    expected ${cls}: ${message}\n    got      ${name}: ${msg}`);
      if (msg.includes(SECRET) || msg.includes("1234567890123") || msg.includes("98765432109876")) wrong.push(`${what}: quotes the value`);
    });
    if (wrong.length) throw new Error(`${wrong.length} mistakes differ:\n${wrong.join("\n")}`);
  }],

  ["a wrong-typed secret-looking value in any option or param field is never quoted", async (mod) => {
    for (const field of CLIENT_FIELDS) {
      for (const bad of [SECRET, NUMBER_LIKE, { key: SECRET }, [SECRET]]) {
        try {
          new mod.ConversationClient({ ...base, userSig: undefined, [field]: bad });
        } catch (e) {
          clean(everything(e), [SECRET, String(NUMBER_LIKE)], `option ${field}`);
          continue;
        }
        // Accepted (a string where a string belongs): nothing to check.
      }
    }
    const client = new mod.ConversationClient(base);
    for (const [method, params] of Object.entries(PARAMS)) {
      for (const field of Object.keys(params)) {
        for (const bad of [SECRET, NUMBER_LIKE, { key: SECRET }, [SECRET], [NUMBER_LIKE]]) {
          const e = await rejection(client[method]({ ...params, [field]: bad })).catch((x) => x);
          if (e instanceof Error && e.name !== "TimValidationError") continue; // accepted; the fake answered
          clean(everything(e), [SECRET, String(NUMBER_LIKE)], `${method}.${field}`);
        }
      }
    }
    for (const bad of [SECRET, NUMBER_LIKE]) {
      for (const f of ["sdkAppId", "secretKey", "identifier", "expireSeconds"]) {
        try {
          mod.genUserSig({ sdkAppId: APP, secretKey: SECRET, identifier: "a", expireSeconds: 60, [f]: typeof bad === "string" && f === "secretKey" ? NUMBER_LIKE : bad });
        } catch (e) {
          clean(everything(e), [SECRET, String(NUMBER_LIKE)], `genUserSig.${f}`);
        }
      }
      try {
        mod.verifyUserSig({ sdkAppId: APP, secretKey: SECRET, userSig: NUMBER_LIKE });
      } catch (e) {
        clean(everything(e), [SECRET, String(NUMBER_LIKE)], "verifyUserSig.userSig");
      }
    }
  }],

  ["a service or proxy that echoes the URL or the key: no secret in any error, cause or event", async (mod) => {
    const sigs = new Set();
    const allSigs = new Set();
    const events = [];
    let mode = "api";
    const fetch = async (url) => {
      const u = new URL(url);
      const sig = u.searchParams.get("usersig");
      sigs.add(sig);
      allSigs.add(sig);
      const echo = `${url} ${encodeURIComponent(url)} sig=${encodeURIComponent(sig)} key=${SECRET}`;
      if (mode === "api") return Response.json({ ActionStatus: "FAIL", ErrorCode: 50002, ErrorInfo: echo, ErrorDisplay: echo });
      if (mode === "auth") return Response.json({ ActionStatus: "FAIL", ErrorCode: 70003, ErrorInfo: echo });
      if (mode === "expired") return Response.json({ ActionStatus: "FAIL", ErrorCode: sigs.size === 1 ? 70001 : 50002, ErrorInfo: `${echo} earlier=${[...sigs].join(",")}` });
      if (mode === "decode") return new Response(`<html>proxy error for ${echo}</html>`, { status: 200 });
      if (mode === "decode-ok") return Response.json({ ...OK, GroupItem: echo });
      if (mode === "http") return new Response(echo, { status: 502 });
      // A runtime error quoting the URL in its message and in a property (Node's `input`), nested in a cause.
      const inner = new TypeError(`Invalid URL: ${url}`);
      inner.input = url;
      inner.code = "ERR_INVALID_URL";
      throw new TypeError(`fetch failed for ${url}`, { cause: inner });
    };
    for (const m of ["api", "auth", "expired", "decode", "decode-ok", "http", "network"]) {
      mode = m;
      sigs.clear();
      const client = new mod.ConversationClient({ ...base, fetch, maxRetries: 0, onEvent: (e) => events.push(JSON.stringify(e)) });
      const call = m === "decode-ok" ? client.deleteConversationGroup({ fromAccount: "a", groupName: "g" }) : client.deleteConversation({ fromAccount: "a", conversation: c2c });
      const e = await rejection(call);
      check(e instanceof mod.TimError, `${m}: a TimError (${e})`);
      check(sigs.size >= 1, `${m}: a request was made`);
      clean(everything(e), [SECRET, ...sigs], `${m} error`);
      check(everything(e).includes("REDACTED"), `${m}: the echo is there, redacted: ${e.message}`);
    }
    check(events.length > 0, "events were seen");
    clean(events.join("\n"), [SECRET, ...allSigs], "events");
  }],

  ["the stack of a rejected call shows the caller's own frame", async (mod) => {
    const client = new mod.ConversationClient({ ...base, fetch: async () => Response.json({ ActionStatus: "FAIL", ErrorCode: 51009, ErrorInfo: "no group" }) });
    async function theCallersOwnFunction(p) {
      return await client.deleteConversationGroup(p);
    }
    // The caller's own line is the first frame under the message, for a
    // rejection (the service's, a refused call's, a misused method's) as for
    // a sync throw (the constructor, the UserSig helpers).
    const firstFrame = (e) => String(e.stack).split("\n").find((l) => /^\s+at /.test(l)) ?? "";
    for (const p of [{ fromAccount: "a", groupName: "g" }, { fromAccount: "a" }]) {
      const e = await rejection(theCallersOwnFunction(p));
      check(e instanceof mod.TimError, String(e));
      check(firstFrame(e).includes("theCallersOwnFunction"), `first frame: ${e.stack}`);
      check(!String(e.stack).includes("wasm-function"), `no wasm frames: ${e.stack}`);
    }
    async function callsUnbound() {
      const unbound = client.deleteConversationGroup;
      return await unbound({ fromAccount: "a", groupName: "g" });
    }
    const misused = await rejection(callsUnbound());
    check(firstFrame(misused).includes("callsUnbound"), `first frame: ${misused.stack}`);
    // (Not `return f()`: JavaScriptCore's proper tail calls would drop the frame.)
    function constructsBadly() {
      const c = new mod.ConversationClient({ ...base, sdkAppId: "x" });
      return c;
    }
    function signsBadly() {
      const sig = mod.genUserSig({ sdkAppId: 1 });
      return sig;
    }
    function verifiesBadly() {
      const v = mod.verifyUserSig({ sdkAppId: 1 });
      return v;
    }
    for (const f of [constructsBadly, signsBadly, verifiesBadly]) {
      let thrown;
      try {
        f();
      } catch (e) {
        thrown = e;
      }
      check(thrown instanceof mod.TimValidationError, `${f.name}: ${thrown}`);
      // The user's code, not the package's. (Bun's JavaScriptCore leaves the
      // calling function's own frame out of a sync stack, anyone's: there the
      // first frame is its caller's line.)
      check(!/chunks\/|node\.mjs|node\.cjs|deno(-load)?\.js|workerd\.js/.test(firstFrame(thrown)), `${f.name}: first frame: ${thrown.stack}`);
      if (typeof globalThis.Bun === "undefined") check(firstFrame(thrown).includes(f.name), `${f.name}: first frame: ${thrown.stack}`);
    }
  }],

  ["error objects a user can build, with kind, and decode errors with status, excerpt and request id", async (mod) => {
    const api = new mod.TimApiError({ code: 51009, info: "no such group", command: "v4/recentcontact/del_contact_group" });
    check(api instanceof mod.TimError && api instanceof Error && api.kind === "api" && api.code === 51009, "TimApiError");
    check(api.message === "v4/recentcontact/del_contact_group failed with ErrorCode 51009: no such group", api.message);
    check(api.retryable === false && api.name === "TimApiError", "defaults");
    check(mod.isTimError(api) && !mod.isTimError(new Error("x")) && !mod.isTimError("x"), "isTimError");
    const v = new mod.TimValidationError({ field: "groupName", reason: "must not be empty" });
    check(v.kind === "validation" && v.message === "invalid `groupName`: must not be empty", v.message);
    for (const [C, kind] of [[mod.TimAuthError, "auth"], [mod.TimHttpError, "http"], [mod.TimNetworkError, "network"], [mod.TimTimeoutError, "timeout"], [mod.TimDecodeError, "decode"], [mod.TimAbortError, "abort"]]) {
      const x = new C({});
      check(x.kind === kind && x instanceof mod.TimError && typeof x.message === "string", kind);
    }
    const seen = [];
    const client = new mod.ConversationClient({
      ...base,
      fetch: async (url) => {
        seen.push(new URL(url).searchParams.get("random"));
        return new Response("<html>" + "x".repeat(5000), { status: 200 });
      },
    });
    const e = await rejection(client.deleteConversation({ fromAccount: "a", conversation: c2c }));
    check(e instanceof mod.TimDecodeError && e.status === 200, `status ${e.status}`);
    check(e.excerpt.startsWith("<html>xxx") && e.excerpt.length <= 201, `excerpt ${e.excerpt.length}`);
    check(String(e.requestId) === seen[seen.length - 1], `request id ${e.requestId} vs ${seen}`);
  }],

  ["misuse gives a TimError: an unbound method, a call after free(), free() during a call", async (mod) => {
    let release;
    const client = new mod.ConversationClient({ ...base, fetch: () => new Promise((r) => { release = () => r(Response.json(OK)); }) });
    const unbound = client.deleteConversationGroup;
    const e1 = await rejection(unbound({ fromAccount: "a", groupName: "g" }));
    check(e1 instanceof mod.TimValidationError && e1.field === "this", e1.message);
    const e2 = await rejection(["a"].map(client.listConversationsPage)[0]);
    check(e2 instanceof mod.TimValidationError && /listConversationsPage was called without its client/.test(e2.message), e2.message);
    // free() during a call: the call finishes, then the client is freed.
    const pending = client.deleteConversation({ fromAccount: "a", conversation: c2c });
    await new Promise((r) => setTimeout(r, 10));
    client.free();
    release();
    check((await pending) === undefined, "the call in flight completed");
    const e3 = await rejection(client.deleteConversation({ fromAccount: "a", conversation: c2c }));
    check(e3 instanceof mod.TimValidationError && e3.field === "client", e3.message);
    client.free(); // twice is harmless
    const e4 = await rejection(client.bulk([]));
    check(e4 instanceof mod.TimValidationError && e4.field === "client", e4.message);
  }],

  ["Symbol.asyncDispose (await using) settles once the client is freed, after its last call", async (mod) => {
    if (typeof Symbol.asyncDispose !== "symbol") return; // a runtime without the symbol
    let release;
    const client = new mod.ConversationClient({ ...base, fetch: () => new Promise((r) => { release = () => r(Response.json(OK)); }) });
    const pending = client.deleteConversation({ fromAccount: "a", conversation: c2c });
    await new Promise((r) => setTimeout(r, 10));
    let disposed = false;
    const disposing = client[Symbol.asyncDispose]().then(() => (disposed = true));
    await new Promise((r) => setTimeout(r, 10));
    check(!disposed, "not settled while a call is in flight");
    release();
    check((await pending) === undefined, "the call in flight completed");
    await disposing;
    check(disposed, "settled after the last call");
    const e = await rejection(client.deleteConversation({ fromAccount: "a", conversation: c2c }));
    check(e instanceof mod.TimValidationError && e.field === "client", e.message);
    await client[Symbol.asyncDispose](); // twice is harmless
    const idle = new mod.ConversationClient(base);
    await idle[Symbol.asyncDispose](); // no call in flight: freed at once
    check(idle[Symbol.dispose] === idle.free, "Symbol.dispose is free()");
    check((await rejection(idle.deleteConversation({ fromAccount: "a", conversation: c2c }))).field === "client", "freed");
  }],

  ["Retry-After is honoured", async (mod) => {
    const at = [];
    const client = new mod.ConversationClient({
      ...base,
      fetch: async () => {
        at.push(Date.now());
        return at.length === 1 ? new Response("busy", { status: 429, headers: { "retry-after": "1" } }) : Response.json(OK);
      },
    });
    await client.deleteConversation({ fromAccount: "a", conversation: c2c });
    check(at.length === 2 && at[1] - at[0] >= 990, `waited ${at[1] - at[0]} ms`);
  }],
];

if (typeof process !== "undefined" && process.argv?.[1]?.endsWith("mistakes.mjs")) {
  const mod = await import("tim-recentcontact");
  for (const [what, name, msg] of await outcomes(mod)) console.log(`${what}\n    ${name}: ${msg}`);
}
