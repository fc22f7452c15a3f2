// The bench's plain-JavaScript client (bench/plain-client.mjs) against the
// package: the same request (path, query but usersig and random, body) and
// the same result or error for every method it covers, against the emulator
// answering both. So the per-call CPU comparison stays honest.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as mod from "tim-recentcontact";
import { createEmulator } from "tim-recentcontact/emulator";
import { PlainClient } from "../../bench/plain-client.mjs";

const c2c = (a) => ({ type: "c2c", toAccount: a });
const group = (g) => ({ type: "group", toGroupId: g });

function recorded(emulator) {
  const seen = [];
  const fetch = async (url, init) => {
    const u = new URL(url);
    const query = Object.fromEntries([...u.searchParams].filter(([k]) => k !== "usersig" && k !== "random"));
    seen.push({ path: u.pathname, query, body: JSON.parse(init.body), sig: u.searchParams.get("usersig").length > 20, random: /^\d+$/.test(u.searchParams.get("random")) });
    return emulator.fetch(url, init);
  };
  return { seen, fetch };
}

async function outcome(p) {
  try {
    return { ok: await p };
  } catch (e) {
    return { error: [e.name, e.kind, e.field ?? e.code] };
  }
}

test("the plain client sends and returns what the package does", async () => {
  const [ea, eb] = [createEmulator({ dismissedGroups: ["@gone"] }), createEmulator({ dismissedGroups: ["@gone"] })];
  const ra = recorded(ea);
  const rb = recorded(eb);
  const base = { ...ea.credentials, baseUrl: "http://127.0.0.1:9" };
  const ours = new mod.ConversationClient({ ...base, fetch: ra.fetch });
  const plain = new PlainClient({ ...base, fetch: rb.fetch });
  const many = Array.from({ length: 100 }, (_, i) => c2c(`u${i}`));
  const calls = [
    ["createConversationGroup", { fromAccount: "a", groupName: "g", conversations: [c2c("b"), group("@g1"), group("@gone")] }],
    ["createConversationGroup", { fromAccount: "a", groupName: "g", conversations: [] }], // 50002: exists
    ["updateConversationGroup", { fromAccount: "a", groupName: "g", add: many.slice(0, 60), remove: [c2c("b")] }],
    ["renameConversationGroup", { fromAccount: "a", groupName: "g", newGroupName: "h" }],
    ["deleteConversation", { fromAccount: "a", conversation: c2c("b"), clearRoamingMessages: true }],
    ["deleteConversation", { fromAccount: "a", conversation: group("@g1") }],
    ["deleteConversationGroup", { fromAccount: "a", groupName: "h" }],
    ["deleteConversationGroup", { fromAccount: "a", groupName: "h" }], // 51009
    ["createConversationGroup", { fromAccount: "a", groupName: "x".repeat(33), conversations: [] }],
    ["createConversationGroup", { fromAccount: "a", groupName: "g", conversations: [{ type: "c2c" }] }],
    ["deleteConversation", { fromAccount: "", conversation: c2c("b") }],
    ["deleteConversation", { fromAccount: "a", conversation: c2c("b"), extra: 1 }],
    ["updateConversationGroup", { fromAccount: "a", groupName: "g" }],
  ];
  for (const [method, params] of calls) {
    const a = await outcome(ours[method](params));
    const b = await outcome(plain[method](params));
    assert.deepEqual(b, a, `${method} ${JSON.stringify(params).slice(0, 80)}`);
  }
  assert.deepEqual(rb.seen, ra.seen, "the same requests");
  assert.ok(ra.seen.length >= 8 && ra.seen.every((r) => r.sig && r.random));
});
