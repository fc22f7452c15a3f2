// The package inside workerd (the Cloudflare Workers runtime): starts
// workerd with tests/workerd/config.capnp on a loopback port, runs the
// conformance suite in the worker, and checks the default transport there.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { cases, APP } from "./suite.mjs";
import { e2eCases, EMULATORS } from "./e2e.mjs";
import { startWorkerd } from "./workerd-harness.mjs";
import { createEmulator, DEFAULT_CREDENTIALS } from "tim-recentcontact/emulator";

const workerd = await startWorkerd("tests/workerd/config.capnp");
after(() => workerd.stop());
const get = workerd.get;

// End to end: the client inside the worker, emulators served by Node on loopback.
const targets = { creds: DEFAULT_CREDENTIALS };
const emulators = [];
for (const [name, options] of Object.entries(EMULATORS)) {
  const s = await createEmulator(options).listen({ stopAfterMs: 120_000 });
  emulators.push(s);
  targets[name] = s.url;
}
after(() => Promise.all(emulators.map((s) => s.close())));
// Every request is made before the first test is registered: node:test runs
// `after` (which stops workerd) once the tests registered so far are done.
const e2e = await get(`/e2e?targets=${encodeURIComponent(JSON.stringify(targets))}`);
const results = await get("/suite");
// The callback route: a signed rate alert (Sign made here with node:crypto), then a forged one.
const { createHash } = await import("node:crypto");
const callback = async (token) => {
  const time = Math.floor(Date.now() / 1000);
  const q = new URLSearchParams({ SdkAppid: String(APP), CallbackCommand: "Alert.RequestOverLimit", contenttype: "json", RequestTime: String(time), Sign: createHash("sha256").update(`${token}${time}`).digest("hex") });
  const body = JSON.stringify({ CallbackCommand: "Alert.RequestOverLimit", ServiceName: "recentcontact", Command: "get_list", Request: 170, Limit: 200 });
  const r = await workerd.fetch(`/callbacks?${q}`, { method: "POST", body });
  return { status: r.status, body: await r.json() };
};
const signed = await callback("worker-token");
const forged = await callback("not-the-token");
test("the worker ran every end-to-end scenario", () => {
  assert.deepEqual(e2e.map((r) => r.name), e2eCases.map(([name]) => name));
});
for (const r of e2e) {
  test(`workerd e2e: ${r.name}`, () => assert.ok(r.ok, r.error));
}

test("the worker ran every case of the suite", () => {
  assert.deepEqual(results.map((r) => r.name), cases.map(([name]) => name));
});
for (const r of results) {
  test(`workerd: ${r.name}`, () => assert.ok(r.ok, r.error));
}

test("workerd: the default transport reaches a loopback server", async () => {
  const seen = [];
  const srv = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      seen.push({ method: req.method, path: new URL(req.url, "http://x").pathname, body: JSON.parse(body) });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ GroupItem: [{ GroupName: "g", GroupId: 5 }], ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" }));
    });
  });
  await new Promise((r) => srv.listen(0, "127.0.0.1", r));
  try {
    const out = await get(`/default-transport?base=${encodeURIComponent(`http://127.0.0.1:${srv.address().port}`)}`);
    assert.deepEqual(out, { ok: true, result: { groupName: "g", groupId: 5 } });
    assert.deepEqual(seen, [{ method: "POST", path: "/v4/recentcontact/del_contact_group", body: { From_Account: "u", GroupName: ["g"] } }]);
  } finally {
    srv.close();
  }
});

test("workerd: a signed callback verifies with Web Crypto and its rate alert slows a kept client; a forged one is refused with 401", () => {
  assert.equal(signed.status, 200, JSON.stringify(signed.body));
  assert.deepEqual([signed.body.ActionStatus, signed.body.ErrorCode, signed.body.command, signed.body.slowed], ["OK", 0, "Alert.RequestOverLimit", true]);
  assert.deepEqual(signed.body.events.map((e) => [e.type, e.command, e.request, e.limit]), [["rate-alert", "get_list", 170, 200]]);
  assert.deepEqual([forged.status, forged.body.reason], [401, "bad-signature"]);
});
