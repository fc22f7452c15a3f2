// End to end in Node: the client against emulators served over HTTP on
// 127.0.0.1, the emulator's command, a clock-skewed signature renewed
// transparently, and the official tls-sig-api-v2 signature accepted.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import * as mod from "tim-recentcontact";
import { createEmulator, DEFAULT_CREDENTIALS } from "tim-recentcontact/emulator";
import { e2eCases, EMULATORS } from "./e2e.mjs";

const targets = { creds: DEFAULT_CREDENTIALS };
const servers = [];
for (const [name, options] of Object.entries(EMULATORS)) {
  const s = await createEmulator(options).listen({ stopAfterMs: 120_000 });
  servers.push(s);
  targets[name] = s.url;
}
after(() => Promise.all(servers.map((s) => s.close())));

for (const [name, fn] of e2eCases) test(name, () => fn(mod, targets));

test("an expired cached UserSig is renewed transparently (server clock ahead)", async () => {
  const realNow = Date.now;
  let clientShift = 0;
  Date.now = () => realNow() + clientShift;
  try {
    // The service's clock runs 90 s ahead; the client's signatures live 120 s.
    const emulator = createEmulator({ now: () => realNow() + clientShift + 90_000 });
    const seen = [];
    const fetch = (url, init) => {
      seen.push(new URL(url).searchParams.get("usersig"));
      return emulator.fetch(url, init);
    };
    const c = new mod.ConversationClient({ ...emulator.credentials, fetch, userSigTtlSeconds: 120 });
    const p = { fromAccount: "u", conversation: { type: "c2c", toAccount: "x" } };
    await c.deleteConversation(p); // signed at t; the service sees it 90 s old
    clientShift = 40_000; // 40 s later the client still trusts its cached signature…
    await c.deleteConversation(p); // …which the service finds 130 s old: 70001, re-sign, retry
    assert.equal(seen.length, 3);
    assert.equal(seen[1], seen[0], "the cached signature was tried first");
    assert.notEqual(seen[2], seen[1], "then a fresh one");
    assert.equal(emulator.state("u").deleted.length, 2);
  } finally {
    Date.now = realNow;
  }
});

test("a signature made by the official tls-sig-api-v2 is accepted by the emulator", async () => {
  const TLS = createRequire(import.meta.url)("tls-sig-api-v2");
  const { sdkAppId, identifier, secretKey } = DEFAULT_CREDENTIALS;
  const userSig = new TLS.Api(sdkAppId, secretKey).genUserSig(identifier, 600);
  const c = new mod.ConversationClient({ sdkAppId, identifier, userSig, baseUrl: targets.main });
  const r = await c.createConversationGroup({ fromAccount: "tls-user", groupName: "g", conversations: [] });
  assert.equal(r.groupName, "g");
});

/** Starts the emulator CLI; resolves once it printed its client options. Killed after 30 s at the latest. */
async function startCli(args) {
  const child = spawn(process.execPath, ["node_modules/tim-recentcontact/bin/emulator.cjs", ...args], { stdio: ["ignore", "pipe", "inherit"] });
  const killer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  let out = "";
  for await (const chunk of child.stdout) {
    out += chunk;
    if (out.includes("client options:")) break;
  }
  return {
    out,
    stop() {
      clearTimeout(killer);
      child.kill("SIGTERM");
    },
  };
}

test("npx tim-recentcontact-emulator prints its URL and credentials and serves", async () => {
  const { out, stop } = await startCli(["--port", "0", "--secret-key", "cli-key", "--sdk-app-id", "1400000123"]);
  try {
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)[1];
    const options = JSON.parse(/client options: (.*)/.exec(out)[1]);
    assert.deepEqual(options, { sdkAppId: 1400000123, identifier: "administrator", secretKey: "cli-key", baseUrl: url });
    const c = new mod.ConversationClient(options);
    assert.deepEqual(await c.deleteConversationGroup({ fromAccount: "u", groupName: "g" }).catch((e) => e.code), 51009);
  } finally {
    stop();
  }
});

test("the emulator CLI serves a backup port with the main one down, latency and faults", async () => {
  const { out, stop } = await startCli(["--port", "0", "--backup-port", "0", "--main-down", "--latency", "5", "--fault-rate", "0", "--faults", "60007,502-after"]);
  try {
    assert.match(out, /\(backup http:\/\/127\.0\.0\.1:\d+, same state\); the main one is down/);
    const options = JSON.parse(/client options: (.*)/.exec(out)[1]);
    assert.equal(options.baseUrl.length, 2);
    const events = [];
    const c = new mod.ConversationClient({ ...options, onEvent: (e) => events.push(e) });
    await c.deleteConversation({ fromAccount: "u", conversation: { type: "c2c", toAccount: "p" } });
    const failover = events.find((e) => e.type === "failover");
    assert.deepEqual([failover.from, failover.to], options.baseUrl);
  } finally {
    stop();
  }
  const bad = spawn(process.execPath, ["node_modules/tim-recentcontact/bin/emulator.cjs", "--faults", "nope", "--fault-rate", "0.1"], { stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  for await (const chunk of bad.stderr) err += chunk;
  const code = await new Promise((r) => (bad.exitCode !== null ? r(bad.exitCode) : bad.on("exit", r)));
  assert.equal(code, 2);
  assert.match(err, /unknown fault kind "nope"/);
});
