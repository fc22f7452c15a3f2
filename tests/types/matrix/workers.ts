// A Worker typed with @cloudflare/workers-types (no DOM lib): docs/fleet.md's
// Durable Object snippet with the namespace binding typed as Cloudflare
// types it, the object class exported, the client kept between requests.
import { ConversationClient } from "tim-recentcontact";
import { DurableObjectRateLimiter } from "tim-recentcontact/limiter";
export { RateLimiterDurableObject } from "tim-recentcontact/limiter";

interface Env {
  TIM_SDKAPPID: string;
  TIM_IDENTIFIER: string;
  TIM_SECRET_KEY: string;
  TIM_RATE_LIMITER: DurableObjectNamespace;
}

let client: ConversationClient | undefined;
export default {
  async fetch(request, env): Promise<Response> {
    const sdkAppId = Number(env.TIM_SDKAPPID);
    client ??= new ConversationClient({
      sdkAppId,
      identifier: env.TIM_IDENTIFIER,
      secretKey: env.TIM_SECRET_KEY,
      rateLimiter: new DurableObjectRateLimiter(env.TIM_RATE_LIMITER, { sdkAppId }),
    });
    const { fromAccount, groupName } = await request.json<{ fromAccount: string; groupName: string }>();
    return Response.json(await client.deleteConversationGroup({ fromAccount, groupName }));
  },
} satisfies ExportedHandler<Env>;
