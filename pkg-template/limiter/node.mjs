import m from "./node.cjs";
export const { LocalRateLimiter, RedisRateLimiter, DurableObjectRateLimiter, RateLimiterDurableObject, REDIS_SCRIPT } = m;
