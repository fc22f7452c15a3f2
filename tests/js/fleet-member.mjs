// One member of a fleet (a Node process): fires `calls` calls of one command
// at the emulator at `startAt`, at most `concurrency` at once, with the
// limiter named in its config; prints a JSON summary as its last line.
import { pathToFileURL } from "node:url";
import { fireCalls } from "./fleet-calls.mjs";

const config = JSON.parse(process.argv[2]);
// `pkg`: another build's package directory (the bench compares builds).
const inPkg = (file) => pathToFileURL(`${config.pkg}/${file}`).href;
const { ConversationClient } = await import(config.pkg ? inPkg("node.mjs") : "tim-recentcontact");
const { RedisRateLimiter } = await import(config.pkg ? inPkg("limiter/node.mjs") : "tim-recentcontact/limiter");
const events = [];
if (config.clockStepAtMs !== undefined) {
  // This machine's wall clock steps back a second mid-run (an NTP step).
  const now = Date.now;
  setTimeout(() => (Date.now = () => now() - 1000), Math.max(0, config.startAt + config.clockStepAtMs - now()));
}
let redis;
let rateLimiter;
if (config.limiter === "redis" || config.limiter === "ioredis") {
  if (config.limiter === "redis") {
    const { createClient } = await import("redis");
    // Reconnects keep trying in the background; its errors are the limiter's to report.
    redis = createClient({ url: config.redisUrl, socket: { reconnectStrategy: 100 } });
    redis.on("error", () => {});
    await redis.connect();
  } else {
    const { default: Redis } = await import("ioredis");
    redis = new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    redis.on("error", () => {});
    await redis.connect();
  }
  rateLimiter = new RedisRateLimiter(redis, { sdkAppId: config.credentials.sdkAppId, ...config.limiterOptions, onEvent: (e) => events.push({ type: e.type, at: Date.now(), message: e.message, fallbackRequestsPerSecond: e.fallbackRequestsPerSecond, members: e.members }) });
}
const client = new ConversationClient({ ...config.credentials, baseUrl: config.base, ...(rateLimiter ? { rateLimiter } : {}), onEvent: (e) => e.type === "throttle" && events.push({ type: "throttle", at: Date.now() }) });

const { monitorEventLoopDelay } = await import("node:perf_hooks");
const lag = monitorEventLoopDelay({ resolution: 5 });
lag.enable();
const { ok, failed, durationMs, p50Ms, p99Ms } = await fireCalls(client, config);
lag.disable();
if (redis) {
  if (config.limiter === "redis") await redis.disconnect().catch(() => {});
  else redis.disconnect();
}
console.log(JSON.stringify({ member: config.member, ok, failed, durationMs, p50Ms, p99Ms, events, maxLagMs: Math.round(lag.max / 1e6) }));
