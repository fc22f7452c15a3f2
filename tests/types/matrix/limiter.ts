// The limiter subpath: a shared limiter is a RateLimiter the client takes,
// and user-written ones type-check against the same interface.
import { ConversationClient, type RateLimiter, type ClientEvent } from "tim-recentcontact";
import { RedisRateLimiter, DurableObjectRateLimiter, LocalRateLimiter, RateLimiterDurableObject, type SharedLimiterEvent } from "tim-recentcontact/limiter";

declare const redis: { eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown> };
declare const namespace: { idFromName(name: string): unknown; get(id: unknown): { fetch(input: string, init?: RequestInit): Promise<Response> } };

const onEvent = (e: SharedLimiterEvent): void => {
  if (e.type === "unavailable") void [e.fallbackRequestsPerSecond, e.members ?? 4];
  if (e.type === "slow") void [e.roundTripMs, e.maxRequestsPerSecond];
  // @ts-expect-error a "slow" event has no members
  if (e.type === "slow") void e.members;
};
const shared: RateLimiter = new RedisRateLimiter(redis, { sdkAppId: 1400000000, onEvent });
const edge = new DurableObjectRateLimiter(namespace, { sdkAppId: 1400000000, batch: 10 });
const mine: RateLimiter = { acquire: async (command, { signal }) => void [command, signal], penalize: (command) => void command };
void edge.degraded;
const share: number = edge.fallbackRequestsPerSecond;
void share;
void new LocalRateLimiter({ maxRequestsPerSecond: 50 });
void RateLimiterDurableObject;
for (const rateLimiter of [shared, edge, mine]) {
  new ConversationClient({
    sdkAppId: 1400000000,
    identifier: "admin",
    secretKey: "k",
    rateLimiter,
    onEvent: (e: ClientEvent) => {
      if (e.type === "limiter-error") void e.message;
      if (e.type === "throttle") void e.rate;
    },
  });
}
