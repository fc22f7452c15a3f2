// The hostile-JavaScript fuzzer (tests/js/fuzz.mjs) in Node: a bounded run
// (FUZZ_RUNS, default 3,000 cases); `npm run fuzz` runs 10⁶.
import { test } from "node:test";
import assert from "node:assert/strict";
import v8 from "node:v8";
import vm from "node:vm";
import * as mod from "tim-recentcontact";
import { fuzz, FUZZ_BOUNDS } from "./fuzz.mjs";

v8.setFlagsFromString("--expose-gc");
const gc = globalThis.gc ?? vm.runInNewContext("gc");
const unhandled = [];
process.on("unhandledRejection", (reason) => unhandled.push(reason));

test("hostile JavaScript in every method, option and helper: only TimErrors, every call settles, module alive, externrefs and wasm memory flat", { timeout: 30 * 60_000 }, async () => {
  const runs = Number(process.env.FUZZ_RUNS ?? 3000);
  const r = await fuzz(mod, { gc, unhandled }, { runs });
  console.log(`fuzz (node ${process.version}): ${r.runs} cases, seed ${r.seed}: externrefs ${r.externrefs >= 0 ? "+" : ""}${r.externrefs}, wasm memory +${r.wasmBytes} B`);
  assert.ok(r.externrefs <= FUZZ_BOUNDS.externrefs, `externref slots grew by ${r.externrefs}`);
  assert.ok(r.wasmBytes <= FUZZ_BOUNDS.wasmBytes, `wasm memory grew by ${r.wasmBytes} B`);
});
