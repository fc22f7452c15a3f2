#!/usr/bin/env bash
# Builds pkg/ (the npm package) from the crate and pkg-template/: one
# wasm-opt-ed .wasm and one wasm-bindgen glue (web target, loaded by each
# runtime entry its own way), bundled into the entries by scripts/package.mjs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

name=tim_recentcontact
# Skip everything when nothing that goes into pkg/ changed since the last
# build (wasm-opt alone takes ~16 s); FORCE=1 builds anyway.
stamp=$( { find src pkg-template -type f -print0 | sort -z | xargs -0 sha256sum;
  sha256sum Cargo.toml Cargo.lock LICENSE README.md scripts/build.sh scripts/package.mjs scripts/short-imports.mjs;
  wasm-bindgen --version; } | sha256sum | cut -d' ' -f1)
if [ "${FORCE:-}" != 1 ] && [ -f pkg/.build-stamp ] && [ "$(cat pkg/.build-stamp)" = "$stamp" ]; then
  echo "build: pkg/ is up to date ($(wc -c < "pkg/${name}_bg.wasm") bytes of wasm)"
  exit 0
fi
# A pure cdylib: as an rlib too, the crate keeps code only Rust callers need
# (about 24 KB of gzip). Cargo.toml keeps ["cdylib", "rlib"] for the tests.
# Panic locations name their source files; shorter names (the registry's
# and this checkout's directories dropped) are a kilobyte less of .wasm.
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="--remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}/registry/src/= --remap-path-prefix=$PWD/="
cargo rustc --release --target wasm32-unknown-unknown --lib --crate-type cdylib
raw=target/wasm32-unknown-unknown/release/$name.wasm
gen=target/bindgen
rm -rf "$gen" pkg
wasm-bindgen --target web --out-dir "$gen" "$raw"

mkdir -p pkg
# What a first call never runs is in functions marked #[cold] and
# #[inline(never)] (CONTRIBUTING, "Cold code"): LLVM keeps them apart, and
# wasm-opt inlines a function with one caller back only when it is small
# (100 units), so V8's lazy compiler never compiles them on a first call.
# -O2, not -Oz, after LLVM's size-first opt-level: measured, its output is
# ~600 B smaller gzipped (94,014 against 94,633 B) and a few per cent faster
# per call and at a first call.
npx --no-install wasm-opt --one-caller-inline-max-function-size=100 -O2 --strip-debug --strip-producers \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$gen/${name}_bg.wasm" -o "pkg/${name}_bg.wasm"
node scripts/short-imports.mjs "pkg/${name}_bg.wasm" "$gen/${name}.js"
node scripts/package.mjs "$gen"
echo "build: pkg/ ready ($(wc -c < "pkg/${name}_bg.wasm") bytes of wasm)"
echo "$stamp" > pkg/.build-stamp
