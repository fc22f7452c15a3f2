// End to end in Node: the client against emulators served over HTTP on
// 127.0.0.1, the emulator's command, a clock-skewed signature renewed
// transparently, and the official tls-sig-api-v2 signature accepted.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
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

/** Starts the emulator CLI; resolves once it printed its client options and environment. Killed after 30 s at the latest. */
async function startCli(args) {
  const child = spawn(process.execPath, ["node_modules/tim-recentcontact/bin/emulator.cjs", ...args], { stdio: ["ignore", "pipe", "inherit"] });
  const killer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  // Keeps reading (the request log goes on after the options line).
  let all = "";
  await new Promise((resolve, reject) => {
    child.stdout.on("data", (chunk) => {
      all += chunk;
      if (all.includes("Ctrl-C stops it.")) resolve();
    });
    child.on("exit", () => reject(new Error(`the emulator exited: ${all}`)));
  });
  return {
    out: all,
    log: () => all,
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
    // A key given with --secret-key is the caller's own: never printed.
    assert.deepEqual(options, { sdkAppId: 1400000123, identifier: "administrator", secretKey: "(the --secret-key you gave)", baseUrl: url });
    assert.ok(!out.includes("cli-key"), "the secret key is not in the output");
    assert.match(out, /^or in a shell: export TIM_BASE_URL=\S+ TIM_SDKAPPID=1400000123 TIM_IDENTIFIER=administrator$/m);
    const c = new mod.ConversationClient({ ...options, secretKey: "cli-key" });
    assert.deepEqual(await c.deleteConversationGroup({ fromAccount: "u", groupName: "g" }).catch((e) => e.code), 51009);
  } finally {
    stop();
  }
});

test("the emulator CLI prints the environment the README's snippets read; a client given only those reaches it (TIM_BASE_URL)", async () => {
  const { out, stop } = await startCli(["--port", "0"]);
  const saved = { ...process.env };
  try {
    const line = /^or in a shell: export (.*)$/m.exec(out)[1];
    const env = Object.fromEntries(line.split(" ").map((kv) => kv.split("=")));
    assert.deepEqual(Object.keys(env), ["TIM_BASE_URL", "TIM_SDKAPPID", "TIM_IDENTIFIER", "TIM_SECRET_KEY"]);
    Object.assign(process.env, env);
    // As the README's snippets build their clients: no baseUrl.
    const c = new mod.ConversationClient({ sdkAppId: Number(process.env.TIM_SDKAPPID), identifier: process.env.TIM_IDENTIFIER, secretKey: process.env.TIM_SECRET_KEY });
    assert.deepEqual(await c.deleteConversationGroup({ fromAccount: "u", groupName: "g" }).catch((e) => e.code), 51009);
  } finally {
    for (const k of ["TIM_BASE_URL", "TIM_SDKAPPID", "TIM_IDENTIFIER", "TIM_SECRET_KEY"]) if (!(k in saved)) delete process.env[k];
    stop();
  }
});

test("the emulator CLI serves a backup port with the main one down, latency and faults", async () => {
  const { out, log, stop } = await startCli(["--port", "0", "--backup-port", "0", "--main-down", "--latency", "5", "--fault-rate", "0", "--faults", "60007,502-after"]);
  try {
    assert.match(out, /\(backup http:\/\/127\.0\.0\.1:\d+, same state\); the main one is down/);
    const options = JSON.parse(/client options: (.*)/.exec(out)[1]);
    assert.equal(options.baseUrl.length, 2);
    const events = [];
    const c = new mod.ConversationClient({ ...options, onEvent: (e) => events.push(e) });
    await c.deleteConversation({ fromAccount: "u", conversation: { type: "c2c", toAccount: "p" } });
    const failover = events.find((e) => e.type === "failover");
    assert.deepEqual([failover.from, failover.to], options.baseUrl);
    // The request log says what became of the one the main origin dropped.
    for (let i = 0; i < 50 && !/code=0/.test(log()); i++) await new Promise((r) => setTimeout(r, 20));
    assert.match(log(), /POST delete user=u dropped \(connection reset, no answer\) \d+ms\n/);
    assert.match(log(), /POST delete user=u code=0 \d+ms\n/);
    assert.doesNotMatch(log(), /undefined/);
  } finally {
    stop();
  }
  const bad = spawn(process.execPath, ["node_modules/tim-recentcontact/bin/emulator.cjs", "--faults", "nope", "--fault-rate", "0.1"], { stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  for await (const chunk of bad.stderr) err += chunk;
  const code = await new Promise((r) => (bad.exitCode !== null ? r(bad.exitCode) : bad.on("exit", r)));
  assert.equal(code, 2);
  assert.match(err, /unknown fault "nope"/);
});

/** Runs the CLI to its end: `{ code, out, err }`. */
async function runCli(args, limitMs = 20_000) {
  const child = spawn(process.execPath, ["node_modules/tim-recentcontact/bin/emulator.cjs", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  const killer = setTimeout(() => child.kill("SIGKILL"), limitMs);
  let out = "";
  let err = "";
  child.stdout.on("data", (c) => (out += c));
  child.stderr.on("data", (c) => (err += c));
  const code = await new Promise((r) => child.on("exit", r));
  clearTimeout(killer);
  return { code, out, err };
}

test("emulator CLI: --version, --help with defaults and test endpoints, one-line errors", async () => {
  const { version } = JSON.parse(readFileSync("pkg/package.json", "utf8"));
  assert.deepEqual(await runCli(["--version"]), { code: 0, out: `${version}\n`, err: "" });
  const help = await runCli(["--help"]);
  assert.equal(help.code, 0);
  for (const s of ["--port N", "default 8787", "--admins", "--list-page-size", "--group-page-size", "GET  /__emulator/state?user=NAME", "POST /__emulator/conversations", "POST /__emulator/reset", '"toAccount": "bob"']) {
    assert.ok(help.out.includes(s), `help mentions ${s}`);
  }
  for (const [args, says] of [
    [["--port", "abc"], '--port must be a whole number from 0 to 65535, not "abc"'],
    [["--port=99999"], '--port must be a whole number from 0 to 65535, not "99999"'],
    [["--rate", "-1"], "--rate must be a whole number"],
    [["--fault-rate=2"], "--fault-rate must be a number from 0 to 1"],
    [["--bogus"], "unknown option --bogus (see --help)"],
    [["--port"], "--port needs a value"],
    [["--quiet=1"], "--quiet takes no value"],
  ]) {
    const r = await runCli(args);
    assert.equal(r.code, 2, args.join(" "));
    assert.ok(r.err.startsWith(`tim-recentcontact-emulator: ${says}`), `${args.join(" ")}: ${r.err}`);
    assert.equal(r.err.trim().split("\n").length, 1, "one line, no stack");
  }
  // A busy port: one line, exit 2.
  const taken = await startCli(["--port=0", "--quiet"]);
  try {
    const port = /127\.0\.0\.1:(\d+)/.exec(taken.out)[1];
    const r = await runCli([`--port=${port}`]);
    assert.equal(r.code, 2);
    assert.equal(r.err, `tim-recentcontact-emulator: port ${port} on 127.0.0.1 is in use; pick another with --port (0 picks a free one)\n`);
  } finally {
    taken.stop();
  }
});

test("emulator CLI: a log line per call, admins and page-size flags, POST /__emulator/reset", async () => {
  const cli = await startCli(["--port=0", "--admins=boss", "--identifier=boss", "--list-page-size=1"]);
  try {
    const options = JSON.parse(/client options: (.*)/.exec(cli.out)[1]);
    const c = new mod.ConversationClient(options);
    await fetch(`${options.baseUrl}/__emulator/conversations`, {
      method: "POST",
      body: JSON.stringify({ user: "alice", conversations: [{ type: "c2c", toAccount: "b" }, { type: "c2c", toAccount: "c" }] }),
    });
    const page = await c.listConversationsPage({ fromAccount: "alice" });
    assert.equal(page.conversations.length, 1, "--list-page-size=1");
    await c.deleteConversationGroup({ fromAccount: "alice", groupName: "none" }).catch((e) => assert.equal(e.code, 51009));
    const other = new mod.ConversationClient({ ...options, identifier: "administrator" });
    await other.deleteConversationGroup({ fromAccount: "alice", groupName: "none" }).catch((e) => assert.equal(e.code, 50003));
    const reset = await fetch(`${options.baseUrl}/__emulator/reset`, { method: "POST" });
    assert.deepEqual(await reset.json(), { reset: true });
    const state = await (await fetch(`${options.baseUrl}/__emulator/state?user=alice`)).json();
    assert.deepEqual(state.conversations, []);
    await new Promise((r) => setTimeout(r, 100));
    const lines = cli.log().split("\n");
    assert.ok(lines.some((l) => /^POST get_list user=alice code=0 \d+ms$/.test(l)), cli.log());
    assert.ok(lines.some((l) => /^POST del_contact_group user=alice code=51009 \d+ms$/.test(l)), cli.log());
    assert.ok(lines.some((l) => /^POST del_contact_group user=alice code=50003 \d+ms$/.test(l)), cli.log());
  } finally {
    cli.stop();
  }
});
