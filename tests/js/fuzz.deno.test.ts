// The hostile-JavaScript fuzzer (tests/js/fuzz.mjs) in Deno: a bounded run
// (FUZZ_RUNS, default 1,500 cases). Run with --v8-flags=--expose-gc.
import * as mod from "tim-recentcontact";
import { fuzz, FUZZ_BOUNDS } from "./fuzz.mjs";

import { gc, unhandled } from "./deno-env.ts";

Deno.test({
  name: "hostile JavaScript in every method, option and helper: only TimErrors, every call settles, module alive, externrefs and wasm memory flat",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const runs = Number(Deno.env.get("FUZZ_RUNS") ?? 1500);
    const seed = Deno.env.get("FUZZ_SEED");
    const r = await fuzz(mod, { gc, unhandled }, { runs, ...(seed ? { seed: Number(seed) } : {}) });
    console.log(`fuzz (deno ${Deno.version.deno}): ${r.runs} cases, seed ${r.seed}: externrefs ${r.externrefs >= 0 ? "+" : ""}${r.externrefs}, wasm memory +${r.wasmBytes} B`);
    if (r.externrefs > FUZZ_BOUNDS.externrefs) throw new Error(`externref slots grew by ${r.externrefs}`);
    if (r.wasmBytes > FUZZ_BOUNDS.wasmBytes) throw new Error(`wasm memory grew by ${r.wasmBytes} B`);
  },
});
