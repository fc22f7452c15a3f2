// `using` and `await using` type-check with the project's lib as it is
// (ES2022 + DOM here, no esnext.disposable): the declarations bring it.
import { ConversationClient } from "tim-recentcontact";

const options = { sdkAppId: 1400000000, identifier: "admin", secretKey: "k" } as const;

export async function scoped(): Promise<void> {
  using client = new ConversationClient(options);
  await using later = new ConversationClient(options);
  await client.deleteConversationGroup({ fromAccount: "u", groupName: "g" });
  await later.deleteConversationGroup({ fromAccount: "u", groupName: "g" });
  const freed: Promise<void> = later[Symbol.asyncDispose]();
  await freed;
}
