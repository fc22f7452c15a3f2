#!/usr/bin/env bash
# npm run bench: scripts/bench.mjs on Node 24, the current LTS (installed by
# scripts/setup.sh when the node on PATH is another major); on the node on
# PATH, saying so, where Node 24 cannot be had.
set -euo pipefail
cd "$(dirname "$0")/.."
if node24=$(bash scripts/node-major.sh 24); then
  exec "$node24" scripts/bench.mjs "$@"
fi
echo "bench: Node 24 is not available here; running on $(node -v), whose figures are not the goals' baseline"
exec node scripts/bench.mjs "$@"
