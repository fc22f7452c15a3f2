/* @ts-self-types="./index.d.ts" */
import { TimValidationError } from "../edge.js";
import { useValidationError } from "../lib/limiter.js";

useValidationError(TimValidationError);
export { LocalRateLimiter, RedisRateLimiter, DurableObjectRateLimiter, RateLimiterDurableObject, REDIS_SCRIPT } from "../lib/limiter.js";
