#!/usr/bin/env bash
# The main job: builds the package if needed and runs examples/node/demo.mjs
# (the local emulator, or the real service when TIM_SDKAPPID, TIM_IDENTIFIER
# and TIM_SECRET_KEY are set).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh >/dev/null
ln -sfn ../pkg node_modules/tim-recentcontact
exec node examples/node/demo.mjs
