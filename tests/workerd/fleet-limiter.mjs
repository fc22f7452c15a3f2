// Hosts the Durable Object that owns the fleet's rate budget, as a user's Worker would.
export { RateLimiterDurableObject } from "./pkg/limiter/workerd.js";

export default {
  fetch() {
    return new Response("the rate limiter lives in its Durable Object", { status: 404 });
  },
};
