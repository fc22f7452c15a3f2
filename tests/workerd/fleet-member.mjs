// A fleet member Worker: fires `calls` calls of one command at the emulator
// at `startAt`, paced by the Durable Object limiter ("do") or by the
// client's own pacer ("builtin"); answers a summary.
import { ConversationClient } from "./pkg/workerd.js";
import { DurableObjectRateLimiter } from "./pkg/limiter/workerd.js";
import { fireCalls } from "./fleet-calls.mjs";

// For /one: a client made once per isolate, as a Worker keeps it between
// requests (the README's way), its limiter's batches shared by them.
let shared;

export default {
  async fetch(request, env) {
    const config = await request.json();
    if (new URL(request.url).pathname === "/one") {
      shared ??= new ConversationClient({
        ...config.credentials,
        baseUrl: config.base,
        rateLimiter: new DurableObjectRateLimiter(env.LIMITER, { sdkAppId: config.credentials.sdkAppId }),
      });
      try {
        await shared.deleteConversation({ fromAccount: "one", conversation: { type: "c2c", toAccount: `peer${config.i}` } });
        return Response.json({ ok: true });
      } catch (e) {
        return Response.json({ ok: false, error: `${e.name}: ${e.message}` });
      }
    }
    const events = [];
    const rateLimiter =
      config.limiter === "do"
        ? new DurableObjectRateLimiter(env.LIMITER, { sdkAppId: config.credentials.sdkAppId, ...config.limiterOptions, onEvent: (e) => events.push({ type: e.type, message: e.message }) })
        : undefined;
    const client = new ConversationClient({
      ...config.credentials,
      baseUrl: config.base,
      ...(rateLimiter ? { rateLimiter } : {}),
      onEvent: (e) => e.type === "throttle" && events.push({ type: "throttle" }),
    });
    const { ok, failed, durationMs } = await fireCalls(client, config);
    return Response.json({ member: config.member, ok, failed, durationMs, events });
  },
};
