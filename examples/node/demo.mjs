// The README's main command (npm run demo): the whole life of a conversation
// group, printed step by step. Against the local emulator by default; against
// the real service when TIM_SDKAPPID, TIM_IDENTIFIER, TIM_SECRET_KEY (and
// optionally TIM_REGION, TIM_DEMO_USER) are set.
import { ConversationClient, TimApiError, TimValidationError } from "tim-recentcontact";
import { createEmulator } from "tim-recentcontact/emulator";

const env = process.env;
const real = Boolean(env.TIM_SDKAPPID && env.TIM_IDENTIFIER && env.TIM_SECRET_KEY);
let emulator;
let server;
let options;
if (real) {
  options = {
    sdkAppId: Number(env.TIM_SDKAPPID),
    identifier: env.TIM_IDENTIFIER,
    secretKey: env.TIM_SECRET_KEY,
    ...(env.TIM_REGION ? { region: env.TIM_REGION } : {}),
  };
  console.log(`Using the real service (${env.TIM_REGION ?? "china"}), app ${options.sdkAppId}.`);
} else {
  emulator = createEmulator({ dismissedGroups: ["@TGS#dismissed"], listPageSize: 2 });
  server = await emulator.listen({ stopAfterMs: 60_000 });
  options = { ...emulator.credentials, baseUrl: server.url };
  console.log(`Using the local emulator at ${server.url} (set TIM_SDKAPPID, TIM_IDENTIFIER, TIM_SECRET_KEY for the real service).`);
}

const user = env.TIM_DEMO_USER ?? "demo_user";
const client = new ConversationClient(options);
const c2c = (toAccount) => ({ type: "c2c", toAccount });
const group = (toGroupId) => ({ type: "group", toGroupId });
const show = (c) => (c.type === "c2c" ? `user ${c.toAccount}` : `group ${c.toGroupId}`);
let n = 0;
const step = (title) => console.log(`\n${++n}. ${title}`);
const results = (rs) => {
  for (const r of rs) {
    const what = r.action ? `${r.action} ${show(r.conversation)}` : show(r.conversation);
    console.log(`   ${r.ok ? "ok  " : "FAIL"} ${what}${r.ok ? "" : ` — ResultCode ${r.resultCode}: ${r.resultInfo}`}`);
  }
};
const groups = () => {
  if (!emulator) return;
  for (const g of emulator.state(user).groups) {
    console.log(`   [emulator] group #${g.groupId} "${g.groupName}": ${g.conversations.map(show).join(", ") || "(empty)"}`);
  }
};

try {
  if (emulator) {
    const now = Math.floor(Date.now() / 1000);
    emulator.addConversations(user, [c2c("alice")], { msgTime: now - 60, pinned: true });
    emulator.addConversations(user, [c2c("bob"), c2c("carol")], { msgTime: now - 120 });
    emulator.addConversations(user, [group("@TGS#team")], { msgTime: now - 30 });
  }

  step(`Create the group "friends" for ${user} with alice, bob and @TGS#team`);
  const created = await client.createConversationGroup({ fromAccount: user, groupName: "friends", conversations: [c2c("alice"), c2c("bob"), group("@TGS#team")] });
  console.log(`   created group #${created.groupId} "${created.groupName}"`);
  results(created.results);
  groups();

  step("Add carol and a dismissed group, remove bob (one item fails, the call does not)");
  const updated = await client.updateConversationGroup({ fromAccount: user, groupName: "friends", add: [c2c("carol"), group("@TGS#dismissed")], remove: [c2c("bob")] });
  results(updated.results);
  groups();

  step("Mark conversations: star alice (bit 0), a bit of our own on carol (bit 40), a custom mark on bob");
  const marked = await client.markConversations({
    fromAccount: user,
    items: [
      { conversation: c2c("alice"), set: [0] },
      { conversation: c2c("carol"), set: [40] },
      { conversation: c2c("bob"), customMark: "follow up" },
    ],
  });
  results(marked.results);

  step("Read back the groups and marks (getConversationGroups follows every page)");
  const all = await client.getConversationGroups({ fromAccount: user });
  for (const g of all.groups) console.log(`   group #${g.groupId} "${g.groupName}"`);
  for (const m of all.conversations) {
    const marks = m.standardMarks.length ? ` marks [${m.standardMarks.join(", ")}]` : "";
    const custom = m.customMark !== undefined ? ` custom "${m.customMark}"` : "";
    const inGroups = m.groupIds.length ? ` in groups [${m.groupIds.join(", ")}]` : "";
    console.log(`   ${show(m.conversation)}:${marks}${custom}${inGroups}`);
  }

  step("List the conversations (listConversations iterates over every page)");
  for await (const item of client.listConversations({ fromAccount: user })) {
    const extra = [item.pinned ? "pinned" : "", item.standardMarks?.length ? `marks [${item.standardMarks.join(", ")}]` : "", item.groupIds?.length ? `groups [${item.groupIds.join(", ")}]` : ""].filter(Boolean).join(", ");
    console.log(`   ${show(item.conversation)}${extra ? ` (${extra})` : ""}`);
  }

  step('Rename "friends" to "close friends"');
  const renamed = await client.renameConversationGroup({ fromAccount: user, groupName: "friends", newGroupName: "close friends" });
  console.log(`   group #${renamed.groupId}: "${renamed.oldGroupName}" → "${renamed.groupName}"`);
  groups();

  step("A name of 11 Chinese characters (33 UTF-8 bytes) is refused before anything is sent");
  try {
    await client.renameConversationGroup({ fromAccount: user, groupName: "close friends", newGroupName: "我的最亲密的朋友们和家" });
  } catch (e) {
    if (!(e instanceof TimValidationError)) throw e;
    console.log(`   ${e.name}: field "${e.field}" ${e.reason}`);
  }

  step('Delete the group "close friends"');
  const deleted = await client.deleteConversationGroup({ fromAccount: user, groupName: "close friends" });
  console.log(`   deleted group #${deleted.groupId} "${deleted.groupName}"`);
  groups();

  step("Deleting it again: the service answers 51009");
  try {
    await client.deleteConversationGroup({ fromAccount: user, groupName: "close friends" });
  } catch (e) {
    if (!(e instanceof TimApiError)) throw e;
    console.log(`   ${e.name}: code ${e.code} (${e.info}), retryable: ${e.retryable}`);
  }

  step("Delete the conversation with alice, and its roaming messages");
  await client.deleteConversation({ fromAccount: user, conversation: c2c("alice"), clearRoamingMessages: true });
  if (emulator) console.log(`   [emulator] conversations left: ${emulator.state(user).conversations.map((c) => show(c.conversation)).join(", ")}`);
  step("A bulk job: clear 400 conversations at the service's rate, with progress");
  const jobs = Array.from({ length: 400 }, (_, i) => ({ method: "deleteConversation", params: { fromAccount: user, conversation: c2c(`old_peer_${i}`) } }));
  const report = await client.bulk(jobs, {
    progressIntervalMs: 500,
    onProgress: (p) =>
      console.log(`   progress: ${p.done}/${p.total} done, ${p.failed} failed, ${p.callsPerSecond.toFixed(0)} calls/s${p.etaMs ? `, ETA ${(p.etaMs / 1000).toFixed(1)} s` : ""}`),
  });
  console.log(`   bulk: ${report.succeeded} ok, ${report.failed} failed, ${report.aborted} aborted in ${report.durationMs} ms (${report.calls} calls)`);
  console.log("\nDone.");
} finally {
  await server?.close();
}
