// A CommonJS consumer under module node16/nodenext: `require` resolves to
// node.cjs and its types to index.d.cts (no TS1479, no "masquerading").
import tim = require("tim-recentcontact");
import emu = require("tim-recentcontact/emulator");
import lim = require("tim-recentcontact/limiter");
import otel = require("tim-recentcontact/otel");
import callbacks = require("tim-recentcontact/callbacks");

const client = new tim.ConversationClient({ sdkAppId: 1400000000, identifier: "admin", secretKey: "k" });
export async function run(): Promise<void> {
  try {
    await client.deleteConversation({ fromAccount: "u", conversation: { type: "c2c", toAccount: "v" } });
  } catch (e) {
    if (e instanceof tim.TimApiError) void e.code;
  }
  const emulator = emu.createEmulator();
  const listener = await emulator.listen({ stopAfterMs: 1000 });
  void listener.url;
  const shared = new lim.RedisRateLimiter(async () => 0, { sdkAppId: 1400000000 });
  void new tim.ConversationClient({ sdkAppId: 1400000000, identifier: "admin", secretKey: "k", rateLimiter: shared, userAgent: "a/1" });
  void otel.tracedFetch;
  const cb = await callbacks.verifyCallback({ url: "/cb", body: "{}" }, { token: "t", sdkAppId: 1400000000 });
  if (callbacks.isRateAlert(cb.payload)) void client.observeRateAlert(cb.payload);
  const limits: number = emu.EMULATOR_LIMITS.deletedLog;
  void limits;
}
