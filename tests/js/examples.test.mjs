// Every example in examples/ runs against the emulator, so none can rot:
// the Node demo, the Deno script, and the Cloudflare Worker in workerd.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { createEmulator } from "tim-recentcontact/emulator";
import { root, startWorkerd } from "./workerd-harness.mjs";

const run = promisify(execFile);
const noCredentials = { ...process.env, TIM_SDKAPPID: "", TIM_IDENTIFIER: "", TIM_SECRET_KEY: "" };

test("examples/node/demo.mjs walks the whole lifecycle against the emulator", async () => {
  const { stdout } = await run(process.execPath, ["examples/node/demo.mjs"], { cwd: root, env: noCredentials, timeout: 60_000 });
  assert.match(stdout, /Using the local emulator at http:\/\/127\.0\.0\.1:\d+/);
  assert.match(stdout, /created group #1 "friends"/);
  assert.match(stdout, /FAIL add group @TGS#dismissed — ResultCode 51007/);
  assert.match(stdout, /ok   user carol\n   ok   user bob\n/);
  assert.match(stdout, /user alice: marks \[0\] in groups \[1\]/);
  assert.match(stdout, /user carol: marks \[40\] in groups \[1\]/);
  assert.match(stdout, /user bob: custom "follow up"\n/);
  assert.match(stdout, /List the conversations[^\n]*\n   user alice \(pinned, marks \[0\], groups \[1\]\)\n   group @TGS#team \(groups \[1\]\)\n   user bob\n   user carol \(marks \[40\], groups \[1\]\)\n/);
  assert.match(stdout, /"friends" → "close friends"/);
  assert.match(stdout, /TimValidationError: field "newGroupName" must be at most 32 UTF-8 bytes, got 33 bytes/);
  assert.match(stdout, /TimApiError: code 51009/);
  assert.match(stdout, /conversations left: user bob, user carol, group @TGS#team/);
  assert.match(stdout, /progress: \d+\/400 done, 0 failed, \d+ calls\/s/);
  assert.match(stdout, /bulk: 400 ok, 0 failed, 0 aborted in \d+ ms \(400 calls\)/);
  assert.match(stdout, /Done\.$/m);
});

test("examples/deno/main.ts runs in Deno against the in-process emulator", async () => {
  const { stdout } = await run("node", [`${root}node_modules/deno/bin.cjs`, "run", "--allow-net", "--allow-env", "examples/deno/main.ts"], {
    cwd: root, env: { ...noCredentials, NO_COLOR: "1" }, timeout: 60_000,
  });
  assert.equal(stdout, '(local emulator, in-process)\ncreated group #1 "deno"\nadded: 1 of 1\ndeleted group #1\n');
});

test("examples/cloudflare-worker runs in workerd against the emulator over HTTP", async () => {
  const emulator = createEmulator();
  const server = await emulator.listen({ stopAfterMs: 60_000 });
  const { sdkAppId, identifier, secretKey } = emulator.credentials;
  const workerd = await startWorkerd("examples/cloudflare-worker/workerd.capnp", {
    env: { ...process.env, TIM_SDKAPPID: String(sdkAppId), TIM_IDENTIFIER: identifier, TIM_SECRET_KEY: secretKey, TIM_BASE_URL: server.url, TIM_REGION: "" },
    limitMs: 60_000,
  });
  try {
    const out = await workerd.get("/demo?user=w");
    assert.equal(out.created.groupName, "from-worker");
    assert.deepEqual(out.updated.results.map((r) => r.ok), [true]);
    assert.deepEqual(out.deleted, { groupName: "from-worker", groupId: out.created.groupId });
    assert.deepEqual(emulator.state("w").groups, []);
    const bad = await workerd.fetch("/groups", { method: "POST", body: JSON.stringify({ fromAccount: "w", groupName: "", conversations: [] }) });
    assert.equal(bad.status, 400);
    assert.equal((await bad.json()).field, "groupName");
    // Proper HTTP answers for the other failures too, never a bare 500.
    const notJson = await workerd.fetch("/groups", { method: "POST", body: "{" });
    assert.equal(notJson.status, 400);
    const gone = await workerd.fetch("/groups", { method: "DELETE", body: JSON.stringify({ fromAccount: "w", groupName: "never made" }) });
    assert.equal(gone.status, 404);
    assert.equal((await gone.json()).code, 51009);
    await workerd.fetch("/groups", { method: "POST", body: JSON.stringify({ fromAccount: "w", groupName: "twice", conversations: [] }) });
    const twice = await workerd.fetch("/groups", { method: "POST", body: JSON.stringify({ fromAccount: "w", groupName: "twice", conversations: [] }) });
    assert.equal(twice.status, 409);
    assert.equal(typeof (await twice.json()).requestId, "number");
  } finally {
    workerd.stop();
    await server.close();
  }
});
