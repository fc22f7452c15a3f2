// tim-recentcontact/callbacks: verifyCallback against what the service (and
// the emulator playing it) sends, every refusal by reason, and the rate
// alert closing the loop: emulator -> handler -> client.observeRateAlert.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import * as mod from "tim-recentcontact";
import { verifyCallback, callbackReply, callbackSign, isRateAlert, TimCallbackError } from "tim-recentcontact/callbacks";
import { createEmulator } from "tim-recentcontact/emulator";

const APP = 1400000000;
const TOKEN = "callback-token-from-the-console";
const NOW = 1_765_000_000_000;
const now = () => NOW;
const alert = { CallbackCommand: "Alert.RequestOverLimit", ServiceName: "recentcontact", Command: "get_list", Request: 170, Limit: 200 };

/** A callback URL as the service builds it; `sign: false` leaves the signature out. */
function callbackUrl({ command = "Alert.RequestOverLimit", app = APP, time = NOW / 1000, token = TOKEN, sign = true } = {}) {
  const q = new URLSearchParams({ SdkAppid: String(app), CallbackCommand: command, contenttype: "json", ClientIP: "10.0.0.1", OptPlatform: "RESTAPI" });
  if (sign) {
    q.set("RequestTime", String(time));
    q.set("Sign", createHash("sha256").update(`${token}${time}`).digest("hex"));
  }
  return `https://app.example/im/callback?${q}`;
}
const post = (url, body) => new Request(url, { method: "POST", headers: { "content-type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) });
const options = { token: TOKEN, sdkAppId: APP, now };

test("a signed callback verifies, from a Web Request and from Express's req (parsed body), and says what it is", async () => {
  const fromRequest = await verifyCallback(post(callbackUrl(), alert), options);
  assert.deepEqual(fromRequest, { command: "Alert.RequestOverLimit", sdkAppId: APP, requestTime: NOW / 1000, clientIp: "10.0.0.1", optPlatform: "RESTAPI", payload: alert });
  assert.ok(isRateAlert(fromRequest.payload));
  const expressReq = { method: "POST", url: callbackUrl().replace("https://app.example", ""), body: { ...alert } };
  assert.deepEqual((await verifyCallback(expressReq, options)).payload, alert);
  // Bytes, and a Sign in upper case, verify too; 60 s old is still in time.
  const old = callbackUrl({ time: NOW / 1000 - 60 }).replace(/Sign=([0-9a-f]+)/, (_, h) => `Sign=${h.toUpperCase()}`);
  assert.equal((await verifyCallback({ url: old, body: new TextEncoder().encode(JSON.stringify(alert)) }, options)).requestTime, NOW / 1000 - 60);
  assert.deepEqual(callbackReply(), { ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" });
  assert.deepEqual(callbackReply({ errorCode: 1, errorInfo: "no" }), { ActionStatus: "FAIL", ErrorCode: 1, ErrorInfo: "no" });
  assert.equal(await callbackSign(TOKEN, 1765000000), createHash("sha256").update(`${TOKEN}1765000000`).digest("hex"));
});

test("every refusal has its reason and status, and none needs the body to be trusted", async () => {
  const refused = async (request, reason, status, extra = {}) => {
    await assert.rejects(verifyCallback(request, { ...options, ...extra }), (e) => {
      assert.ok(e instanceof TimCallbackError, String(e));
      assert.deepEqual([e.name, e.reason, e.status], ["TimCallbackError", reason, status], e.message);
      assert.doesNotMatch(e.message, new RegExp(TOKEN));
      return true;
    });
  };
  await refused(post(callbackUrl({ sign: false }), alert), "no-signature", 401);
  await refused(post(callbackUrl({ token: "another-token" }), alert), "bad-signature", 401);
  await refused(post(callbackUrl({ time: NOW / 1000 - 61 }), alert), "stale", 401);
  await refused(post(callbackUrl({ time: NOW / 1000 + 61 }), alert), "stale", 401);
  await refused(post(callbackUrl().replace(/RequestTime=\d+/, "RequestTime=1e9"), alert), "bad-time", 401);
  // Sign covers the token and the time only: another app's or command's callback is refused.
  await refused(post(callbackUrl({ app: 1400000001 }), alert), "wrong-app", 400);
  await refused(post(callbackUrl({ command: "State.StateChange" }), alert), "wrong-command", 400);
  await refused(post(callbackUrl(), alert), "wrong-command", 400, { commands: ["State.StateChange"] });
  await refused(post(callbackUrl(), "{not json"), "bad-body", 400);
  await refused(post(callbackUrl(), "[1]"), "bad-body", 400);
  await refused({ method: "GET", url: callbackUrl(), body: alert }, "not-post", 400);
  await refused({ url: callbackUrl(), get body() { throw new Error("hostile getter"); } }, "bad-body", 400);
  // A wider window is the caller's choice.
  assert.equal((await verifyCallback(post(callbackUrl({ time: NOW / 1000 - 90 }), alert), { ...options, maxSkewMs: 120_000 })).command, "Alert.RequestOverLimit");
  // Options the handler got wrong are its own bug: a TypeError, at once.
  for (const bad of [{ ...options, token: "" }, { ...options, sdkAppId: "1400000000" }, { ...options, maxSkewMs: -1 }, { ...options, commands: "x" }]) {
    await assert.rejects(verifyCallback(post(callbackUrl(), alert), bad), TypeError);
  }
});

test("require('tim-recentcontact/callbacks') is the same API", async () => {
  const cjs = createRequire(import.meta.url)("tim-recentcontact/callbacks");
  assert.deepEqual(Object.keys(cjs).sort(), ["TimCallbackError", "callbackReply", "callbackSign", "isRateAlert", "verifyCallback"]);
  assert.equal((await cjs.verifyCallback(post(callbackUrl(), alert), options)).command, "Alert.RequestOverLimit");
});

test("observeRateAlert: an alert for one of the client's commands halves its rate and says so; another's changes nothing; a malformed one is refused by field", () => {
  const events = [];
  const c = new mod.ConversationClient({ sdkAppId: APP, identifier: "admin", secretKey: "k", maxRequestsPerSecond: 100, onEvent: (e) => events.push(e) });
  assert.equal(c.observeRateAlert({ ...alert, ServiceName: "openim", Command: "batchsendmsg" }), false);
  assert.equal(c.observeRateAlert({ ...alert, Command: "sendmsg" }), false);
  assert.deepEqual(events, []);
  assert.equal(c.observeRateAlert(alert), true);
  assert.equal(events.length, 1);
  const [e] = events;
  assert.deepEqual([e.type, e.command, e.request, e.limit], ["rate-alert", "get_list", 170, 200]);
  assert.ok(e.rate > 40 && e.rate <= 50, String(e.rate));
  for (const [bad, field] of [[null, "alert"], [{ ...alert, CallbackCommand: "State.StateChange" }, "alert.CallbackCommand"], [{ ...alert, Command: 5 }, "alert.Command"], [{ ...alert, Request: "170" }, "alert.Request"], [{ ...alert, Limit: -1 }, "alert.Limit"]]) {
    assert.throws(() => c.observeRateAlert(bad), (x) => x instanceof mod.TimValidationError && x.field === field, field);
  }
  c.free();
  assert.throws(() => c.observeRateAlert(alert), (x) => x instanceof mod.TimValidationError && x.field === "client");
});

test("the emulator's rate alert at 80 %, signed, reaches a handler that verifies it and halves the client's rate (and no call is throttled)", async () => {
  const seen = [];
  let client;
  // The app's callback handler, in-process: verify, then act.
  const handler = async (request) => {
    try {
      const cb = await verifyCallback(request, { token: TOKEN, sdkAppId: emulator.sdkAppId });
      seen.push(cb.payload);
      if (isRateAlert(cb.payload)) client.observeRateAlert(cb.payload);
      return Response.json(callbackReply());
    } catch (e) {
      seen.push(e);
      return Response.json({ error: e.message }, { status: e.status ?? 500 });
    }
  };
  const emulator = createEmulator({ ratePerSecond: 40, callbackUrl: "https://app.example/im/callback", callbackToken: TOKEN, callbackFetch: (url, init) => handler(new Request(url, init)), recordRequests: true });
  const events = [];
  client = new mod.ConversationClient({ ...emulator.credentials, fetch: emulator.fetch, maxRequestsPerSecond: 40, onEvent: (e) => events.push(e) });
  const t0 = Date.now();
  await Promise.all(Array.from({ length: 60 }, (_, i) => client.deleteConversation({ fromAccount: "u", conversation: { type: "c2c", toAccount: `p${i}` } })));
  assert.ok(Date.now() - t0 < 30_000);
  await new Promise((r) => setTimeout(r, 50)); // the last alert's answer
  const alerts = seen.filter((p) => !(p instanceof Error));
  assert.deepEqual(seen.filter((p) => p instanceof Error), [], "every callback verified");
  assert.ok(alerts.length >= 1, "an alert was sent");
  assert.deepEqual(Object.keys(alerts[0]).sort(), ["CallbackCommand", "Command", "Limit", "Request", "ServiceName"]);
  assert.deepEqual([alerts[0].ServiceName, alerts[0].Command, alerts[0].Limit], ["recentcontact", "delete", 40]);
  assert.ok(alerts[0].Request >= 32, String(alerts[0].Request));
  assert.ok(emulator.callbackLog.every((l) => l.status === 200), JSON.stringify(emulator.callbackLog));
  const rateAlerts = events.filter((e) => e.type === "rate-alert");
  assert.equal(rateAlerts.length, alerts.length);
  assert.ok(rateAlerts[0].rate < 40 * 0.93 / 2 + 1, String(rateAlerts[0].rate));
  assert.deepEqual(emulator.requestLog.filter((r) => r.code === 60007), [], "slowed before the service throttled");
  // sendCallback: any payload, signed, for testing a handler offline.
  const sent = await emulator.sendCallback({ CallbackCommand: "State.StateChange", Info: { To_Account: "u", Action: "Login" } });
  assert.deepEqual(sent, { status: 200, reply: { ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" } });
  assert.equal(seen.at(-1).CallbackCommand, "State.StateChange");
  assert.throws(() => createEmulator({ callbackUrl: "ftp://x" }), /callbackUrl/);
  assert.throws(() => createEmulator({ callbackToken: "" }), /callbackToken/);
});

test("the emulator's CLI posts its signed rate alert to --callback-url over HTTP", async () => {
  const { default: http } = await import("node:http");
  const { spawn } = await import("node:child_process");
  const { DEFAULT_CREDENTIALS } = await import("tim-recentcontact/emulator");
  const got = [];
  const app = http.createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    try {
      got.push((await verifyCallback({ method: req.method, url: req.url, body }, { token: "tok", sdkAppId: DEFAULT_CREDENTIALS.sdkAppId })).payload);
      res.end(JSON.stringify(callbackReply()));
    } catch (e) {
      got.push(e);
      res.statusCode = e.status ?? 500;
      res.end("{}");
    }
  });
  await new Promise((r) => app.listen(0, "127.0.0.1", r));
  const cli = spawn(process.execPath, [new URL("../../pkg/bin/emulator.cjs", import.meta.url).pathname, "--port", "0", "--rate", "10", "--callback-url", `http://127.0.0.1:${app.address().port}/cb`, "--callback-token", "tok"], { stdio: ["ignore", "pipe", "inherit"] });
  const killer = setTimeout(() => cli.kill("SIGKILL"), 30_000);
  try {
    let out = "";
    await new Promise((resolve, reject) => {
      cli.stdout.on("data", (c) => {
        out += c;
        if (/http:\/\/127\.0\.0\.1:\d+/.test(out)) resolve();
      });
      cli.once("exit", () => reject(new Error(`the emulator exited: ${out}`)));
    });
    const client = new mod.ConversationClient({ ...DEFAULT_CREDENTIALS, baseUrl: out.match(/http:\/\/127\.0\.0\.1:\d+/)[0], maxRequestsPerSecond: 10 });
    await Promise.all(Array.from({ length: 12 }, (_, i) => client.deleteConversation({ fromAccount: "u", conversation: { type: "c2c", toAccount: `p${i}` } })));
    for (let i = 0; i < 100 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(got.slice(0, 1), [{ CallbackCommand: "Alert.RequestOverLimit", ServiceName: "recentcontact", Command: "delete", Request: got[0]?.Request, Limit: 10 }]);
    assert.ok(got[0].Request >= 8, String(got[0].Request));
  } finally {
    clearTimeout(killer);
    cli.kill();
    app.close();
  }
});
