// The package in Node: the conformance suite through `import`, the same
// instance through `require`, the default (gloo-net) transport against a
// loopback HTTP server, and UserSig parity with tls-sig-api-v2.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import http from "node:http";
import zlib from "node:zlib";
import crypto from "node:crypto";
import * as mod from "tim-recentcontact";
import { cases, APP, KEY } from "./suite.mjs";

const require = createRequire(import.meta.url);

for (const [name, fn] of cases) test(name, () => fn(mod));

test("TIM_BASE_URL: where a client names no baseUrl or region it goes there; a given region or baseUrl wins; a bad one is named", async () => {
  const seen = [];
  const fetch = async (url) => {
    seen.push(new URL(url).origin);
    return new Response(JSON.stringify({ ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" }));
  };
  const options = { sdkAppId: APP, identifier: "admin", secretKey: KEY, fetch };
  const del = { fromAccount: "u", conversation: { type: "c2c", toAccount: "p" } };
  const saved = process.env.TIM_BASE_URL;
  try {
    process.env.TIM_BASE_URL = "http://127.0.0.1:8787";
    await new mod.ConversationClient(options).deleteConversation(del);
    await new mod.ConversationClient({ ...options, region: "singapore" }).deleteConversation(del);
    await new mod.ConversationClient({ ...options, baseUrl: "http://127.0.0.1:9000" }).deleteConversation(del);
    assert.deepEqual(seen, ["http://127.0.0.1:8787", "https://adminapisgp.im.qcloud.com", "http://127.0.0.1:9000"]);
    process.env.TIM_BASE_URL = "127.0.0.1:8787";
    assert.throws(() => new mod.ConversationClient(options), (e) => e instanceof mod.TimValidationError && e.field === "TIM_BASE_URL");
    delete process.env.TIM_BASE_URL;
    await new mod.ConversationClient(options).deleteConversation(del);
    assert.equal(seen.at(-1), "https://console.tim.qq.com", "unset: the default region");
  } finally {
    if (saved === undefined) delete process.env.TIM_BASE_URL;
    else process.env.TIM_BASE_URL = saved;
  }
});

test("require() and import share one instance and one set of classes", () => {
  const cjs = require("tim-recentcontact");
  assert.equal(cjs.ConversationClient, mod.ConversationClient);
  assert.equal(cjs.TimError, mod.TimError);
  try {
    new cjs.ConversationClient({});
    assert.fail("should throw");
  } catch (e) {
    assert.ok(e instanceof mod.TimValidationError);
  }
});

test("require() first, then import: still one instance, and both give the same exports", async () => {
  const { execFileSync } = await import("node:child_process");
  const script = `
    const cjs = require("tim-recentcontact");
    import("tim-recentcontact").then((esm) => {
      const names = (o) => Object.keys(o).filter((k) => k !== "default").sort().join(",");
      console.log(JSON.stringify({
        same: cjs.ConversationClient === esm.ConversationClient && cjs.TimError === esm.TimError && cjs.verifyUserSig === esm.verifyUserSig,
        cjs: names(cjs),
        esm: names(esm),
      }));
    });`;
  const out = JSON.parse(execFileSync(process.execPath, ["-e", script], { encoding: "utf8" }));
  assert.equal(out.same, true);
  assert.equal(out.esm, out.cjs);
  assert.equal(out.cjs, Object.keys(mod).sort().join(","));
});

test("import reads the .wasm without an ES import of node:fs, and still loads where process.getBuiltinModule is missing (Node before 20.16 / 22.3)", async () => {
  const { execFileSync } = await import("node:child_process");
  const script = `
    const streamsBefore = process.moduleLoadList.includes("NativeModule internal/fs/streams");
    if (process.env.NO_GET_BUILTIN) delete process.getBuiltinModule;
    const { ConversationClient } = await import("tim-recentcontact");
    const fetch = async () => new Response('{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}');
    const client = new ConversationClient({ sdkAppId: 1400000000, identifier: "admin", secretKey: "k", baseUrl: "http://127.0.0.1:1", fetch });
    await client.deleteConversation({ fromAccount: "u", conversation: { type: "c2c", toAccount: "v" } });
    console.log(JSON.stringify({ before: streamsBefore, after: process.moduleLoadList.includes("NativeModule internal/fs/streams"), getBuiltin: typeof process.getBuiltinModule }));`;
  const run = (env) => JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", env: { ...process.env, ...env } }));
  // An ES import of node:fs builds its namespace, which loads fs.promises and
  // the file streams: about 4 ms of a cold start that the package avoids.
  assert.deepEqual(run({}), { before: false, after: false, getBuiltin: "function" });
  assert.deepEqual(run({ NO_GET_BUILTIN: "1" }), { before: false, after: false, getBuiltin: "undefined" });
});

/** A loopback server that records requests and answers from `answer`; closes itself after 60 s. */
async function server(answer) {
  const seen = [];
  const s = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      seen.push({ method: req.method, url: new URL(req.url, "http://x"), headers: req.headers, body });
      const [status, text] = answer(req, body);
      res.writeHead(status, { "content-type": "application/json" }).end(text);
    });
  });
  await new Promise((r) => s.listen(0, "127.0.0.1", r));
  const timer = setTimeout(() => s.close(), 60_000);
  timer.unref();
  return { url: `http://127.0.0.1:${s.address().port}`, seen, close: () => { clearTimeout(timer); s.close(); } };
}

test("the default transport POSTs JSON to a real HTTP server", async () => {
  const srv = await server(() => [200, JSON.stringify({ GroupItem: [{ GroupName: "g", GroupId: 9 }], ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" })]);
  try {
    const c = new mod.ConversationClient({ sdkAppId: APP, identifier: "admin", secretKey: KEY, baseUrl: srv.url });
    const r = await c.deleteConversationGroup({ fromAccount: "u", groupName: "g" });
    assert.deepEqual(r, { groupName: "g", groupId: 9 });
    const req = srv.seen[0];
    assert.equal(req.method, "POST");
    assert.equal(req.url.pathname, "/v4/recentcontact/del_contact_group");
    assert.equal(req.headers["content-type"], "application/json");
    assert.deepEqual(JSON.parse(req.body), { From_Account: "u", GroupName: ["g"] });
    assert.equal(req.url.searchParams.get("sdkappid"), String(APP));
  } finally {
    srv.close();
  }
});

test("the default transport reports HTTP errors and refused connections", async () => {
  const srv = await server(() => [503, "unavailable"]);
  const c = new mod.ConversationClient({ sdkAppId: APP, identifier: "admin", secretKey: KEY, baseUrl: srv.url, maxRetries: 1 });
  await assert.rejects(c.deleteConversation({ fromAccount: "u", conversation: { type: "c2c", toAccount: "x" } }), (e) => {
    assert.ok(e instanceof mod.TimHttpError);
    assert.equal(e.status, 503);
    assert.equal(e.retryable, true);
    return true;
  });
  assert.equal(srv.seen.length, 2, "idempotent delete retried once");
  srv.close();
  await new Promise((r) => setTimeout(r, 50));
  const gone = new mod.ConversationClient({ sdkAppId: APP, identifier: "admin", secretKey: KEY, baseUrl: srv.url, maxRetries: 0 });
  await assert.rejects(gone.deleteConversation({ fromAccount: "u", conversation: { type: "c2c", toAccount: "x" } }), (e) => {
    assert.ok(e instanceof mod.TimNetworkError);
    assert.ok(e.cause instanceof Error);
    return true;
  });
});

test("a timeout aborts the default transport's request", async () => {
  const srv = await server(() => [200, "{}"]);
  srv.close();
  const hang = http.createServer(() => {});
  await new Promise((r) => hang.listen(0, "127.0.0.1", r));
  try {
    const c = new mod.ConversationClient({ sdkAppId: APP, identifier: "admin", secretKey: KEY, baseUrl: `http://127.0.0.1:${hang.address().port}`, timeoutMs: 100 });
    await assert.rejects(c.createConversationGroup({ fromAccount: "u", groupName: "g", conversations: [] }), mod.TimTimeoutError);
  } finally {
    hang.closeAllConnections();
    hang.close();
  }
});

// The transport keeps finished attempts' timers and re-arms them
// (transport.js, KeptTimer): a kept timer must never keep the process
// alive, and must run a timeout in the async context of the attempt it
// timed out, not of the attempt that made it. (That each attempt still
// times out at its own length is in suite.mjs, for every runtime.)

test("kept timers never hold the process open: a script whose calls ended exits although its timeout is an hour", async () => {
  const { spawn } = await import("node:child_process");
  const script = `
    const { ConversationClient } = await import("tim-recentcontact");
    const fetch = async () => new Response(JSON.stringify({ ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" }));
    const c = new ConversationClient({ sdkAppId: 1400000000, identifier: "admin", secretKey: "k", baseUrl: "http://127.0.0.1:1", fetch, timeoutMs: 3600000 });
    for (let i = 0; i < 3; i++) await c.deleteConversation({ fromAccount: "u", conversation: { type: "c2c", toAccount: "p" } });
    await Promise.all([1, 2, 3].map(() => c.deleteConversation({ fromAccount: "u", conversation: { type: "c2c", toAccount: "p" } })));
    console.log("done");`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], { cwd: new URL("../..", import.meta.url), stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  // Generous: the point is an hour, not a number of milliseconds.
  const killer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  const code = await new Promise((r) => child.on("exit", (c, signal) => r(signal ?? c)));
  clearTimeout(killer);
  assert.equal(out.trim(), "done");
  assert.equal(code, 0, "the process ended by itself");
});

test("kept timers: a timeout, its retry event and the retry's fetch run in the timed-out call's AsyncLocalStorage context", async () => {
  const { AsyncLocalStorage } = await import("node:async_hooks");
  const als = new AsyncLocalStorage();
  const seen = [];
  let hang = true;
  const fetch = (url, init) => {
    seen.push(["fetch", als.getStore()]);
    if (!hang) return Promise.resolve(new Response(JSON.stringify({ ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" })));
    hang = false; // the retry is answered
    return new Promise((_, reject) => init.signal.addEventListener("abort", () => reject(init.signal.reason)));
  };
  const onEvent = (e) => e.type === "retry" && seen.push(["retry", als.getStore(), e.reason]);
  const c = new mod.ConversationClient({ sdkAppId: APP, identifier: "admin", secretKey: KEY, baseUrl: "http://127.0.0.1:1", fetch, onEvent, timeoutMs: 30, maxRetries: 1 });
  const del = { fromAccount: "u", conversation: { type: "c2c", toAccount: "p" } };
  // Made (and kept) in context "first"…
  hang = false;
  await als.run("first", () => c.deleteConversation(del));
  // …re-armed in context "second", where the timeout happens.
  hang = true;
  seen.length = 0;
  await als.run("second", () => c.deleteConversation(del));
  assert.deepEqual(seen, [["fetch", "second"], ["retry", "second", "timeout"], ["fetch", "second"]]);
});

// ---- UserSig parity with the official package, both directions ----

const TLS = require("tls-sig-api-v2");

function decode(sig) {
  const b64 = sig.replace(/\*/g, "+").replace(/-/g, "/").replace(/_/g, "=");
  return JSON.parse(zlib.inflateSync(Buffer.from(b64, "base64")).toString());
}

test("signatures from tls-sig-api-v2 verify here", () => {
  for (const [app, id, expire] of [[APP, "administrator", 86400], [1600000001, "用户-é", 180 * 86400], [1, "a", 5]]) {
    const sig = new TLS.Api(app, KEY).genUserSig(id, expire);
    const info = mod.verifyUserSig({ sdkAppId: app, secretKey: KEY, userSig: sig });
    assert.equal(info.identifier, id);
    assert.equal(info.expire, expire);
    assert.throws(() => mod.verifyUserSig({ sdkAppId: app, secretKey: KEY + "x", userSig: sig }), (e) => e.code === 70009);
  }
});

test("a privilege-map UserSig from tls-sig-api-v2 verifies here, and its userbuf comes back as signed", () => {
  const TLS = require("tls-sig-api-v2");
  const key = new TLS.Api(APP, KEY).genPrivateMapKey("admin", 3600, 1234, 255);
  const doc = JSON.parse(zlib.inflateSync(Buffer.from(key.replace(/\*/g, "+").replace(/-/g, "/").replace(/_/g, "="), "base64")).toString());
  assert.equal(typeof doc["TLS.userbuf"], "string");
  const info = mod.verifyUserSig({ sdkAppId: APP, secretKey: KEY, userSig: key });
  assert.equal(info.userbuf, doc["TLS.userbuf"]);
  assert.equal(info.identifier, "admin");
  // A plain UserSig has none.
  assert.equal("userbuf" in mod.verifyUserSig({ sdkAppId: APP, secretKey: KEY, userSig: new TLS.Api(APP, KEY).genUserSig("admin", 60) }), false);
});

test("an identifier outside the documented UserID form (32 bytes of A-Z a-z 0-9 _ -) is accepted with a warning event; a documented one has none", () => {
  for (const [identifier, warned] of [["admin_1-x", false], ["a_b-C9", false], ["a".repeat(32), false], ["a".repeat(33), true], ["adm in", true], ["a@b", true], ["a.b", true], ["管理员", true]]) {
    const events = [];
    new mod.ConversationClient({ sdkAppId: APP, identifier, secretKey: KEY, onEvent: (e) => events.push(e) });
    const want = warned ? [{ type: "warning", command: "", field: "identifier", message: events[0]?.message }] : [];
    assert.deepEqual(events, want, identifier);
    if (warned) assert.match(events[0].message, /documented UserID/);
  }
});

test("signatures made here decode to the official package's JSON", () => {
  for (const [app, id, expire] of [[APP, "administrator", 86400], [1600000001, "用户-é", 180 * 86400]]) {
    const theirs = decode(new TLS.Api(app, KEY).genUserSig(id, expire));
    const ours = mod.genUserSig({ sdkAppId: app, secretKey: KEY, identifier: id, expireSeconds: expire, nowSeconds: theirs["TLS.time"] });
    const doc = decode(ours);
    assert.deepEqual(doc, theirs);
    assert.deepEqual(Object.keys(doc), Object.keys(theirs), "same field order");
    // And the official algorithm, written out, agrees with the signature.
    const content = `TLS.identifier:${id}\nTLS.sdkappid:${app}\nTLS.time:${doc["TLS.time"]}\nTLS.expire:${expire}\n`;
    assert.equal(doc["TLS.sig"], crypto.createHmac("sha256", KEY).update(content).digest("base64"));
  }
});

test("package.json exports pick one entry per runtime", async () => {
  const { execFileSync } = await import("node:child_process");
  const resolve = (conditions, spec) =>
    execFileSync(process.execPath, [...conditions.map((c) => `--conditions=${c}`), "--input-type=module", "-e", `console.log(import.meta.resolve(${JSON.stringify(spec)}))`], { encoding: "utf8" }).trim();
  assert.match(import.meta.resolve("tim-recentcontact"), /\/node\.mjs$/);
  assert.match(require.resolve("tim-recentcontact"), /\/node\.cjs$/);
  assert.match(resolve(["workerd"], "tim-recentcontact"), /\/workerd\.js$/);
  assert.match(resolve(["deno"], "tim-recentcontact"), /\/deno\.js$/);
  assert.match(resolve(["workerd"], "tim-recentcontact/emulator"), /\/emulator\/workerd\.js$/);
  assert.match(require.resolve("tim-recentcontact/emulator"), /\/emulator\/node\.cjs$/);
});
