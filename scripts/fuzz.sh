#!/usr/bin/env bash
# The long run of the hostile-JavaScript fuzzer (tests/js/fuzz.mjs): 10^6
# cases in Node and 10^6 in Deno (FUZZ_RUNS to change it, FUZZ_SEED to
# replay one), then the model-based test of truthful outcomes
# (tests/js/model.mjs) over MODEL_RUNS sequences of ~230 calls (default 2000,
# about 460,000 calls). npm test runs a bounded one of each.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
ln -sfn ../pkg node_modules/tim-recentcontact
runs=${FUZZ_RUNS:-1000000}
FUZZ_RUNS=$runs node --test tests/js/fuzz.test.mjs
FUZZ_RUNS=$runs node node_modules/deno/bin.cjs test --allow-net=127.0.0.1 --allow-env=FUZZ_RUNS,FUZZ_SEED,FUZZ_SLOW_MS \
  --v8-flags=--expose-gc tests/js/fuzz.deno.test.ts
MODEL_RUNS=${MODEL_RUNS:-2000} node --test tests/js/model.test.mjs
