#!/usr/bin/env bash
# Builds pkg/ (the npm package) from the crate and pkg-template/: one
# wasm-opt-ed .wasm shared by three wasm-bindgen glues (Node CommonJS, ES
# module with a wasm source import for Deno, web for workerd and the rest).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

name=tim_recentcontact
# Skip everything when nothing that goes into pkg/ changed since the last
# build (wasm-opt alone takes ~16 s); FORCE=1 builds anyway.
stamp=$( { find src pkg-template -type f -print0 | sort -z | xargs -0 sha256sum;
  sha256sum Cargo.toml Cargo.lock LICENSE README.md scripts/build.sh scripts/package.mjs;
  wasm-bindgen --version; } | sha256sum | cut -d' ' -f1)
if [ "${FORCE:-}" != 1 ] && [ -f pkg/.build-stamp ] && [ "$(cat pkg/.build-stamp)" = "$stamp" ]; then
  echo "build: pkg/ is up to date ($(wc -c < "pkg/${name}_bg.wasm") bytes of wasm)"
  exit 0
fi
# A pure cdylib: as an rlib too, the crate keeps code only Rust callers need
# (about 24 KB of gzip). Cargo.toml keeps ["cdylib", "rlib"] for the tests.
cargo rustc --release --target wasm32-unknown-unknown --lib --crate-type cdylib
raw=target/wasm32-unknown-unknown/release/$name.wasm
gen=target/bindgen
rm -rf "$gen" pkg
for t in nodejs module web; do
  wasm-bindgen --target "$t" --out-dir "$gen/$t" "$raw"
done
# The three targets must share one binary; only their JS glue differs.
cmp -s "$gen/nodejs/${name}_bg.wasm" "$gen/module/${name}_bg.wasm"
cmp -s "$gen/nodejs/${name}_bg.wasm" "$gen/web/${name}_bg.wasm"

mkdir -p pkg
npx --no-install wasm-opt -Oz --strip-debug --strip-producers \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$gen/web/${name}_bg.wasm" -o "pkg/${name}_bg.wasm"
# The glues point at a .d.ts of their own; the package's types are index.d.ts.
for pair in "nodejs:${name}_node.cjs" "module:${name}_module.js" "web:${name}_web.js"; do
  sed '/^\/\* @ts-self-types=/d' "$gen/${pair%%:*}/$name.js" > "pkg/${pair#*:}"
done
node scripts/package.mjs "$gen/nodejs/$name.d.ts"
echo "build: pkg/ ready ($(wc -c < "pkg/${name}_bg.wasm") bytes of wasm)"
echo "$stamp" > pkg/.build-stamp
