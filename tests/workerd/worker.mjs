// The test worker: runs the conformance suite inside workerd, and calls a
// loopback server through the default transport when asked.
import * as mod from "./pkg/workerd.js";
import { runAll, APP, KEY } from "./suite.mjs";
import { runE2e } from "./e2e.mjs";

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === "/suite") return Response.json(await runAll(mod));
    if (url.pathname === "/e2e") return Response.json(await runE2e(mod, JSON.parse(url.searchParams.get("targets"))));
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
