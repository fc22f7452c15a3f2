// End-to-end scenarios: the client against the emulator over real HTTP on
// 127.0.0.1, run unchanged in Node, Deno and workerd (inside a worker).
// `targets` holds the base URLs of four emulators started by the harness:
//   main      dismissedGroups ["@TGS#dismissed"], pages of 2 (list and groups)
//   users     users ["alice", "bob"]
//   standard  groupsEnabled false
//   slow      ratePerSecond 2
// All use the emulator's DEFAULT_CREDENTIALS.

import { assert, assertEqual, rejects } from "./suite.mjs";

export const EMULATORS = {
  main: { dismissedGroups: ["@TGS#dismissed"], listPageSize: 2, groupPageSize: 2 },
  users: { users: ["alice", "bob"] },
  standard: { groupsEnabled: false },
  slow: { ratePerSecond: 2 },
};

const c2c = (toAccount) => ({ type: "c2c", toAccount });
const group = (toGroupId) => ({ type: "group", toGroupId });
let seq = 0;
/** A fresh user per scenario, so scenarios do not see each other's state. */
const freshUser = (name) => `${name}-${Date.now().toString(36)}-${seq++}`;

async function state(base, user) {
  const r = await fetch(`${base}/__emulator/state?user=${encodeURIComponent(user)}`);
  return r.json();
}

async function seed(base, user, conversations, extra = {}) {
  const r = await fetch(`${base}/__emulator/conversations`, { method: "POST", body: JSON.stringify({ user, conversations, ...extra }) });
  assert(r.ok, "seeded");
}

function clientFor(mod, creds, base, extra = {}) {
  return new mod.ConversationClient({ ...creds, baseUrl: base, ...extra });
}

function expectError(mod, cls, kind, code, retryable) {
  return (e) => {
    assert(e instanceof mod[cls] && e instanceof mod.TimError, `expected ${cls}, got ${e && e.name}: ${e && e.message}`);
    assertEqual([e.kind, e.code, e.retryable], [kind, code, retryable], `${cls} fields`);
  };
}

export const e2eCases = [
  ["the whole lifecycle of a conversation group", async (mod, t) => {
    const c = clientFor(mod, t.creds, t.main);
    const user = freshUser("life");
    const created = await c.createConversationGroup({
      fromAccount: user, groupName: "friends", conversations: [c2c("alice"), c2c("bob"), group("@TGS#team"), group("@TGS#dismissed")],
    });
    assertEqual(created.groupName, "friends", "name");
    assert(Number.isInteger(created.groupId) && created.groupId > 0, "numeric group id");
    assertEqual(created.results.map((r) => [r.ok, r.resultCode]), [[true, 0], [true, 0], [true, 0], [false, 51007]], "per-item results");
    const second = await c.createConversationGroup({ fromAccount: user, groupName: "work", conversations: [] });
    assert(second.groupId !== created.groupId, "distinct ids");

    const updated = await c.updateConversationGroup({ fromAccount: user, groupName: "friends", add: [c2c("carol")], remove: [c2c("bob")] });
    assertEqual(updated.groupId, created.groupId, "same id after update");
    assertEqual(updated.results.map((r) => [r.action, r.ok]), [["add", true], ["remove", true]], "update results");

    const renamed = await c.renameConversationGroup({ fromAccount: user, groupName: "friends", newGroupName: "close friends" });
    assertEqual(renamed, { groupName: "close friends", oldGroupName: "friends", groupId: created.groupId }, "renamed");

    let s = await state(t.main, user);
    assertEqual(s.groups, [
      { groupName: "close friends", groupId: created.groupId, conversations: [c2c("alice"), group("@TGS#team"), c2c("carol")] },
      { groupName: "work", groupId: second.groupId, conversations: [] },
    ], "state after changes");

    const deleted = await c.deleteConversationGroup({ fromAccount: user, groupName: "close friends" });
    assertEqual(deleted, { groupName: "close friends", groupId: created.groupId }, "deleted");
    await rejects(() => c.deleteConversationGroup({ fromAccount: user, groupName: "close friends" }), expectError(mod, "TimApiError", "api", 51009, false), "51009");
    await rejects(() => c.renameConversationGroup({ fromAccount: user, groupName: "nope", newGroupName: "x" }), expectError(mod, "TimApiError", "api", 51009, false), "rename missing");

    await seed(t.main, user, [c2c("alice"), group("@TGS#team")]);
    await c.deleteConversation({ fromAccount: user, conversation: c2c("alice"), clearRoamingMessages: true });
    await c.deleteConversation({ fromAccount: user, conversation: group("@TGS#team") });
    await c.deleteConversation({ fromAccount: user, conversation: group("@TGS#team") }); // idempotent
    s = await state(t.main, user);
    assertEqual(s.conversations, [], "conversations deleted");
    assertEqual(s.deleted.map((d) => d.clearRoamingMessages), [true, false, false], "ClearRamble recorded");
  }],
  ["group limits: 20 groups (51010), 1000 conversations (51008), duplicate name (50002)", async (mod, t) => {
    const c = clientFor(mod, t.creds, t.main);
    const user = freshUser("limits");
    for (let i = 0; i < 20; i++) await c.createConversationGroup({ fromAccount: user, groupName: `g${i}`, conversations: [] });
    await rejects(() => c.createConversationGroup({ fromAccount: user, groupName: "g20", conversations: [] }), expectError(mod, "TimApiError", "api", 51010, false), "51010");
    await rejects(() => c.createConversationGroup({ fromAccount: user, groupName: "g0", conversations: [] }), expectError(mod, "TimApiError", "api", 50002, false), "duplicate name");
    const big = freshUser("big");
    const many = (p, n) => Array.from({ length: n }, (_, i) => c2c(`${p}${i}`));
    await c.createConversationGroup({ fromAccount: big, groupName: "a", conversations: many("a", 600) });
    await rejects(() => c.createConversationGroup({ fromAccount: big, groupName: "b", conversations: many("b", 401) }), expectError(mod, "TimApiError", "api", 51008, false), "51008 create");
    await c.createConversationGroup({ fromAccount: big, groupName: "b", conversations: many("b", 400) });
    await rejects(() => c.updateConversationGroup({ fromAccount: big, groupName: "b", add: many("c", 1) }), expectError(mod, "TimApiError", "api", 51008, false), "51008 update");
    const s = await state(t.main, big);
    assertEqual(s.groups.map((g) => g.conversations.length), [600, 400], "a refused request changes nothing");
  }],
  ["edition, users and admin rights: 51013, 50001, 50003", async (mod, t) => {
    const std = clientFor(mod, t.creds, t.standard);
    await rejects(() => std.createConversationGroup({ fromAccount: "u", groupName: "g", conversations: [] }), expectError(mod, "TimApiError", "api", 51013, false), "51013");
    await std.deleteConversation({ fromAccount: "u", conversation: c2c("x") }); // not a group command
    const users = clientFor(mod, t.creds, t.users);
    await users.createConversationGroup({ fromAccount: "alice", groupName: "g", conversations: [c2c("bob")] });
    await rejects(() => users.deleteConversation({ fromAccount: "mallory", conversation: c2c("bob") }), expectError(mod, "TimApiError", "api", 50001, false), "50001");
    const notAdmin = clientFor(mod, { ...t.creds, identifier: "alice" }, t.main);
    await rejects(() => notAdmin.deleteConversation({ fromAccount: "u", conversation: c2c("x") }), expectError(mod, "TimAuthError", "auth", 50003, false), "50003");
  }],
  ["signature problems: 70001, 70003, 70009, 70013, 70014, 70020", async (mod, t) => {
    const { sdkAppId, identifier, secretKey } = t.creds;
    const call = (extra) => clientFor(mod, t.creds, t.main, { maxRetries: 0, ...extra }).deleteConversation({ fromAccount: "u", conversation: c2c("x") });
    const sig = (p) => mod.genUserSig({ sdkAppId, secretKey, identifier, expireSeconds: 3600, ...p });
    const given = (userSig) => ({ secretKey: undefined, userSig });
    const now = Math.floor(Date.now() / 1000);
    await rejects(() => call(given(sig({ nowSeconds: now - 7200 }))), expectError(mod, "TimAuthError", "auth", 70001, false), "expired");
    await rejects(() => call(given("not-a-signature")), expectError(mod, "TimAuthError", "auth", 70003, false), "malformed");
    await rejects(() => call({ secretKey: "another-key" }), expectError(mod, "TimAuthError", "auth", 70009, false), "wrong key");
    await rejects(() => call(given(sig({ identifier: "someone-else" }))), expectError(mod, "TimAuthError", "auth", 70013, false), "wrong identifier");
    await rejects(() => call(given(sig({ sdkAppId: sdkAppId + 1 }))), expectError(mod, "TimAuthError", "auth", 70014, false), "wrong app in sig");
    await rejects(() => call({ sdkAppId: sdkAppId + 1 }), expectError(mod, "TimAuthError", "auth", 70020, false), "unknown app");
    await call(given(sig({})));
  }],
  ["the emulator's rate limit answers 60007, reported retryable", async (mod, t) => {
    const c = clientFor(mod, t.creds, t.slow, { maxRetries: 0 });
    const user = freshUser("rate");
    const p = { fromAccount: user, conversation: c2c("x") };
    await c.deleteConversation(p);
    await c.deleteConversation(p);
    await rejects(() => c.deleteConversation(p), expectError(mod, "TimApiError", "api", 60007, true), "60007");
    // With retries, the client backs off and gets through.
    const patient = clientFor(mod, t.creds, t.slow, { maxRetries: 3 });
    await patient.deleteConversation(p);
  }],
];

e2eCases.push(
  ["the conversation list, across pages, with groups and marks", async (mod, t) => {
    const c = clientFor(mod, t.creds, t.main);
    const user = freshUser("list");
    await seed(t.main, user, [c2c("old")], { msgTime: 100 });
    await seed(t.main, user, [c2c("newer"), group("@TGS#g")], { msgTime: 300 });
    await seed(t.main, user, [c2c("pinned")], { msgTime: 50, pinned: true });
    await seed(t.main, user, [c2c("empty")], { msgTime: 0 });
    const { groupId } = await c.createConversationGroup({ fromAccount: user, groupName: "g", conversations: [c2c("old"), group("@TGS#g")] });
    await c.markConversations({ fromAccount: user, items: [{ conversation: c2c("newer"), set: [0, 63], customMark: "vip" }] });

    const all = [];
    for await (const item of c.listConversations({ fromAccount: user })) all.push(item);
    assertEqual(all.map((i) => [i.conversation.toAccount ?? i.conversation.toGroupId, i.pinned]), [
      ["pinned", true], ["newer", false], ["@TGS#g", false], ["old", false], ["empty", false],
    ], "every conversation, pinned first, newest first, across 3 pages of 2");
    assertEqual(all[1], { conversation: c2c("newer"), msgTime: 300, pinned: false, standardMarks: [0, 63], customMark: "vip" }, "marks");
    assertEqual(all[3].groupIds, [groupId], "group ids");

    const first = await c.listConversationsPage({ fromAccount: user, includeEmpty: false });
    assertEqual(first.conversations.length, 2, "a page holds 2");
    const rest = [];
    for await (const item of c.listConversations({ fromAccount: user, includeEmpty: false, cursor: first.nextCursor })) rest.push(item);
    assertEqual(rest.map((i) => i.conversation.toAccount ?? i.conversation.toGroupId), ["@TGS#g", "old"], "resumed from a cursor, without the empty one");

    await c.deleteConversation({ fromAccount: user, conversation: c2c("old") });
    const after = [];
    for await (const item of c.listConversations({ fromAccount: user })) after.push(item.conversation);
    assert(!after.some((x) => x.toAccount === "old"), "a deleted conversation leaves the list");
  }],
  ["groups and marks read back: getConversationGroups, its pages, search, clearing bits", async (mod, t) => {
    const c = clientFor(mod, t.creds, t.main);
    const user = freshUser("marks");
    const a = await c.createConversationGroup({ fromAccount: user, groupName: "a", conversations: [c2c("p1"), c2c("p2")] });
    const b = await c.createConversationGroup({ fromAccount: user, groupName: "b", conversations: [c2c("p2"), group("@TGS#x")] });
    const marked = await c.markConversations({ fromAccount: user, items: [
      { conversation: c2c("p1"), set: [1, 33, 63] },
      { conversation: c2c("p9"), customMark: "note" },
      { conversation: group("@TGS#dismissed"), set: [2] },
    ] });
    assertEqual(marked.results.map((r) => r.resultCode), [0, 0, 51007], "per-item results");

    const all = await c.getConversationGroups({ fromAccount: user });
    assertEqual(all.groups, [{ groupName: "a", groupId: a.groupId }, { groupName: "b", groupId: b.groupId }], "groups");
    const byName = Object.fromEntries(all.conversations.map((x) => [x.conversation.toAccount ?? x.conversation.toGroupId, x]));
    assertEqual(Object.keys(byName).sort(), ["@TGS#x", "p1", "p2", "p9"], "every grouped or marked conversation, over 2 pages");
    assertEqual([byName.p1.standardMarks, byName.p1.groupIds], [[1, 33, 63], [a.groupId]], "p1");
    assertEqual([byName.p2.standardMarks, byName.p2.groupIds], [[], [a.groupId, b.groupId]], "p2");
    assertEqual([byName.p9.customMark, byName.p9.groupIds], ["note", []], "p9");

    let page = await c.getConversationGroupsPage({ fromAccount: user });
    const paged = [...page.conversations];
    while (page.nextCursor) {
      page = await c.getConversationGroupsPage({ fromAccount: user, cursor: page.nextCursor });
      paged.push(...page.conversations);
    }
    assertEqual(paged.length, 4, "page by page, the same");

    await c.markConversations({ fromAccount: user, items: [{ conversation: c2c("p1"), clear: [1, 63] }] });
    const found = await c.searchConversationGroups({ fromAccount: user, conversations: [c2c("p1"), c2c("nobody")] });
    assertEqual(found.conversations.map((x) => [x.conversation.toAccount, x.standardMarks]), [["p1", [33]]], "search sees the cleared bits");
    assertEqual(found.groups, [{ groupName: "a", groupId: a.groupId }], "and the groups it is in");
  }],
  ["mark limits and editions: 51013 for standard marks, 51008 past 1000 marked", async (mod, t) => {
    const std = clientFor(mod, t.creds, t.standard);
    await rejects(() => std.markConversations({ fromAccount: "u", items: [{ conversation: c2c("a"), set: [1] }] }), expectError(mod, "TimApiError", "api", 51013, false), "51013");
    const custom = await std.markConversations({ fromAccount: "u", items: [{ conversation: c2c("a"), customMark: "ok" }] });
    assertEqual(custom.results[0].ok, true, "custom marks need no edition");
    const c = clientFor(mod, t.creds, t.main);
    const user = freshUser("cap");
    for (let k = 0; k < 10; k++) {
      await c.markConversations({ fromAccount: user, items: Array.from({ length: 100 }, (_, i) => ({ conversation: c2c(`p${k}-${i}`), set: [0] })) });
    }
    await rejects(() => c.markConversations({ fromAccount: user, items: [{ conversation: c2c("one-more"), set: [0] }] }), expectError(mod, "TimApiError", "api", 51008, false), "51008");
    await c.markConversations({ fromAccount: user, items: [{ conversation: c2c("p0-0"), clear: [0] }] });
    await c.markConversations({ fromAccount: user, items: [{ conversation: c2c("one-more"), set: [0] }] });
  }],
);

/** Runs every scenario; returns `[{ name, ok, error? }]` (used inside workerd). */
export async function runE2e(mod, targets) {
  const out = [];
  for (const [name, fn] of e2eCases) {
    try {
      await fn(mod, targets);
      out.push({ name, ok: true });
    } catch (e) {
      out.push({ name, ok: false, error: String(e && e.stack ? e.stack : e) });
    }
  }
  return out;
}
