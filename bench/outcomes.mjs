// What a write says about itself under faults, a second writer and two
// origins (tests/js/model.mjs), counted over the same seeded sequences for
// any build: `node bench/outcomes.mjs [path/to/pkg/node.mjs] [calls]`.
// The oracle is the emulators' history; the counts are the closing-note
// figures for issue 24 (before: an older build's pkg/node.mjs).
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import fc from "fast-check";

const entry = process.argv[2];
// First: copies of one package version share one instance (loadOnce), and
// the emulator loads the package too.
const mod = entry ? await import(pathToFileURL(resolve(entry)).href) : await import("tim-recentcontact");
const { call, emptyCounts, fastBackOff, runCalls } = await import("../tests/js/model.mjs");
const total = Number(process.argv[3] ?? 20_000);
const perRun = 250;
let reconcileOnAbortKnown = true;
try {
  new mod.ConversationClient({ sdkAppId: 1, identifier: "a", secretKey: "k", reconcileOnAbort: false });
} catch {
  reconcileOnAbortKnown = false;
}
const undo = fastBackOff();
const counts = emptyCounts();
const sequences = fc.sample(fc.array(call, { minLength: perRun, maxLength: perRun }), { numRuns: Math.ceil(total / perRun), seed: 24 });
const examples = {};
const byMethod = {};
for (const calls of sequences) {
  for (const { method, kind, text } of await runCalls(mod, calls, counts, { reconcileOnAbortKnown })) {
    examples[kind] ??= text.slice(0, 400);
    (byMethod[kind] ??= {})[method] = (byMethod[kind][method] ?? 0) + 1;
  }
}
undo();
console.log(`outcomes (${entry ?? "tim-recentcontact"}): ${counts.operations} calls, seed 24`);
console.table(counts);
console.log("failures by method:");
console.table(byMethod);
for (const [k, v] of Object.entries(examples)) console.log(`e.g. ${k}: ${v}`);
