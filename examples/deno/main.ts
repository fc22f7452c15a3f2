// A Deno script: creates a conversation group, adds to it, deletes it.
//   deno run --allow-net --allow-env examples/deno/main.ts
// Without TIM_SDKAPPID / TIM_IDENTIFIER / TIM_SECRET_KEY it runs against the
// emulator in-process (the client's fetch is the emulator's handler).
import { ConversationClient, type ClientOptions } from "tim-recentcontact";
import { createEmulator } from "tim-recentcontact/emulator";

const env = (k: string) => Deno.env.get(k);
let options: ClientOptions;
if (env("TIM_SDKAPPID") && env("TIM_IDENTIFIER") && env("TIM_SECRET_KEY")) {
  options = {
    sdkAppId: Number(env("TIM_SDKAPPID")),
    identifier: env("TIM_IDENTIFIER")!,
    secretKey: env("TIM_SECRET_KEY")!,
    region: (env("TIM_REGION") ?? "china") as ClientOptions["region"],
  };
} else {
  const emulator = createEmulator();
  options = { ...emulator.credentials, fetch: emulator.fetch };
  console.log("(local emulator, in-process)");
}

const client = new ConversationClient(options);
const user = env("TIM_DEMO_USER") ?? "deno_user";
const created = await client.createConversationGroup({
  fromAccount: user,
  groupName: "deno",
  conversations: [{ type: "c2c", toAccount: "alice" }],
});
console.log(`created group #${created.groupId} "${created.groupName}"`);
const updated = await client.updateConversationGroup({ fromAccount: user, groupName: "deno", add: [{ type: "c2c", toAccount: "bob" }] });
console.log(`added: ${updated.results.filter((r) => r.ok).length} of ${updated.results.length}`);
const deleted = await client.deleteConversationGroup({ fromAccount: user, groupName: "deno" });
console.log(`deleted group #${deleted.groupId}`);
