// moduleResolution node10 (TypeScript's old "node"): no exports map, so the
// package's typesVersions gives each subpath its Node types.
import { ConversationClient, TimApiError } from "tim-recentcontact";
import { createEmulator, EMULATOR_LIMITS } from "tim-recentcontact/emulator";
import { RedisRateLimiter } from "tim-recentcontact/limiter";
import { tracedFetch } from "tim-recentcontact/otel";
import { verifyCallback, isRateAlert } from "tim-recentcontact/callbacks";

export async function run(): Promise<string> {
  const listener = await createEmulator().listen({ stopAfterMs: 1000 });
  const client = new ConversationClient({
    sdkAppId: 1400000000,
    identifier: "admin",
    secretKey: "k",
    baseUrl: listener.url,
    fetch: tracedFetch({ startSpan: () => ({ setAttribute() {}, setStatus() {}, recordException() {}, end() {} }) }),
    rateLimiter: new RedisRateLimiter(async () => 0, { sdkAppId: 1400000000 }),
  });
  try {
    await client.deleteConversation({ fromAccount: "u", conversation: { type: "c2c", toAccount: "v" } });
  } catch (e) {
    if (e instanceof TimApiError) void e.code;
  }
  await listener.close();
  const cb = await verifyCallback({ url: "/cb", body: "{}" }, { token: "t", sdkAppId: 1400000000 });
  if (isRateAlert(cb.payload)) void client.observeRateAlert(cb.payload);
  return listener.url + EMULATOR_LIMITS.deletedLog;
}
