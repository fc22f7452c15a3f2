// Where a Node ESM cold start's extra time goes, for npm run bench (report
// only; the figure with a goal is bench/cold-start.mjs). Each child process
// makes the bare call first, as the script without the package does, then
// times, in-process: the package's import, the first `new`, and the first
// call. A second set of runs passes V8's --no-wasm-lazy-compilation: the
// import then compiles the whole module, and what `new` and the call lose is
// the share of V8's lazy compilation of the wasm they run (Liftoff, one
// function at a time on the main thread). A third set imports a one-line
// package instead (written to a temporary directory): the floor of any
// package's import. A fourth runs the plain client (bench/cold.mjs plain)
// the same way: its require of tls-sig-api-v2, its first signature, its
// first call; the last line is the in-process total over it (the goal's
// row, above it in the bench, times whole processes).
//
//   node bench/cold-phases.mjs          the table
//   node bench/cold-phases.mjs child    one run (JSON)
//   node bench/cold-phases.mjs plain    one run of the plain client (JSON)
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const OK = { ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" };

/** The plain client's import, first signature and first call, as bench/cold.mjs plain makes them. */
async function plainChild() {
  const fetch = async () => new Response(JSON.stringify(OK));
  const bare = await fetch("http://127.0.0.1:1/v4/recentcontact/delete", { method: "POST", body: JSON.stringify({ From_Account: "u", Type: 1, To_Account: "v" }) });
  JSON.parse(await bare.text());
  const t0 = performance.now();
  const { createRequire } = await import("node:module");
  const TLS = createRequire(import.meta.url)("tls-sig-api-v2");
  const t1 = performance.now();
  const params = { fromAccount: "u", conversation: { type: "c2c", toAccount: "v" } };
  for (const [k, v] of [["fromAccount", params.fromAccount], ["conversation.toAccount", params.conversation.toAccount]]) {
    if (typeof v !== "string" || v === "") throw new TypeError(`invalid ${k}`);
  }
  const sig = new TLS.Api(1400000000, "k").genUserSig("admin", 86400);
  const t2 = performance.now();
  const query = new URLSearchParams({ sdkappid: "1400000000", identifier: "admin", usersig: sig, random: "1", contenttype: "json" });
  const body = JSON.stringify({ From_Account: params.fromAccount, Type: 1, To_Account: params.conversation.toAccount });
  const r = await fetch(`http://127.0.0.1:1/v4/recentcontact/delete?${query}`, { method: "POST", body });
  const answer = JSON.parse(await r.text());
  if (answer.ActionStatus !== "OK") throw new Error(answer.ErrorInfo);
  const t3 = performance.now();
  process.stdout.write(JSON.stringify([t1 - t0, t2 - t1, t3 - t2]));
}

async function child(specifier) {
  const fetch = async () => new Response(JSON.stringify(OK));
  const bare = await fetch("http://127.0.0.1:1/v4/recentcontact/delete", { method: "POST", body: JSON.stringify({ From_Account: "u", Type: 1, To_Account: "v" }) });
  JSON.parse(await bare.text());
  const t0 = performance.now();
  const { ConversationClient } = await import(specifier);
  const t1 = performance.now();
  if (!ConversationClient) return void process.stdout.write(JSON.stringify([t1 - t0, null, null]));
  const client = new ConversationClient({ sdkAppId: 1400000000, identifier: "admin", secretKey: "k", baseUrl: "http://127.0.0.1:1", fetch });
  const t2 = performance.now();
  await client.deleteConversation({ fromAccount: "u", conversation: { type: "c2c", toAccount: "v" } });
  const t3 = performance.now();
  process.stdout.write(JSON.stringify([t1 - t0, t2 - t1, t3 - t2]));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** A one-line package in a temporary directory, and a script there running `child` on it. */
function floorPackage() {
  const dir = mkdtempSync(join(tmpdir(), "tim-cold-floor-"));
  mkdirSync(join(dir, "node_modules", "floor"), { recursive: true });
  writeFileSync(join(dir, "node_modules", "floor", "package.json"), JSON.stringify({ name: "floor", type: "module", exports: { ".": { node: { import: "./index.mjs" } } } }));
  writeFileSync(join(dir, "node_modules", "floor", "index.mjs"), "export const one = 1;\n");
  writeFileSync(join(dir, "child.mjs"), `const OK = ${JSON.stringify(OK)};\n${child.toString()}\nawait child("floor");\n`);
  return dir;
}

/**
 * `phases`: rows of [label, as shipped, whole module compiled at import, a
 * one-line package (null: no such phase), the plain client] in ms (medians
 * of `n` processes each, interleaved); `overPlain`: the median of the runs'
 * in-process totals, as shipped, over the plain client's run beside it.
 */
export function coldPhases(n = 15) {
  const self = new URL(import.meta.url).pathname;
  const run = (args) => JSON.parse(execFileSync(process.execPath, args));
  const floor = floorPackage();
  const lazy = [], eager = [], bare = [], plain = [];
  try {
    for (let i = 0; i < n; i++) {
      lazy.push(run([self, "child"]));
      eager.push(run(["--no-wasm-lazy-compilation", self, "child"]));
      bare.push(run([join(floor, "child.mjs")]));
      plain.push(run([self, "plain"]));
    }
  } finally {
    rmSync(floor, { recursive: true, force: true });
  }
  const sum = (r) => r[0] + r[1] + r[2];
  return {
    phases: ["import", "first new", "first call"].map((label, k) => [label, ...[lazy, eager, bare, plain].map((runs) => (runs[0][k] === null ? null : median(runs.map((r) => r[k]))))]),
    overPlain: median(lazy.map((r, i) => sum(r) - sum(plain[i]))),
  };
}

export function formatColdPhases({ phases, overPlain }) {
  const lines = [
    "  where Node ESM's extra time goes, in-process ms     as shipped   whole wasm compiled   a one-line   plain",
    "  (medians; report only)                                             at import         package     client",
  ];
  const ms = (x, width) => (x === null ? "-" : x.toFixed(1)).padStart(width);
  for (const [label, lazy, eager, bare, plain] of phases) lines.push(`    ${label.padEnd(50)} ${ms(lazy, 6)}   ${ms(eager, 14)}   ${ms(bare, 13)}   ${ms(plain, 8)}`);
  lines.push(`    ${"total over the plain client's (run by run)".padEnd(50)} ${`+${overPlain.toFixed(1)}`.padStart(6)}`);
  return lines.join("\n");
}

if (process.argv[2] === "child") await child("tim-recentcontact");
else if (process.argv[2] === "plain") await plainChild();
else if (import.meta.url === `file://${process.argv[1]}`) console.log(formatColdPhases(coldPhases()));
