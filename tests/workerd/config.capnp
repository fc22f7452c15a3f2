# workerd config serving the test worker: the built package's workerd entry
# runs inside a real worker. The socket address is given on the command line
# (--socket-addr http=127.0.0.1:PORT); outbound fetches may reach loopback.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .testWorker),
    (name = "outbound", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [(name = "http", http = (), service = "main")],
);

const testWorker :Workerd.Worker = (
  modules = [
    (name = "worker.mjs", esModule = embed "worker.mjs"),
    (name = "suite.mjs", esModule = embed "../js/suite.mjs"),
    (name = "e2e.mjs", esModule = embed "../js/e2e.mjs"),
    (name = "pkg/workerd.js", esModule = embed "../../pkg/workerd.js"),
    (name = "pkg/chunks/client.js", esModule = embed "../../pkg/chunks/client.js"),
    (name = "pkg/callbacks.js", esModule = embed "../../pkg/callbacks.js"),
    (name = "mistakes.mjs", esModule = embed "../js/mistakes.mjs"),
    (name = "hostile-suite.mjs", esModule = embed "../js/hostile-suite.mjs"),
    (name = "assertions.mjs", esModule = embed "../js/assertions.mjs"),
    (name = "outcome-suite.mjs", esModule = embed "../js/outcome-suite.mjs"),
    (name = "pkg/tim_recentcontact_bg.wasm", wasm = embed "../../pkg/tim_recentcontact_bg.wasm"),
  ],
  compatibilityDate = "2025-09-01",
  globalOutbound = "outbound",
);
