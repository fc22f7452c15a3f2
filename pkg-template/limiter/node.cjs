// Rate limiters shared by a fleet of clients (Redis, Durable Objects): see
// docs/fleet.md.
"use strict";
const { TimValidationError } = require("../node.cjs");
const limiter = require("../lib/limiter.js");

limiter.useValidationError(TimValidationError);
const { LocalRateLimiter, RedisRateLimiter, DurableObjectRateLimiter, RateLimiterDurableObject, REDIS_SCRIPT } = limiter;
module.exports = { LocalRateLimiter, RedisRateLimiter, DurableObjectRateLimiter, RateLimiterDurableObject, REDIS_SCRIPT };
