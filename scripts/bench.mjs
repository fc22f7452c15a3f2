// npm run bench: throughput of the package, as ratios against baselines
// measured in the same run (never absolute times; run after npm run build).
//  1. A createConversationGroup call with 50 conversations through the wasm
//     client (validate, sign from cache, build, send to an in-process fake
//     fetch, parse) vs. a plain-JS baseline doing only JSON.stringify of
//     the request and JSON.parse of the same answer.
//  2. genUserSig vs. the official tls-sig-api-v2 signing the same input.
//  3. What each call leaves behind after a full GC — JS heap, wasm memory,
//     live externref slots — over 20,000 calls of every outcome (a bound is
//     asserted over 100,000 in tests/js/robust.mjs).
//  4. Workloads against the in-process emulator with 20 ms latency and
//     default client options: 1,000 and 2,000 calls fired together, calls
//     awaited one by one, and 1,000 operations through client.bulk — calls
//     per second (from the emulator's recorded arrival times) and throttled
//     answers.
import { createRequire } from "node:module";
import v8 from "node:v8";
import vm from "node:vm";
import * as pkg from "tim-recentcontact";
import { createEmulator } from "tim-recentcontact/emulator";
import { measure, OUTCOMES } from "../tests/js/endurance.mjs";
import { crowd, mostInWindow } from "../tests/js/workloads.mjs";

const { ConversationClient, genUserSig } = pkg;

const require = createRequire(import.meta.url);
const TLS = require("tls-sig-api-v2");

async function rate(fn, ms = 1500) {
  for (let i = 0; i < 200; i++) await fn(); // warm up
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    for (let i = 0; i < 50; i++) await fn();
    n += 50;
  }
  return n / ((performance.now() - t0) / 1000);
}

const conversations = Array.from({ length: 50 }, (_, i) => ({ type: "c2c", toAccount: `user${i}` }));
const answerText = JSON.stringify({
  GroupResultItem: [{ GroupItem: { GroupName: "bench", GroupId: 1 }, ResultItem: conversations.map((c) => ({ ContactItem: { Type: 1, To_Account: c.toAccount }, ResultCode: 0, ResultInfo: "" })) }],
  ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "",
});
const fakeFetch = async () => new Response(answerText);
const client = new ConversationClient({ sdkAppId: 1400000000, identifier: "admin", secretKey: "k", baseUrl: "http://127.0.0.1:1", fetch: fakeFetch, maxRequestsPerSecond: 1e12 });
const params = { fromAccount: "u", groupName: "bench", conversations };

const ours = await rate(() => client.createConversationGroup(params));
const baseline = await rate(async () => {
  const body = JSON.stringify({ From_Account: params.fromAccount, GroupContactItem: [{ GroupName: params.groupName, ContactItem: conversations.map((c) => ({ Type: 1, To_Account: c.toAccount })) }] });
  const r = await fakeFetch(`http://127.0.0.1:1/v4/recentcontact/create_contact_group?random=${Math.random()}`, { method: "POST", body });
  return JSON.parse(await r.text());
});
const api = new TLS.Api(1400000000, "k");
const sigOurs = await rate(() => genUserSig({ sdkAppId: 1400000000, secretKey: "k", identifier: "admin", expireSeconds: 86400 }), 1000);
const sigTheirs = await rate(() => api.genUserSig("admin", 86400), 1000);

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
const verifyOurs = await rate(() => pkg.verifyUserSig({ sdkAppId: 1400000000, secretKey: "k", userSig: official }), 1000);
const verifyTheirs = await rate(() => cryptoVerify(official, "k", 1400000000), 1000);

const row = (name, a, b, goal = "") => console.log(`${name.padEnd(58)} ${(a / b).toFixed(2)}x${goal ? `   goal ${goal}` : ""}`);
console.log("ratio = ours / baseline (higher is faster)");
row("createConversationGroup(50) vs plain JSON round trip", ours, baseline);
row("genUserSig vs tls-sig-api-v2", sigOurs, sigTheirs, ">= 1.00x");
row("verifyUserSig vs a node:crypto verification", verifyOurs, verifyTheirs, ">= 1.00x");

// Per-call CPU against the plain-JavaScript client (bench/plain-client.mjs,
// checked to send and return the same by tests/js/plain-client.test.mjs):
// both answered at once by the same in-process fake; time ratio, lower is
// better.
{
  const { PlainClient } = await import("../bench/plain-client.mjs");
  const many = Array.from({ length: 100 }, (_, i) => ({ type: "c2c", toAccount: `user${i}` }));
  const wire = (c) => ({ ContactItem: { Type: 1, To_Account: c.toAccount }, ResultCode: 0, ResultInfo: "" });
  const answers = {
    delete: {},
    del_contact_group: { GroupItem: [{ GroupName: "g", GroupId: 1 }] },
    create_contact_group: { GroupResultItem: [{ GroupItem: { GroupName: "g", GroupId: 1 }, ResultItem: many.map(wire) }] },
    update_contact_group: { UpdateGroupResult: { GroupName: "g", GroupId: 1, OldGroupName: "g", ContactResultItem: many.map((c) => ({ ContactOptType: 1, ...wire(c) })) } },
  };
  const texts = Object.fromEntries(Object.entries(answers).map(([k, v]) => [k, JSON.stringify({ ...v, ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" })]));
  const failText = JSON.stringify({ ActionStatus: "FAIL", ErrorCode: 51009, ErrorInfo: "no such group" });
  let failing = false; // set while the error path is measured
  const fetch = async (url) => new Response(failing ? failText : texts[url.slice(url.lastIndexOf("/") + 1, url.indexOf("?"))]);
  const opts = { sdkAppId: 1400000000, identifier: "admin", secretKey: "k", baseUrl: "http://127.0.0.1:1", fetch };
  const wasm = new ConversationClient({ ...opts, maxRequestsPerSecond: 1e12, maxRetries: 0 });
  const plain = new PlainClient(opts);
  const cases = [
    ["deleteConversation", { fromAccount: "u", conversation: { type: "c2c", toAccount: "v" } }, 2.0],
    ["renameConversationGroup", { fromAccount: "u", groupName: "g", newGroupName: "h" }, 2.0],
    ["deleteConversationGroup", { fromAccount: "u", groupName: "g" }, 2.0],
    ["createConversationGroup", { fromAccount: "u", groupName: "g", conversations: many.slice(0, 1) }, 2.0],
    ["createConversationGroup", { fromAccount: "u", groupName: "g", conversations: many }, 2.5],
    ["updateConversationGroup", { fromAccount: "u", groupName: "g", add: many }, 2.5],
  ];
  console.log("\nper-call CPU, package / plain JavaScript (time; lower is better):");
  const line = (name, r, goal) => console.log(`  ${name.padEnd(56)} ${r.toFixed(2)}x   goal <= ${goal.toFixed(1)}x`);
  for (const [method, params, goal] of cases) {
    const a = await rate(() => wasm[method](params));
    const b = await rate(() => plain[method](params));
    const n = method.startsWith("c") || method.startsWith("u") ? (params.conversations ?? params.add).length : 1;
    line(`${method}${n > 1 || method === "createConversationGroup" ? ` (${n})` : ""}`, b / a, goal);
  }
  failing = true;
  const fail = async (c) => { try { await c.deleteConversationGroup({ fromAccount: "u", groupName: "g" }); } catch {} };
  line("a call that fails with TimApiError", (await rate(() => fail(plain))) / (await rate(() => fail(wasm))), 2.0);
  failing = false;
}

// Cold start: whole processes, import + one call, with and without the package.
{
  const { execFileSync } = require("node:child_process");
  const time = (arg) => {
    const t0 = performance.now();
    execFileSync(process.execPath, ["bench/cold.mjs", arg]);
    return performance.now() - t0;
  };
  const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
  time("with");
  const runs = { with: [], without: [] };
  for (let i = 0; i < 9; i++) for (const k of ["without", "with"]) runs[k].push(time(k));
  const extra = median(runs.with) - median(runs.without);
  console.log(`${"cold start, Node ESM: import + first call, extra ms".padEnd(58)} ${extra.toFixed(1)} ms   goal <= 15 ms`);
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
