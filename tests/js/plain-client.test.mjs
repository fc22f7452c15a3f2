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
    // The reads and marks, over a list, groups and marks built above and here.
    ["createConversationGroup", { fromAccount: "a", groupName: "k", conversations: many.slice(0, 30) }],
    ["markConversations", { fromAccount: "a", items: [{ conversation: c2c("u1"), set: [1, 63], customMark: "é\"x" }, { conversation: c2c("u2"), clear: [5] }, { conversation: group("@g9"), customMark: "" }] }],
    ["markConversations", { fromAccount: "a", items: [{ conversation: c2c("u1"), set: [64] }] }],
    ["markConversations", { fromAccount: "a", items: [] }],
    ["listConversationsPage", { fromAccount: "a" }],
    ["listConversationsPage", { fromAccount: "a", includePinned: false, includeEmpty: false }],
    ["listConversationsPage", { fromAccount: "a", cursor: "l1.0.20.0.0" }],
    ["listConversationsPage", { fromAccount: "a", cursor: "l1.0.x.0.0" }],
    ["listConversationsPage", { fromAccount: "nobody" }],
    ["getConversationGroupsPage", { fromAccount: "a" }],
    ["getConversationGroupsPage", { fromAccount: "a", cursor: "g1.10" }],
    ["getConversationGroupsPage", { fromAccount: "a", cursor: "g1.01" }],
    ["getConversationGroups", { fromAccount: "a" }],
    ["getConversationGroups", { fromAccount: "" }],
    ["searchConversationGroups", { fromAccount: "a", conversations: [c2c("u1"), c2c("u2"), group("@g9"), c2c("none")] }],
    ["searchConversationGroups", { fromAccount: "a", conversations: [] }],
  ];
  for (const e of [ea, eb]) {
    e.addConversations("a", many.slice(0, 50), { msgTime: 1_700_000_000 });
    e.addConversations("a", [c2c("p1")], { msgTime: 1_700_000_100, pinned: true });
    e.addConversations("a", [group("@g9")], { msgTime: 0 });
  }
  const got = {};
  for (const [method, params] of calls) {
    const a = await outcome(ours[method](params));
    const b = await outcome(plain[method](params));
    assert.deepEqual(b, a, `${method} ${JSON.stringify(params).slice(0, 80)}`);
    got[method] ??= a;
  }
  // What was compared holds data: marks, groups, pins, cursors.
  const page = got.listConversationsPage.ok;
  assert.ok(page.conversations.length >= 20, "a full list page");
  assert.ok(page.conversations.some((c) => c.pinned) && page.conversations.some((c) => c.customMark === 'é"x'));
  assert.ok(page.conversations.some((c) => c.groupIds?.length) && page.conversations.some((c) => c.standardMarks?.includes(63)));
  assert.ok(got.getConversationGroups.ok.groups.length >= 1 && got.searchConversationGroups.ok.conversations.length >= 2);
  assert.deepEqual(rb.seen, ra.seen, "the same requests");
  assert.ok(ra.seen.length >= 18, `${ra.seen.length} requests`);
  for (const r of ra.seen) assert.ok(r.sig && r.random, JSON.stringify(r));
  const commands = new Set(ra.seen.map((r) => r.path.split("/").pop()));
  for (const c of ["get_list", "get_contact_group", "search_contact_group", "mark_contact", "create_contact_group", "update_contact_group", "del_contact_group", "delete"]) {
    assert.ok(commands.has(c), `${c} was compared`);
  }
});
