// A Cloudflare Worker that manages conversation groups for its callers.
//   POST /groups          {"fromAccount","groupName","conversations"}  → created group
//   DELETE /groups        {"fromAccount","groupName"}                  → deleted group
//   GET /demo?user=u      create, fill and delete a group; returns each step
// Configuration (wrangler.toml vars / secrets): TIM_SDKAPPID, TIM_IDENTIFIER,
// TIM_SECRET_KEY, and TIM_REGION or TIM_BASE_URL.
import { ConversationClient, TimError } from "tim-recentcontact";

let client;
function getClient(env) {
  client ??= new ConversationClient({
    sdkAppId: Number(env.TIM_SDKAPPID),
    identifier: env.TIM_IDENTIFIER,
    secretKey: env.TIM_SECRET_KEY,
    ...(env.TIM_BASE_URL ? { baseUrl: env.TIM_BASE_URL } : { region: env.TIM_REGION || "china" }),
  });
  return client;
}

/** A TimError (or a body that is not JSON) as the HTTP answer a caller can act on. */
function errorResponse(e) {
  if (e instanceof SyntaxError) return Response.json({ error: "the request body is not JSON" }, { status: 400 });
  if (!(e instanceof TimError)) throw e;
  const body = { error: e.name, kind: e.kind, message: e.message, code: e.code, field: e.field, requestId: e.requestId };
  switch (e.kind) {
    case "validation":
      return Response.json(body, { status: 400 });
    case "api":
      if (e.code === 51009) return Response.json(body, { status: 404 }); // no such group
      if (e.retryable) return Response.json(body, { status: 503, headers: { "retry-after": "1" } }); // throttled or a passing fault
      return Response.json(body, { status: 409 }); // refused as the request stands (e.g. 50002: the name exists)
    case "auth":
      // The worker's own credentials are wrong: not the caller's business.
      return Response.json({ error: "server misconfigured", requestId: e.requestId }, { status: 500 });
    case "timeout":
      return Response.json(body, { status: 504 });
    default: // network, http, decode, abort
      return Response.json(body, { status: 502 });
  }
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    try {
      const c = getClient(env);
      if (url.pathname === "/groups" && request.method === "POST") {
        return Response.json(await c.createConversationGroup(await request.json()));
      }
      if (url.pathname === "/groups" && request.method === "DELETE") {
        return Response.json(await c.deleteConversationGroup(await request.json()));
      }
      if (url.pathname === "/demo") {
        const fromAccount = url.searchParams.get("user") || "worker_user";
        const created = await c.createConversationGroup({ fromAccount, groupName: "from-worker", conversations: [{ type: "c2c", toAccount: "alice" }] });
        const updated = await c.updateConversationGroup({ fromAccount, groupName: "from-worker", add: [{ type: "c2c", toAccount: "bob" }] });
        const deleted = await c.deleteConversationGroup({ fromAccount, groupName: "from-worker" });
        return Response.json({ created, updated, deleted });
      }
      return new Response("not found", { status: 404 });
    } catch (e) {
      return errorResponse(e);
    }
  },
};
