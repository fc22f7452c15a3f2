// The app the bundler tests bundle: the package and its emulator, in-process.
import { ConversationClient, genUserSig, verifyUserSig, TimValidationError } from "tim-recentcontact";
import { createEmulator } from "tim-recentcontact/emulator";

export async function main() {
  const emulator = createEmulator();
  const client = new ConversationClient({ ...emulator.credentials, fetch: emulator.fetch });
  const { groupId } = await client.createConversationGroup({
    fromAccount: "alice",
    groupName: "friends",
    conversations: [{ type: "c2c", toAccount: "bob" }],
  });
  const sig = genUserSig({ ...emulator.credentials, expireSeconds: 60 });
  const info = verifyUserSig({ sdkAppId: emulator.credentials.sdkAppId, secretKey: emulator.credentials.secretKey, userSig: sig });
  let refused = false;
  try {
    new ConversationClient({ ...emulator.credentials, sdkAppId: "x" });
  } catch (e) {
    refused = e instanceof TimValidationError;
  }
  return `ok ${groupId} ${info.identifier} ${refused}`;
}
