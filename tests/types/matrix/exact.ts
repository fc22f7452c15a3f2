// exactOptionalPropertyTypes: the README's own calls type-check.
import { ConversationClient, TimApiError, type Conversation } from "tim-recentcontact";

const client = new ConversationClient({
  sdkAppId: Number("1400000000"),
  identifier: "administrator",
  secretKey: "key",
  region: "singapore",
});
const peer: Conversation = { type: "c2c", toAccount: "bob" };

export async function readme(): Promise<void> {
  await client.deleteConversation({ fromAccount: "alice", conversation: peer, clearRoamingMessages: true });
  const { groupId } = await client.createConversationGroup({ fromAccount: "alice", groupName: "friends", conversations: [peer] });
  void groupId;
  await client.updateConversationGroup({ fromAccount: "alice", groupName: "friends", add: [{ type: "group", toGroupId: "@TGS#1" }] });
  for await (const c of client.listConversations({ fromAccount: "alice" })) void c.conversation;
  const page = await client.listConversationsPage({ fromAccount: "alice" });
  if (page.nextCursor !== undefined) await client.listConversationsPage({ fromAccount: "alice", cursor: page.nextCursor });
  await client.markConversations({ fromAccount: "alice", items: [{ conversation: peer, set: [0] }] });
  try {
    await client.deleteConversationGroup({ fromAccount: "alice", groupName: "friends" });
  } catch (e) {
    if (e instanceof TimApiError && e.code === 51009) return;
    throw e;
  }
}
