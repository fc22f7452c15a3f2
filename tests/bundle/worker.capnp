# Serves the esbuild bundle of worker-entry.mjs with the package's .wasm
# beside it, as wrangler uploads them.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "main", worker = .w)],
  sockets = [(name = "http", http = (), service = "main")],
);

const w :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "out/worker/worker.js"),
    (name = "tim_recentcontact_bg.wasm", wasm = embed "out/worker/tim_recentcontact_bg.wasm"),
  ],
  compatibilityDate = "2025-09-01",
);
