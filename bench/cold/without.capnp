# workerd config for the cold-start bench: one worker, without the package
# (bench/cold-start.mjs gives the socket address on the command line).
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "main", worker = .w)],
  sockets = [(name = "http", http = (), service = "main")],
);

const w :Workerd.Worker = (
  modules = [
    (name = "worker.mjs", esModule = embed "worker-without.mjs"),
  ],
  compatibilityDate = "2025-09-01",
);
