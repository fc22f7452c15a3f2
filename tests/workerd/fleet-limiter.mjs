// Hosts the Durable Object that owns the fleet's rate budget, as a user's
// Worker would, with a switch the fault tests flip through the router:
// POST /fault { mode, ms } makes the object evict itself (its memory goes,
// its storage stays), lose its storage too, or for `ms` throw, answer
// HTTP 500 or hang, before it serves grants again.
import { RateLimiterDurableObject as Budget } from "./pkg/limiter/workerd.js";

/** The current fault, kept by the isolate (an evicted object's memory is gone). */
let fault = null;

export class RateLimiterDurableObject extends Budget {
  #state;

  constructor(state, env) {
    super(state, env);
    this.#state = state;
  }

  async fetch(request) {
    if (new URL(request.url).pathname === "/fault") {
      const { mode, ms = 0 } = await request.json();
      fault = { mode, until: Date.now() + ms };
      if (mode === "wipe") await this.#state.storage.deleteAll();
      if (mode === "evict" || mode === "wipe") this.#state.abort(`the test's fault: ${mode}`);
      return new Response("ok");
    }
    if (fault && Date.now() < fault.until) {
      if (fault.mode === "throw") throw new Error("the rate limiter object failed");
      if (fault.mode === "500") return new Response("failing", { status: 500 });
      if (fault.mode === "hang") await new Promise((r) => setTimeout(r, fault.until - Date.now()));
    }
    return super.fetch(request);
  }
}

export default {
  fetch() {
    return new Response("the rate limiter lives in its Durable Object", { status: 404 });
  },
};
