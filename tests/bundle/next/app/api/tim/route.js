// A Next.js route on the edge runtime: the package (its `edge-light`
// entry) and its emulator, in-process, in Next's edge sandbox.
import { ConversationClient, TimValidationError } from "tim-recentcontact";
import { createEmulator } from "tim-recentcontact/emulator";

export const runtime = "edge";

export async function GET() {
  const emulator = createEmulator();
  const client = new ConversationClient({ ...emulator.credentials, fetch: emulator.fetch });
  const { groupId } = await client.createConversationGroup({ fromAccount: "alice", groupName: "friends", conversations: [{ type: "c2c", toAccount: "bob" }] });
  let refused = false;
  try {
    new ConversationClient({ ...emulator.credentials, sdkAppId: "x" });
  } catch (e) {
    refused = e instanceof TimValidationError;
  }
  return new Response(`ok ${groupId} ${refused} ${typeof EdgeRuntime}`);
}
