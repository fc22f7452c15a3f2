// A script bundle (IIFE): no top-level await, so the manual entry.
import { init, ConversationClient, TimValidationError } from "tim-recentcontact/manual";
(async () => {
  let early = false;
  try {
    new ConversationClient({ sdkAppId: 1, identifier: "a", secretKey: "k" });
  } catch (e) {
    early = e instanceof TimValidationError && e.field === "init";
  }
  await init(globalThis.TIM_WASM);
  const client = new ConversationClient({
    sdkAppId: 1400000000,
    identifier: "admin",
    secretKey: "k",
    fetch: async () => Response.json({ ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "", GroupItem: [{ GroupName: "g", GroupId: 7 }] }),
  });
  const r = await client.deleteConversationGroup({ fromAccount: "u", groupName: "g" });
  console.log(`ok ${r.groupId} ${early}`);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
