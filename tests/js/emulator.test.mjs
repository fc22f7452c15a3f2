// The emulator's rules, request by request, through its synchronous handler:
// every check the client never lets through (it validates first) is sent raw.
import { test } from "node:test";
import assert from "node:assert/strict";
import { genUserSig } from "tim-recentcontact";
import { createEmulator, DEFAULT_CREDENTIALS, EMULATOR_LIMITS } from "tim-recentcontact/emulator";

const { sdkAppId, identifier, secretKey } = DEFAULT_CREDENTIALS;
const sig = genUserSig({ sdkAppId, secretKey, identifier, expireSeconds: 3600 });

function url(command, query = {}) {
  const q = new URLSearchParams({ sdkappid: String(sdkAppId), identifier, usersig: sig, random: "12345", contenttype: "json", ...query });
  for (const [k, v] of Object.entries(query)) if (v === undefined) q.delete(k);
  return `http://127.0.0.1/v4/recentcontact/${command}?${q}`;
}

function call(e, command, body, query) {
  const r = e.handle("POST", url(command, query), typeof body === "string" ? body : JSON.stringify(body));
  return { status: r.status, ...(r.status === 200 ? JSON.parse(r.body) : {}) };
}

const code = (e, command, body, query) => call(e, command, body, query).ErrorCode;
const c2c = (a) => ({ Type: 1, To_Account: a });
const create = (name, items = []) => ({ From_Account: "u", GroupContactItem: [{ GroupName: name, ContactItem: items }] });
const update = (name, ops) => ({ From_Account: "u", UpdateType: 1, UpdateGroup: { UpdateGroupType: 2, OldGroupName: name, ContactUpdateItem: ops } });

test("routing and method", () => {
  const e = createEmulator();
  // Like the service: HTTP 200 with an ErrorCode, not an HTTP error; an
  // unknown command is a wrong resource (60009), GET an unparsable request.
  for (const [method, path, want] of [["POST", "nope", 60009], ["POST", "get_list/x", 60009], ["GET", "delete", 60002]]) {
    const r = e.handle(method, url(path), "{}");
    assert.equal(r.status, 200);
    assert.equal(JSON.parse(r.body).ErrorCode, want, `${method} ${path}`);
  }
  assert.equal(e.handle("GET", "/__emulator/state", "").status, 400);
});

test("query checks: random, contenttype, sdkappid, identifier", () => {
  const e = createEmulator();
  const body = { From_Account: "u", Type: 1, To_Account: "p" };
  assert.equal(code(e, "delete", body), 0);
  for (const random of ["4294967296", "-1", "1.5", "abc", undefined]) assert.equal(code(e, "delete", body, { random }), 60002, `random=${random}`);
  assert.equal(code(e, "delete", body, { random: "4294967295" }), 0);
  assert.equal(code(e, "delete", body, { contenttype: "xml" }), 60002);
  assert.equal(code(e, "delete", body, { sdkappid: "1" }), 70020);
  assert.equal(code(e, "delete", body, { sdkappid: undefined }), 60012, "no SDKAppID");
  assert.equal(code(e, "delete", body, { sdkappid: "x1" }), 60002);
  assert.equal(code(e, "delete", body, { usersig: "" }), 70002);
  assert.equal(code(e, "delete", body, { identifier: "bob" }), 70013);
});

test("the response envelope is the service's", () => {
  const e = createEmulator();
  const r = call(e, "del_contact_group", { From_Account: "u", GroupName: ["x"] });
  assert.deepEqual(Object.keys(r).sort(), ["ActionStatus", "ErrorCode", "ErrorDisplay", "ErrorInfo", "status"]);
  assert.equal(r.ActionStatus, "FAIL");
  assert.equal(r.ErrorCode, 51009);
  assert.equal(r.status, 200, "errors travel with HTTP 200");
});

test("malformed bodies answer 50002 (60003 when not JSON at all)", () => {
  const e = createEmulator();
  assert.equal(code(e, "delete", "not json"), 60003, "a body that is not JSON is 60003");
  for (const [command, body] of [
    ["delete", "[]"],
    ["delete", { Type: 1, To_Account: "p" }],
    ["delete", { From_Account: "", Type: 1, To_Account: "p" }],
    ["delete", { From_Account: "u", Type: 3, To_Account: "p" }],
    ["delete", { From_Account: "u", Type: 2, ToGroupId: "g" }], // this command spells it ToGroupid
    ["delete", { From_Account: "u", Type: 1, To_Account: "p", ClearRamble: 2 }],
    ["create_contact_group", { From_Account: "u", GroupContactItem: [] }],
    ["create_contact_group", { From_Account: "u", GroupContactItem: [{ GroupName: "a", ContactItem: [] }, { GroupName: "b", ContactItem: [] }] }],
    ["create_contact_group", create("a", [{ Type: 1 }])],
    ["create_contact_group", create("a", [{ Type: 2, To_Account: "x" }])],
    ["create_contact_group", { From_Account: "u", GroupContactItem: [{ GroupName: "a" }] }],
    ["update_contact_group", { From_Account: "u", UpdateType: 2, UpdateGroup: {} }],
    ["update_contact_group", { From_Account: "u", UpdateType: 1, UpdateGroup: { UpdateGroupType: 3, OldGroupName: "a" } }],
    ["update_contact_group", update("a", [{ ContactOptType: 3, ContactItem: c2c("p") }])],
    ["del_contact_group", { From_Account: "u", GroupName: "a" }],
    ["del_contact_group", { From_Account: "u", GroupName: ["a", "b"] }],
  ]) {
    assert.equal(code(e, command, body), 50002, `${command} ${JSON.stringify(body)}`);
  }
});

test("group names: 51011 past 32 UTF-8 bytes, on create and on rename", () => {
  const e = createEmulator();
  assert.equal(code(e, "create_contact_group", create("分".repeat(11))), 51011);
  assert.equal(code(e, "create_contact_group", create("分".repeat(10))), 0);
  const rename = (to) => ({ From_Account: "u", UpdateType: 1, UpdateGroup: { UpdateGroupType: 1, OldGroupName: "分".repeat(10), NewGroupName: to } });
  assert.equal(code(e, "update_contact_group", rename("x".repeat(EMULATOR_LIMITS.groupNameBytes + 1))), 51011);
  assert.equal(code(e, "update_contact_group", rename("x".repeat(EMULATOR_LIMITS.groupNameBytes))), 0);
});

test("51006: an update with no conversation or more than 100", () => {
  const e = createEmulator();
  call(e, "create_contact_group", create("g"));
  assert.equal(code(e, "update_contact_group", update("g", [])), 51006);
  const ops = (n) => Array.from({ length: n }, (_, i) => ({ ContactOptType: 1, ContactItem: c2c(`p${i}`) }));
  assert.equal(code(e, "update_contact_group", update("g", ops(101))), 51006);
  assert.equal(code(e, "update_contact_group", update("g", ops(100))), 0);
  assert.equal(e.state("u").groups[0].conversations.length, 100);
});

test("documented choices: adding twice and removing a non-member succeed; duplicate names refuse", () => {
  const e = createEmulator();
  call(e, "create_contact_group", create("g", [c2c("a"), c2c("a")]));
  assert.deepEqual(e.state("u").groups[0].conversations, [{ type: "c2c", toAccount: "a" }]);
  const r = call(e, "update_contact_group", update("g", [{ ContactOptType: 1, ContactItem: c2c("a") }, { ContactOptType: 2, ContactItem: c2c("zz") }]));
  assert.deepEqual(r.UpdateGroupResult.ContactResultItem.map((x) => x.ResultCode), [0, 0]);
  assert.deepEqual(e.state("u").groups[0].conversations, [{ type: "c2c", toAccount: "a" }]);
  assert.equal(code(e, "create_contact_group", create("g")), 50002);
});

test("group ids are stable and never reused", () => {
  const e = createEmulator();
  const id = (name) => call(e, "create_contact_group", create(name)).GroupResultItem[0].GroupItem.GroupId;
  assert.deepEqual([id("a"), id("b")], [1, 2]);
  assert.deepEqual(call(e, "del_contact_group", { From_Account: "u", GroupName: ["a"] }).GroupItem, [{ GroupName: "a", GroupId: 1 }]);
  assert.equal(id("c"), 3);
  assert.equal(call(e, "create_contact_group", { ...create("d"), From_Account: "other" }).GroupResultItem[0].GroupItem.GroupId, 1, "per user");
});

test("state is a copy, seeds the conversation list, and reset forgets", () => {
  const e = createEmulator();
  e.addConversations("u", [{ type: "c2c", toAccount: "p" }], { msgTime: 5 });
  const s = e.state("u");
  s.conversations.length = 0;
  assert.deepEqual(e.state("u").conversations, [{ conversation: { type: "c2c", toAccount: "p" }, msgTime: 5, pinned: false }]);
  assert.throws(() => e.addConversations("u", [{ type: "c2c" }]), TypeError);
  e.reset();
  assert.deepEqual(e.state("u"), { conversations: [], groups: [], deleted: [], marks: [] });
  assert.throws(() => createEmulator({ ratePerSecnd: 1 }), /unknown emulator option/);
});

test("the rate limit is per command and per second", () => {
  let now = 1_700_000_000_000;
  const e = createEmulator({ ratePerSecond: 2, now: () => now });
  const s = genUserSig({ sdkAppId, secretKey, identifier, expireSeconds: 3600, nowSeconds: now / 1000 });
  const body = { From_Account: "u", Type: 1, To_Account: "p" };
  const c = (command, b) => code(e, command, b, { usersig: s });
  assert.deepEqual([c("delete", body), c("delete", body), c("delete", body)], [0, 0, 60007]);
  assert.equal(c("del_contact_group", { From_Account: "u", GroupName: ["x"] }), 51009, "another command has its own budget");
  now += 1000;
  assert.equal(c("delete", body), 0);
});

test("get_list: the service's field names, AssistFlags, pages and cursors", () => {
  const e = createEmulator({ listPageSize: 2 });
  e.addConversations("u", [{ type: "group", toGroupId: "@TGS#1" }], { msgTime: 30, pinned: true });
  e.addConversations("u", [{ type: "c2c", toAccount: "a" }], { msgTime: 20 });
  e.addConversations("u", [{ type: "c2c", toAccount: "b" }], { msgTime: 0 });
  const body = (flags, cur = {}) => ({ From_Account: "u", TimeStamp: 0, StartIndex: 0, TopTimeStamp: 0, TopStartIndex: 0, AssistFlags: flags, ...cur });
  const p1 = call(e, "get_list", body(63));
  assert.deepEqual(p1.SessionItem.map((i) => [i.Type, i.GroupId ?? i.To_Account, i.TopFlag]), [[2, "@TGS#1", 1], [1, "a", 0]]);
  assert.equal(p1.SessionItem[0].ToGroupId, undefined, "groups are named GroupId here");
  assert.equal(p1.CompleteFlag, 0);
  const p2 = call(e, "get_list", body(63, { TimeStamp: p1.TimeStamp, StartIndex: p1.StartIndex, TopTimeStamp: p1.TopTimeStamp, TopStartIndex: p1.TopStartIndex }));
  assert.deepEqual([p2.SessionItem.map((i) => i.To_Account), p2.CompleteFlag], [["b"], 1]);
  const flat = call(e, "get_list", body(0));
  assert.deepEqual(flat.SessionItem.map((i) => [i.GroupId ?? i.To_Account, i.TopFlag]), [["@TGS#1", 0], ["a", 0]], "bit 0 off: no pinning, bit 1 off: no empty ones");
  assert.equal(flat.CompleteFlag, 1);
  assert.equal(code(e, "get_list", { From_Account: "u", StartIndex: 0 }), 50002);
  // Group and mark fields only with AssistFlags bits 3 to 5.
  call(e, "create_contact_group", create("g", [{ Type: 1, To_Account: "a" }]));
  const extras = (flags) => call(e, "get_list", body(flags)).SessionItem.find((i) => i.To_Account === "a").ContactGroupId;
  assert.deepEqual(extras(63), [1]);
  assert.deepEqual(extras(8), [1]);
  assert.equal(extras(7), undefined, "the docs' AssistFlags 7 example carries no extras");
});

test("mark_contact: 51006, bit numbers, custom mark size, OptType", () => {
  const e = createEmulator();
  const item = (extra) => ({ OptType: 1, ContactItem: c2c("a"), SetMark: [1], ...extra });
  const mark = (items) => code(e, "mark_contact", { From_Account: "u", MarkItem: items });
  assert.equal(mark([]), 51006);
  assert.equal(mark(Array.from({ length: 101 }, () => item())), 51006);
  assert.equal(mark([item({ SetMark: [64] })]), 50002);
  assert.equal(mark([item({ ClearMark: [-1] })]), 50002);
  assert.equal(mark([item({ OptType: 4 })]), 50002);
  assert.equal(mark([item({ OptType: 2, CustomMark: "x".repeat(257) })]), 50002);
  assert.equal(mark([item({ OptType: 2 })]), 50002, "OptType 2 needs a CustomMark");
  assert.equal(mark([item({ OptType: 3, SetMark: [0, 63], CustomMark: "分".repeat(85) })]), 0);
  assert.deepEqual(e.state("u").marks, [{ conversation: { type: "c2c", toAccount: "a" }, standardMarks: [0, 63], customMark: "分".repeat(85) }]);
  assert.equal(mark([item({ OptType: 3, SetMark: [], ClearMark: [0, 63], CustomMark: "" })]), 0);
  assert.deepEqual(e.state("u").marks, [], "a conversation with no mark left is no longer marked");
});

test("get_contact_group pages with NextStartIndex; search_contact_group takes 1 to 300", () => {
  const e = createEmulator({ groupPageSize: 1 });
  call(e, "create_contact_group", create("g", [c2c("a"), c2c("b")]));
  const p1 = call(e, "get_contact_group", { From_Account: "u", StartIndex: 0 });
  assert.deepEqual([p1.ContactItem.map((i) => i.To_Account), p1.CompleteFlag, p1.NextStartIndex], [["a"], 0, 1]);
  assert.deepEqual(p1.GroupItem, [{ GroupName: "g", GroupId: 1 }]);
  assert.deepEqual(p1.ContactItem[0].ContactGroupId, [1]);
  const p2 = call(e, "get_contact_group", { From_Account: "u", StartIndex: 1 });
  assert.deepEqual([p2.ContactItem.map((i) => i.To_Account), p2.CompleteFlag, p2.NextStartIndex], [["b"], 1, 0]);
  const search = (items) => call(e, "search_contact_group", { From_Account: "u", ContactItem: items });
  assert.equal(search([]).ErrorCode, 50002);
  assert.equal(search(Array.from({ length: 301 }, (_, i) => c2c(`p${i}`))).ErrorCode, 50002);
  assert.deepEqual(search([c2c("b"), c2c("zz")]).ContactResultItem.map((i) => i.To_Account), ["b"]);
});

test("51008 counts distinct conversations across a user's groups, not memberships", () => {
  const e = createEmulator();
  const many = (prefix, n) => Array.from({ length: n }, (_, i) => ({ Type: 1, To_Account: `${prefix}${i}` }));
  const shared = many("s", 600);
  assert.equal(code(e, "create_contact_group", create("a", shared)), 0);
  assert.equal(code(e, "create_contact_group", create("b", shared)), 0, "the same 600 in a second group: still 600 distinct");
  assert.equal(code(e, "create_contact_group", create("c", many("n", 400))), 0, "1000 distinct");
  const add = (name, items) => code(e, "update_contact_group", update(name, items.map((c) => ({ ContactOptType: 1, ContactItem: c }))));
  assert.equal(add("b", many("n", 100)), 0, "already counted in group c");
  assert.equal(add("b", many("x", 1)), 51008, "the 1001st distinct conversation");
  assert.equal(code(e, "create_contact_group", create("d", many("y", 1))), 51008);
});

test("editions: the base one refuses groups and standard marks (51013) and pulls at most 100 conversations, the advanced one 500; a complete read of exactly a cap is reported as a pull-cap event", async () => {
  const { ConversationClient } = await import("tim-recentcontact");
  const seed = (e, user, n) => e.addConversations(user, Array.from({ length: n }, (_, i) => ({ type: "c2c", toAccount: `p${i}` })), { msgTime: 1_700_000_000 });
  const base = createEmulator({ edition: "base" });
  assert.equal(code(base, "create_contact_group", create("g")), 51013);
  const mark = (OptType) => ({ From_Account: "u", MarkItem: [{ OptType, ContactItem: c2c("p"), SetMarkItem: { MarkValue: [1] }, CustomMark: "x" }] });
  assert.equal(code(base, "mark_contact", mark(1)), 51013, "a standard mark");
  const events = [];
  const client = (e) => new ConversationClient({ ...e.credentials, fetch: e.fetch, onEvent: (ev) => ev.type === "pull-cap" && events.push(ev) });
  seed(base, "u", 150);
  const listed = [];
  for await (const item of client(base).listConversations({ fromAccount: "u" })) listed.push(item);
  assert.equal(listed.length, 100, "the base edition lists the newest 100");
  assert.deepEqual(events, [{ type: "pull-cap", command: "get_list", count: 100 }]);

  const advanced = createEmulator({ listPageSize: 150 });
  seed(advanced, "u", 600);
  events.length = 0;
  let n = 0;
  for await (const _ of client(advanced).listConversations({ fromAccount: "u" })) n++;
  assert.equal(n, 500, "an advanced edition lists 500");
  assert.deepEqual(events, [{ type: "pull-cap", command: "get_list", count: 500 }]);

  // Groups and marks past the cap cannot be read either; below a cap, no event.
  const small = createEmulator({ pullCap: 3 });
  const c = client(small);
  await c.createConversationGroup({ fromAccount: "u", groupName: "g", conversations: Array.from({ length: 5 }, (_, i) => ({ type: "c2c", toAccount: `q${i}` })) });
  events.length = 0;
  assert.equal((await c.getConversationGroups({ fromAccount: "u" })).conversations.length, 3);
  seed(small, "v", 99);
  for await (const _ of c.listConversations({ fromAccount: "v" })) n++;
  assert.deepEqual(events, [], "3 and 99 are no edition's cap");

  assert.throws(() => createEmulator({ edition: "premium" }), /edition.*"base" or "advanced"/);
  assert.throws(() => createEmulator({ pullCap: 0 }), /pullCap/);
});
