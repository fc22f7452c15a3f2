# Runs the example worker locally in workerd, with the package built in ../../pkg:
#   TIM_BASE_URL=http://127.0.0.1:8787 TIM_SDKAPPID=… TIM_IDENTIFIER=… TIM_SECRET_KEY=… \
#     npx workerd serve examples/cloudflare-worker/workerd.capnp --socket-addr http=127.0.0.1:8788
# (wrangler does the same resolution of "tim-recentcontact" through the package's
# "workerd" export condition.)
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .exampleWorker),
    (name = "outbound", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [(name = "http", http = (), service = "main")],
);

const exampleWorker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "src/worker.js"),
    (name = "tim-recentcontact", esModule = embed "../../pkg/workerd.js"),
    # The package's ES entries share their code in chunks/ (one copy of it).
    (name = "chunks/client.js", esModule = embed "../../pkg/chunks/client.js"),
    (name = "tim_recentcontact_bg.wasm", wasm = embed "../../pkg/tim_recentcontact_bg.wasm"),
  ],
  bindings = [
    (name = "TIM_SDKAPPID", fromEnvironment = "TIM_SDKAPPID"),
    (name = "TIM_IDENTIFIER", fromEnvironment = "TIM_IDENTIFIER"),
    (name = "TIM_SECRET_KEY", fromEnvironment = "TIM_SECRET_KEY"),
    (name = "TIM_BASE_URL", fromEnvironment = "TIM_BASE_URL"),
    (name = "TIM_REGION", fromEnvironment = "TIM_REGION"),
  ],
  compatibilityDate = "2025-09-01",
  globalOutbound = "outbound",
);
