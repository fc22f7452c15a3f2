# workerd config of a fleet: four member Workers (each its own isolate) that
# share one rate budget through a Durable Object hosted by a fifth, and a
# router the test talks to (which can also make the object fail: fleet-limiter.mjs). The Durable Object's storage is in memory.
# The socket address is given on the command line; outbound fetches may reach loopback.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .router),
    (name = "limiter", worker = .limiterHost),
    (name = "m1", worker = .member),
    (name = "m2", worker = .member),
    (name = "m3", worker = .member),
    (name = "m4", worker = .member),
    (name = "outbound", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [(name = "http", http = (), service = "main")],
);

const router :Workerd.Worker = (
  modules = [(name = "fleet-router.mjs", esModule = embed "fleet-router.mjs")],
  bindings = [
    (name = "M1", service = "m1"),
    (name = "M2", service = "m2"),
    (name = "M3", service = "m3"),
    (name = "M4", service = "m4"),
    (name = "LIMITER", durableObjectNamespace = (className = "RateLimiterDurableObject", serviceName = "limiter")),
  ],
  compatibilityDate = "2025-09-01",
);

const limiterHost :Workerd.Worker = (
  modules = [
    (name = "fleet-limiter.mjs", esModule = embed "fleet-limiter.mjs"),
    (name = "pkg/limiter/workerd.js", esModule = embed "../../pkg/limiter/workerd.js"),
    (name = "pkg/chunks/limiter.js", esModule = embed "../../pkg/chunks/limiter.js"),
    (name = "pkg/workerd.js", esModule = embed "../../pkg/workerd.js"),
    (name = "pkg/chunks/client.js", esModule = embed "../../pkg/chunks/client.js"),
    (name = "pkg/tim_recentcontact_bg.wasm", wasm = embed "../../pkg/tim_recentcontact_bg.wasm"),
  ],
  durableObjectNamespaces = [(className = "RateLimiterDurableObject", uniqueKey = "tim-recentcontact-fleet-test")],
  durableObjectStorage = (inMemory = void),
  compatibilityDate = "2025-09-01",
);

const member :Workerd.Worker = (
  modules = [
    (name = "fleet-member.mjs", esModule = embed "fleet-member.mjs"),
    (name = "fleet-calls.mjs", esModule = embed "../js/fleet-calls.mjs"),
    (name = "pkg/limiter/workerd.js", esModule = embed "../../pkg/limiter/workerd.js"),
    (name = "pkg/chunks/limiter.js", esModule = embed "../../pkg/chunks/limiter.js"),
    (name = "pkg/workerd.js", esModule = embed "../../pkg/workerd.js"),
    (name = "pkg/chunks/client.js", esModule = embed "../../pkg/chunks/client.js"),
    (name = "pkg/tim_recentcontact_bg.wasm", wasm = embed "../../pkg/tim_recentcontact_bg.wasm"),
  ],
  bindings = [
    (name = "LIMITER", durableObjectNamespace = (className = "RateLimiterDurableObject", serviceName = "limiter")),
  ],
  compatibilityDate = "2025-09-01",
  globalOutbound = "outbound",
);
