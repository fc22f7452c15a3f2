// npm run bench: the package's costs as ratios against baselines measured
// in the same run (never absolute times; run after npm run build), each
// printed with its goal (issue: performance and size):
//  0. Size: the .wasm's gzip -9 bytes and the npm tarball's (as npm run size).
//  1. Per-call CPU of every method against a plain-JavaScript client doing
//     the same work (bench/per-call.mjs, bench/plain-client.mjs), a refused
//     call, and the CPU ceiling of one core (markConversations of 100).
//  2. genUserSig vs. the official tls-sig-api-v2, and verifyUserSig vs. an
//     equivalent node:crypto verification (tls-sig-api-v2 has no verify).
//  3. Cold start: Node ESM (over a plain JavaScript client: the goal, on
//     Node 24), Node CJS, Node 20 if on PATH, Deno, and a workerd Worker's
//     first request, with and without the package (bench/cold-start.mjs); then,
//     report only, where Node ESM's extra time goes (bench/cold-phases.mjs).
//  4. What each call leaves behind after a full GC — JS heap, wasm memory,
//     live externref slots — over 20,000 calls of every outcome (a bound is
//     asserted over 100,000 in tests/js/robust.mjs).
//  5. Workloads against the in-process emulator with 20 ms latency and
//     default client options: 1,000 and 2,000 calls fired together, calls
//     awaited one by one, and 1,000 operations through client.bulk — calls
//     per second (from the emulator's recorded arrival times) and throttled
//     answers.
//  6. Fleets: 4 Node processes (built-in limiter, then Redis) and 4 workerd
//     Workers (built-in, then the Durable Object limiter) firing 500 calls
//     each at one HTTP emulator — calls/s overall, the most in any second,
//     throttled answers (tests/js/fleet.mjs; Redis as in the fleet tests).
//  7. Fleets under faults, a far store and fairness (bench/fleet-faults.mjs).
import { createRequire } from "node:module";
import v8 from "node:v8";
import vm from "node:vm";
import * as pkg from "tim-recentcontact";
import { createEmulator } from "tim-recentcontact/emulator";
import { measure, OUTCOMES } from "../tests/js/endurance.mjs";
import { crowd, mostInWindow } from "../tests/js/workloads.mjs";
import { perCall, ceiling } from "../bench/per-call.mjs";
import { packageSizes, BUDGET_GZIP, BUDGET_TARBALL } from "./size.mjs";
import { coldStart, formatColdStart } from "../bench/cold-start.mjs";
import { coldPhases, formatColdPhases } from "../bench/cold-phases.mjs";
import { fleetEmulator, runNodeFleet, runWorkerdFleet } from "../tests/js/fleet.mjs";
import { startRedis, redisServerPath } from "../tests/js/redis-harness.mjs";
import { startWorkerd } from "../tests/js/workerd-harness.mjs";

const { ConversationClient, genUserSig } = pkg;

const require = createRequire(import.meta.url);
const TLS = require("tls-sig-api-v2");

/** Calls per second of `fn` over about `ms` milliseconds. */
async function rate(fn, ms) {
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    for (let i = 0; i < 50; i++) await fn();
    n += 50;
  }
  return n / ((performance.now() - t0) / 1000);
}

/**
 * Speed of `ours` over speed of `theirs`: the median of 21 rounds, each
 * timing both back to back (order alternating), so the machine's drift
 * between rounds cancels out instead of landing on one side.
 */
async function speedRatio(ours, theirs) {
  for (let i = 0; i < 300; i++) {
    await ours();
    await theirs();
  }
  const ratios = [];
  for (let round = 0; round < 21; round++) {
    let a, b;
    if (round % 2) {
      a = await rate(ours, 40);
      b = await rate(theirs, 40);
    } else {
      b = await rate(theirs, 40);
      a = await rate(ours, 40);
    }
    ratios.push(a / b);
  }
  return ratios.sort((x, y) => x - y)[ratios.length >> 1];
}

const api = new TLS.Api(1400000000, "k");
const sigRatio = await speedRatio(
  () => genUserSig({ sdkAppId: 1400000000, secretKey: "k", identifier: "admin", expireSeconds: 86400 }),
  () => api.genUserSig("admin", 86400),
);

// verifyUserSig against an equivalent node:crypto verification of the same
// (official) signature: unescape, base64, inflate, JSON, HMAC, expiry.
const zlib = require("node:zlib");
const crypto = require("node:crypto");
const official = api.genUserSig("admin", 86400);
function cryptoVerify(sig, key, app) {
  const doc = JSON.parse(zlib.inflateSync(Buffer.from(sig.replace(/\*/g, "+").replace(/-/g, "/").replace(/_/g, "="), "base64")).toString());
  if (doc["TLS.ver"] !== "2.0" || doc["TLS.sdkappid"] !== app) throw new Error("bad");
  const content = `TLS.identifier:${doc["TLS.identifier"]}\nTLS.sdkappid:${doc["TLS.sdkappid"]}\nTLS.time:${doc["TLS.time"]}\nTLS.expire:${doc["TLS.expire"]}\n`;
  if (crypto.createHmac("sha256", key).update(content).digest("base64") !== doc["TLS.sig"]) throw new Error("mismatch");
  if (doc["TLS.time"] + doc["TLS.expire"] < Date.now() / 1000) throw new Error("expired");
  return doc;
}
const verifyRatio = await speedRatio(
  () => pkg.verifyUserSig({ sdkAppId: 1400000000, secretKey: "k", userSig: official }),
  () => cryptoVerify(official, "k", 1400000000),
);

const met = (ok) => (ok ? "" : "   (not met)");
console.log(`bench on Node ${process.versions.node}${process.versions.node.startsWith("24.") ? " (the current LTS: the goals' baseline)" : " (not Node 24: figures are not the goals' baseline)"}`);
{
  const { wasmGzip, tarball } = packageSizes();
  console.log("\nsize (npm run size):");
  console.log(`  ${".wasm, gzip -9".padEnd(56)} ${wasmGzip.toLocaleString("en")} B   goal <= ${BUDGET_GZIP.toLocaleString("en")} B${met(wasmGzip <= BUDGET_GZIP)}`);
  console.log(`  ${"npm tarball".padEnd(56)} ${tarball.toLocaleString("en")} B   goal <= ${BUDGET_TARBALL.toLocaleString("en")} B${met(tarball <= BUDGET_TARBALL)}`);
}
console.log("\nsigning, speed of ours / speed of the baseline (higher is faster):");
for (const [name, r] of [
  ["genUserSig vs tls-sig-api-v2", sigRatio],
  ["verifyUserSig vs a node:crypto verification", verifyRatio],
]) {
  console.log(`  ${name.padEnd(56)} ${r.toFixed(2)}x   goal >= 1.00x${met(r >= 1)}`);
}

console.log("\nper-call CPU, package / plain JavaScript (time; lower is better):");
for (const [label, r, goal] of await perCall()) {
  console.log(`  ${label.padEnd(56)} ${r.toFixed(2)}x   goal <= ${goal.toFixed(1)}x${met(r <= goal)}`);
}
{
  const c = await ceiling();
  console.log(`  ${"CPU ceiling, markConversations (100): calls/s vs plain".padEnd(56)} ${c.toFixed(2)}x   goal >= 0.7x (higher is better)${met(c >= 0.7)}`);
}

console.log("\ncold start, extra milliseconds with the package (lower is better):");
for (const row of await coldStart()) console.log(formatColdStart(row));
console.log(formatColdPhases(coldPhases()));

// Issue 23: what hostile JavaScript does (each case in its own process).
console.log("\nhostile input (node bench/hostile.mjs [pkg/node.mjs] prints this for any build):");
{
  const { spawnSync } = await import("node:child_process");
  const r = spawnSync(process.execPath, ["bench/hostile.mjs"], { encoding: "utf8", timeout: 600_000 });
  process.stdout.write(r.stdout.split("\n").slice(1).join("\n"));
}

v8.setFlagsFromString("--expose-gc");
const gc = globalThis.gc ?? vm.runInNewContext("gc");
const env = { gc, heapUsed: () => process.memoryUsage().heapUsed };
console.log("\nbytes left behind per call (20,000 calls of each outcome, after GC; 0.1 leaked ~700 B heap, ~140 B wasm, 2 externrefs):");
for (const outcome of Object.keys(OUTCOMES)) {
  const r = await measure(pkg, env, outcome, 20_000);
  console.log(`  ${outcome.padEnd(8)} heap ${r.heapPerCall.toFixed(1).padStart(7)} B   wasm ${r.wasmPerCall.toFixed(1).padStart(6)} B   externrefs ${r.externrefsPerCall.toFixed(3)}`);
}

console.log("\nworkloads against the emulator (20 ms latency, default options; service limit 200/s per command):");
const emulator = createEmulator({ latencyMs: 20, recordRequests: true });
const wclient = new ConversationClient({ ...emulator.credentials, baseUrl: "http://127.0.0.1:9", fetch: emulator.fetch });
for (const n of [1000, 2000]) {
  const r = await crowd(wclient, emulator, n);
  console.log(`  ${String(n).padStart(4)} calls fired together   ${r.okPerSecond.toFixed(1).padStart(6)} ok/s   throttled ${r.throttled}   most in any second ${r.mostInAnySecond}   failed ${r.rejected}`);
}
{
  const from = emulator.requestLog.length;
  const t0 = performance.now();
  for (let i = 0; i < 200; i++) await wclient.deleteConversation({ fromAccount: "seq", conversation: { type: "c2c", toAccount: `p${i}` } });
  const log = emulator.requestLog.slice(from);
  console.log(`   200 calls awaited in turn  ${(200 / ((performance.now() - t0) / 1000)).toFixed(1).padStart(6)} calls/s   throttled ${log.filter((x) => x.code === 60007).length}`);
}
{
  const from = emulator.requestLog.length;
  const report = await wclient.bulk(Array.from({ length: 1000 }, (_, i) => ({ method: "deleteConversation", params: { fromAccount: `b${i % 50}`, conversation: { type: "c2c", toAccount: `p${i}` } } })));
  const log = emulator.requestLog.slice(from);
  const at = log.map((x) => x.at);
  const rate = ((at.length - 1) * 1000) / (Math.max(...at) - Math.min(...at));
  console.log(`  1000 operations via bulk    ${rate.toFixed(1).padStart(6)} calls/s   throttled ${log.filter((x) => x.code === 60007).length}   most in any second ${mostInWindow(at)}   failed ${report.failed}`);
}

console.log("\nfleets against one HTTP emulator (service limit 200/s per command, for the whole app):");
{
  const fleet = await fleetEmulator();
  const row = (label, r) => {
    const ok = r.results.reduce((n, m) => n + m.ok, 0);
    const failed = r.results.reduce((n, m) => n + Object.values(m.failed).reduce((a, b) => a + b, 0), 0);
    console.log(`  ${label.padEnd(48)} ${r.callsPerSecond.toFixed(1).padStart(6)} calls/s   most in any second ${String(r.peak).padStart(3)}   throttled ${String(r.throttled).padStart(4)}   ok ${ok}   failed ${failed}`);
  };
  const calls = 500;
  row(`4 processes × ${calls}, built-in limiter`, await runNodeFleet(fleet, { processes: 4, calls, limiter: "builtin", limitMs: 300_000 }));
  if (redisServerPath()) {
    const redis = await startRedis();
    row(`4 processes × ${calls}, Redis limiter`, await runNodeFleet(fleet, { processes: 4, calls, limiter: "redis", redisUrl: redis.url }));
    await redis.kill();
  } else {
    console.log("  Redis limiter: skipped, redis-server is not installed (npm run setup installs it)");
  }
  const workerd = await startWorkerd("tests/workerd/fleet.capnp", { limitMs: 600_000 });
  row(`4 workerd Workers × ${calls}, built-in limiter`, await runWorkerdFleet(fleet, workerd, { members: 4, calls, limiter: "builtin" }));
  row(`4 workerd Workers × ${calls}, Durable Object limiter`, await runWorkerdFleet(fleet, workerd, { members: 4, calls, limiter: "do" }));
  workerd.stop();
  await fleet.server.close();
}

// Issue 25: the fleet's budget under faults, a far store, fairness (safety
// is asserted in tests/js/fleet-faults.test.mjs; here are the figures).
console.log("\nfleet under faults (node bench/fleet-faults.mjs [pkgDir] prints this for any build):");
{
  const { spawnSync } = await import("node:child_process");
  const r = spawnSync(process.execPath, ["bench/fleet-faults.mjs"], { encoding: "utf8", timeout: 1_200_000 });
  process.stdout.write(r.stdout.split("\n").slice(1).join("\n"));
}
