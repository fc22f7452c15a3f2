# workerd config for the cold-start bench: one worker, with the package
# (bench/cold-start.mjs gives the socket address on the command line).
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "main", worker = .w)],
  sockets = [(name = "http", http = (), service = "main")],
);

const w :Workerd.Worker = (
  modules = [
    (name = "worker.mjs", esModule = embed "worker-with.mjs"),
    (name = "pkg/workerd.js", esModule = embed "../../pkg/workerd.js"),
    (name = "pkg/chunks/client.js", esModule = embed "../../pkg/chunks/client.js"),
    (name = "pkg/tim_recentcontact_bg.wasm", wasm = embed "../../pkg/tim_recentcontact_bg.wasm"),
  ],
  compatibilityDate = "2025-09-01",
);
