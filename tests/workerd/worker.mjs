// The test worker: runs the conformance suite inside workerd, and calls a
// loopback server through the default transport when asked.
import * as mod from "./pkg/workerd.js";
import { runAll, APP, KEY } from "./suite.mjs";
import { runE2e } from "./e2e.mjs";
import { verifyCallback, callbackReply, isRateAlert } from "./pkg/callbacks.js";

/** A client kept across requests: the callback route slows it. */
let kept;
const events = [];

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === "/suite") return Response.json(await runAll(mod));
    if (url.pathname === "/e2e") return Response.json(await runE2e(mod, JSON.parse(url.searchParams.get("targets"))));
    // The README's Worker recipe: verify the service's callback (Web Crypto),
    // then act on a rate alert; answers what it did.
    if (url.pathname === "/callbacks") {
      kept ??= new mod.ConversationClient({ sdkAppId: APP, identifier: "admin", secretKey: KEY, maxRequestsPerSecond: 100, onEvent: (e) => events.push(e) });
      try {
        const cb = await verifyCallback(request, { token: "worker-token", sdkAppId: APP });
        const slowed = isRateAlert(cb.payload) && kept.observeRateAlert(cb.payload);
        return Response.json({ ...callbackReply(), command: cb.command, slowed, events: events.filter((e) => e.type === "rate-alert") });
      } catch (e) {
        return Response.json({ error: e.message, reason: e.reason }, { status: e.status ?? 500 });
      }
    }
    if (url.pathname === "/default-transport") {
      const c = new mod.ConversationClient({ sdkAppId: APP, identifier: "admin", secretKey: KEY, baseUrl: url.searchParams.get("base") });
      try {
        return Response.json({ ok: true, result: await c.deleteConversationGroup({ fromAccount: "u", groupName: "g" }) });
      } catch (e) {
        return Response.json({ ok: false, name: e.name, message: e.message });
      }
    }
    return new Response("not found", { status: 404 });
  },
};
