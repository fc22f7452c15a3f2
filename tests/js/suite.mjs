// The conformance suite of the built package, run unchanged in Node
// (node --test), Deno (deno test) and workerd (inside a worker). It talks to
// a fake service through an injected fetch, so it checks the exact URL,
// query and JSON body of every request and the parsed result.

import { APP, KEY, assert, assertEqual, rejects, fakeFetch } from "./assertions.mjs";

export { APP, KEY, assert, assertEqual, rejects, fakeFetch };

const OK = { ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" };

function client(mod, fetch, extra = {}) {
  return new mod.ConversationClient({
    sdkAppId: APP,
    identifier: "administrator",
    secretKey: KEY,
    region: "singapore",
    fetch,
    ...extra,
  });
}

function checkQuery(mod, url, command) {
  assertEqual(url.origin + url.pathname, `https://adminapisgp.im.qcloud.com/v4/recentcontact/${command}`, "URL");
  assertEqual([...url.searchParams.keys()], ["sdkappid", "identifier", "usersig", "random", "contenttype"], "query keys");
  assertEqual(url.searchParams.get("sdkappid"), String(APP), "sdkappid");
  assertEqual(url.searchParams.get("identifier"), "administrator", "identifier");
  assertEqual(url.searchParams.get("contenttype"), "json", "contenttype");
  const random = Number(url.searchParams.get("random"));
  assert(Number.isInteger(random) && random >= 0 && random <= 4294967295, "random is a u32");
  const info = mod.verifyUserSig({ sdkAppId: APP, secretKey: KEY, userSig: url.searchParams.get("usersig") });
  assertEqual(info.identifier, "administrator", "usersig identifier");
}

const c2c = (toAccount) => ({ type: "c2c", toAccount });
const group = (toGroupId) => ({ type: "group", toGroupId });

import { mistakeCases } from "./mistakes.mjs";
import { hostileCases } from "./hostile-suite.mjs";
import { outcomeCases } from "./outcome-suite.mjs";

export const cases = [
  ["deleteConversation sends the seed request", async (mod) => {
    const f = fakeFetch(() => OK);
    const c = client(mod, f.fetch);
    const r = await c.deleteConversation({ fromAccount: "id1", conversation: c2c("id2"), clearRoamingMessages: true });
    assertEqual(r, undefined, "resolves to undefined");
    await c.deleteConversation({ fromAccount: "id1", conversation: group("@TGS#1") });
    checkQuery(mod, f.calls[0].url, "delete");
    assertEqual(f.calls[0].init.method, "POST", "method");
    assertEqual(f.calls[0].init.headers["Content-Type"], "application/json", "content type");
    assertEqual(f.calls[0].body, { From_Account: "id1", Type: 1, To_Account: "id2", ClearRamble: 1 }, "body");
    assertEqual(f.calls[1].body, { From_Account: "id1", Type: 2, ToGroupid: "@TGS#1" }, "group body");
    assert(f.calls[0].url.searchParams.get("random") !== f.calls[1].url.searchParams.get("random"), "fresh random");
  }],
  ["createConversationGroup sends and parses", async (mod) => {
    const f = fakeFetch(() => ({
      GroupResultItem: [{
        GroupItem: { GroupName: "test0", GroupId: 2 },
        ResultItem: [
          { ContactItem: { Type: 1, To_Account: "user0" }, ResultCode: 0, ResultInfo: "" },
          { ContactItem: { Type: 2, ToGroupId: "@TGS#g" }, ResultCode: 51007, ResultInfo: "dismissed" },
        ],
      }],
      ...OK, ErrorDisplay: "", Undocumented: [1, 2],
    }));
    const r = await client(mod, f.fetch).createConversationGroup({
      fromAccount: "user15", groupName: "test0", conversations: [c2c("user0"), group("@TGS#g")],
    });
    checkQuery(mod, f.calls[0].url, "create_contact_group");
    assertEqual(f.calls[0].body, {
      From_Account: "user15",
      GroupContactItem: [{ GroupName: "test0", ContactItem: [{ Type: 1, To_Account: "user0" }, { Type: 2, ToGroupId: "@TGS#g" }] }],
    }, "body");
    assertEqual(r, {
      groupName: "test0", groupId: 2,
      results: [
        { conversation: c2c("user0"), ok: true, resultCode: 0, resultInfo: "" },
        { conversation: group("@TGS#g"), ok: false, resultCode: 51007, resultInfo: "dismissed" },
      ],
    }, "result");
  }],
  ["renameConversationGroup sends and parses", async (mod) => {
    const f = fakeFetch(() => ({
      UpdateType: 1,
      UpdateGroupResult: { UpdateGroupType: 1, GroupName: "new", GroupId: 4, OldGroupName: "old" },
      ...OK,
    }));
    const r = await client(mod, f.fetch).renameConversationGroup({ fromAccount: "u", groupName: "old", newGroupName: "new" });
    checkQuery(mod, f.calls[0].url, "update_contact_group");
    assertEqual(f.calls[0].body, {
      From_Account: "u", UpdateType: 1,
      UpdateGroup: { UpdateGroupType: 1, OldGroupName: "old", NewGroupName: "new" },
    }, "body");
    assertEqual(r, { groupName: "new", oldGroupName: "old", groupId: 4 }, "result");
  }],
  ["updateConversationGroup sends and parses", async (mod) => {
    const f = fakeFetch(() => ({
      UpdateType: 1,
      UpdateGroupResult: {
        UpdateGroupType: 2, GroupName: "test1", GroupId: 1, OldGroupName: "test1",
        ContactResultItem: [
          { ContactOptType: 1, ContactItem: { Type: 1, To_Account: "user1" }, ResultCode: 0, ResultInfo: "" },
          { ContactOptType: 2, ContactItem: { Type: 2, ToGroupId: "g2" }, ResultCode: 0, ResultInfo: "" },
        ],
      },
      ...OK,
    }));
    const r = await client(mod, f.fetch).updateConversationGroup({
      fromAccount: "user20", groupName: "test1", add: [c2c("user1")], remove: [group("g2")],
    });
    checkQuery(mod, f.calls[0].url, "update_contact_group");
    assertEqual(f.calls[0].body, {
      From_Account: "user20", UpdateType: 1,
      UpdateGroup: {
        UpdateGroupType: 2, OldGroupName: "test1",
        ContactUpdateItem: [
          { ContactOptType: 1, ContactItem: { Type: 1, To_Account: "user1" } },
          { ContactOptType: 2, ContactItem: { Type: 2, ToGroupId: "g2" } },
        ],
      },
    }, "body");
    assertEqual(r, {
      groupName: "test1", groupId: 1,
      results: [
        { conversation: c2c("user1"), action: "add", ok: true, resultCode: 0, resultInfo: "" },
        { conversation: group("g2"), action: "remove", ok: true, resultCode: 0, resultInfo: "" },
      ],
    }, "result");
  }],
  ["deleteConversationGroup sends and parses", async (mod) => {
    const f = fakeFetch(() => ({ GroupItem: [{ GroupName: "test0", GroupId: 2 }], ...OK }));
    const r = await client(mod, f.fetch).deleteConversationGroup({ fromAccount: "user15", groupName: "test0" });
    checkQuery(mod, f.calls[0].url, "del_contact_group");
    assertEqual(f.calls[0].body, { From_Account: "user15", GroupName: ["test0"] }, "body");
    assertEqual(r, { groupName: "test0", groupId: 2 }, "result");
  }],
  ["listConversations pages through get_list; listConversationsPage returns a cursor", async (mod) => {
    const pages = [
      { SessionItem: [{ Type: 1, To_Account: "p1", MsgTime: 30, TopFlag: 1 }, { Type: 2, GroupId: "@TGS#g", MsgTime: 20, TopFlag: 0, StandardMark: "1" + "0".repeat(63), CustomMark: "vip", ContactGroupId: [3] }],
        CompleteFlag: 0, TimeStamp: 99, StartIndex: 1, TopTimeStamp: 98, TopStartIndex: 1 },
      { SessionItem: [{ Type: 1, To_Account: "p2", MsgTime: 10, TopFlag: 0 }], CompleteFlag: 1, TimeStamp: 99, StartIndex: 2, TopTimeStamp: 98, TopStartIndex: 1 },
    ];
    const f = fakeFetch((command, body, url, n) => ({ ...pages[n - 1], ...OK }));
    const c = client(mod, f.fetch);
    const seen = [];
    for await (const item of c.listConversations({ fromAccount: "u" })) seen.push(item);
    checkQuery(mod, f.calls[0].url, "get_list");
    assertEqual(f.calls.map((x) => x.body), [
      { From_Account: "u", TimeStamp: 0, StartIndex: 0, TopTimeStamp: 0, TopStartIndex: 0, AssistFlags: 63 },
      { From_Account: "u", TimeStamp: 99, StartIndex: 1, TopTimeStamp: 98, TopStartIndex: 1, AssistFlags: 63 },
    ], "requests");
    assertEqual(seen, [
      { conversation: c2c("p1"), msgTime: 30, pinned: true },
      { conversation: group("@TGS#g"), msgTime: 20, pinned: false, standardMarks: [63], customMark: "vip", groupIds: [3] },
      { conversation: c2c("p2"), msgTime: 10, pinned: false },
    ], "items");
    const g = fakeFetch(() => ({ ...pages[0], ...OK }));
    const page = await client(mod, g.fetch).listConversationsPage({ fromAccount: "u", includePinned: false, includeEmpty: false });
    assertEqual(g.calls[0].body.AssistFlags, 63, "flags in plain words never change AssistFlags");
    assertEqual(page.conversations.map((c) => c.pinned), [false, false], "includePinned: false reports none as pinned");
    assert(typeof page.nextCursor === "string", "a cursor");
    // The service repeating a cursor ends the iteration with an error instead of looping.
    const stuck = fakeFetch(() => ({ ...pages[0], ...OK }));
    const it = client(mod, stuck.fetch).listConversations({ fromAccount: "u" });
    let count = 0;
    await rejects(async () => { for await (const _ of it) count++; }, (e) => {
      assert(e instanceof mod.TimDecodeError, `decode error, got ${e}`);
    }, "stuck cursor");
    assertEqual([count, stuck.calls.length], [2, 2], "stopped at the first repeat");
    await rejects(() => client(mod, stuck.fetch).listConversationsPage({ fromAccount: "u", cursor: "made-up" }), (e) => {
      assertEqual([e.kind, e.field], ["validation", "cursor"], "cursor validated");
    }, "bad cursor");
  }],
  ["getConversationGroups follows NextStartIndex; the page form returns a cursor", async (mod) => {
    const pages = [
      { ContactItem: [{ Type: 1, To_Account: "teacher4", StandardMark: "111001", ContactGroupId: [1, 2], Timestamp: 1670843110 }], GroupItem: [{ GroupName: "test1x", GroupId: 1 }, { GroupName: "test10", GroupId: 2 }], CompleteFlag: 0, NextStartIndex: 1 },
      { ContactItem: [{ Type: 2, ToGroupId: "@TGS#1N3RSUYG2", CustomMark: "abcd", Timestamp: 1672998266 }], GroupItem: [{ GroupName: "test10", GroupId: 2 }], CompleteFlag: 1, NextStartIndex: 0 },
    ];
    const f = fakeFetch((command, body, url, n) => ({ ...pages[n - 1], ...OK }));
    const all = await client(mod, f.fetch).getConversationGroups({ fromAccount: "user0" });
    checkQuery(mod, f.calls[0].url, "get_contact_group");
    assertEqual(f.calls.map((x) => x.body), [{ From_Account: "user0", StartIndex: 0 }, { From_Account: "user0", StartIndex: 1 }], "requests");
    assertEqual(all, {
      groups: [{ groupName: "test1x", groupId: 1 }, { groupName: "test10", groupId: 2 }],
      conversations: [
        { conversation: c2c("teacher4"), standardMarks: [0, 3, 4, 5], groupIds: [1, 2], timestamp: 1670843110 },
        { conversation: group("@TGS#1N3RSUYG2"), standardMarks: [], customMark: "abcd", groupIds: [], timestamp: 1672998266 },
      ],
    }, "merged");
    const g = fakeFetch(() => ({ ...pages[0], ...OK }));
    const page = await client(mod, g.fetch).getConversationGroupsPage({ fromAccount: "user0" });
    assertEqual([page.conversations.length, typeof page.nextCursor], [1, "string"], "page");
    await client(mod, g.fetch).getConversationGroupsPage({ fromAccount: "user0", cursor: page.nextCursor }).then(
      () => { throw new Error("a stuck NextStartIndex must fail"); },
      (e) => assert(e instanceof mod.TimDecodeError, "stuck index is a decode error"),
    );
    assertEqual(g.calls[1].body, { From_Account: "user0", StartIndex: 1 }, "cursor sent back");
    // paginate: the same pages one by one, through the same pager as getConversationGroups.
    const h = fakeFetch((command, body, url, n) => ({ ...pages[n - 1], ...OK }));
    const seen = [];
    for await (const p of client(mod, h.fetch).paginate("getConversationGroupsPage", { fromAccount: "user0" })) seen.push(p);
    assertEqual(seen.map((p) => [p.groups.length, p.conversations.length, typeof p.nextCursor]), [[2, 1, "string"], [1, 1, "undefined"]], "paginate pages");
    assertEqual(h.calls.map((x) => x.body.StartIndex), [0, 1], "paginate requests");
  }],
  ["paginate: every paged read, from a cursor, stopping at maxPages; a wrong method or a misused client fails at once", async (mod) => {
    const answer = (n) => ({ SessionItem: [{ Type: 1, To_Account: `p${n}`, MsgTime: 100 - n, TopFlag: 0 }], CompleteFlag: 0, TimeStamp: 99, StartIndex: n, TopTimeStamp: 0, TopStartIndex: 0, ...OK });
    const f = fakeFetch((command, body, url, n) => answer(n));
    const c = new mod.ConversationClient({ sdkAppId: APP, identifier: "admin", secretKey: KEY, baseUrl: "http://127.0.0.1:1", fetch: f.fetch, maxPages: 3 });
    const first = await c.listConversationsPage({ fromAccount: "u" });
    const pages = [];
    await rejects(async () => {
      for await (const p of c.paginate("listConversationsPage", { fromAccount: "u", cursor: first.nextCursor })) pages.push(p);
    }, (e) => {
      assert(e instanceof mod.TimDecodeError, `decode error, got ${e}`);
      assert(e.message.includes("maxPages (3)"), e.message);
    }, "maxPages");
    assertEqual(pages.map((p) => p.conversations[0].conversation.toAccount), ["p2", "p3", "p4"], "three pages from the cursor");
    assertEqual(f.calls.map((x) => x.body.StartIndex), [0, 1, 2, 3], "each page starts where the last one ended");
    // Leaving the loop early sends nothing more.
    const g = fakeFetch((command, body, url, n) => answer(n));
    for await (const p of client(mod, g.fetch).paginate("listConversationsPage", { fromAccount: "u" })) break;
    assertEqual(g.calls.length, 1, "break stops paging");
    await rejects(async () => { for await (const _ of c.paginate("searchConversationGroups", { fromAccount: "u" })) {} }, (e) => {
      assertEqual([e.name, e.field], ["TimValidationError", "method"], "unknown method");
    }, "method");
    const unbound = c.paginate;
    let thrown;
    try {
      unbound("listConversationsPage", { fromAccount: "u" });
    } catch (e) {
      thrown = e;
    }
    assertEqual([thrown?.name, thrown?.field], ["TimValidationError", "this"], "an unbound paginate throws when called");
    // Awaited instead of iterated: a rejection that says how, and nothing sent.
    const h = fakeFetch((command, body, url, n) => answer(n));
    const quiet = client(mod, h.fetch);
    for (const [name, call] of [["listConversations", () => quiet.listConversations({ fromAccount: "u" })], ["paginate", () => quiet.paginate("listConversationsPage", { fromAccount: "u" })]]) {
      await rejects(async () => await call(), (e) => {
        assertEqual([e.name, e.field], ["TimValidationError", name], `awaiting ${name}`);
        assert(e.message.includes("for await (const item of client." + name), e.message);
      }, `await ${name}`);
    }
    assertEqual(h.calls.length, 0, "an awaited pager sends nothing");
    const still = [];
    for await (const item of quiet.listConversations({ fromAccount: "u" }, { maxRetries: 0 })) if (still.push(item) === 2) break;
    assertEqual(still.length, 2, "the same pager still iterates");
  }],
  ["members an answer adds, of any shape, are read past", async (mod) => {
    // Unknown members before, between and after the known ones, holding
    // every kind of JSON value nested: the reader skips each and reads on
    // (a miscompiled skip, as rustc 1.95 makes at opt-level 2, stops here).
    const extra = { Future: [1, [2, { a: [true, false, null, "x\"y\\z"] }], {}, []], Other: { b: [], c: { d: -1.5e3, e: "\u00e9\ud83d\ude00" } } };
    const f = fakeFetch(() => ({
      ...extra,
      ContactResultItem: [{ ...extra, Type: 1, To_Account: "xixi", Nested: [[[]], [{}]], StandardMark: "11", ContactGroupId: [1, 2], Timestamp: 5, Last: 0.5 }],
      GroupItem: [{ GroupName: "g1", Later: { x: [1, { y: null }] }, GroupId: 1 }],
      ...OK,
      Tail: [0, "1", [2]],
    }));
    const c = client(mod, f.fetch);
    const found = await c.searchConversationGroups({ fromAccount: "u", conversations: [c2c("xixi")] });
    assertEqual(found, {
      groups: [{ groupName: "g1", groupId: 1 }],
      conversations: [{ conversation: c2c("xixi"), standardMarks: [0, 1], groupIds: [1, 2], timestamp: 5 }],
    }, "the known members, read past the rest");
  }],
  ["searchConversationGroups and markConversations send and parse", async (mod) => {
    const f = fakeFetch((command) => command === "search_contact_group"
      ? { ContactResultItem: [{ Type: 1, To_Account: "xixi", StandardMark: "11111110", CustomMark: "x", ContactGroupId: [1], Timestamp: 5 }], GroupItem: [{ GroupName: "test1x", GroupId: 1 }], ...OK }
      : { ResultItem: [{ OptType: 3, ContactItem: { Type: 1, To_Account: "user1" }, ResultCode: 0, ResultInfo: "" }, { OptType: 1, ContactItem: { Type: 2, ToGroupId: "g" }, ResultCode: 51007, ResultInfo: "gone" }], ...OK });
    const c = client(mod, f.fetch);
    const found = await c.searchConversationGroups({ fromAccount: "yahaha", conversations: [c2c("xixi"), group("g")] });
    checkQuery(mod, f.calls[0].url, "search_contact_group");
    assertEqual(f.calls[0].body, { From_Account: "yahaha", ContactItem: [{ Type: 1, To_Account: "xixi" }, { Type: 2, ToGroupId: "g" }] }, "search body");
    assertEqual(found, {
      groups: [{ groupName: "test1x", groupId: 1 }],
      conversations: [{ conversation: c2c("xixi"), standardMarks: [1, 2, 3, 4, 5, 6, 7], customMark: "x", groupIds: [1], timestamp: 5 }],
    }, "search result");
    const marked = await c.markConversations({ fromAccount: "user0", items: [
      { conversation: c2c("user1"), set: [1, 2, 3], customMark: "abcd" },
      { conversation: group("g"), set: [63], clear: [0] },
    ] });
    checkQuery(mod, f.calls[1].url, "mark_contact");
    assertEqual(f.calls[1].body, { From_Account: "user0", MarkItem: [
      { OptType: 3, ContactItem: { Type: 1, To_Account: "user1" }, SetMark: [1, 2, 3], CustomMark: "abcd" },
      { OptType: 1, ContactItem: { Type: 2, ToGroupId: "g" }, SetMark: [63], ClearMark: [0] },
    ] }, "mark body");
    assertEqual(marked.results.map((r) => [r.ok, r.resultCode]), [[true, 0], [false, 51007]], "per-item results");
    await rejects(() => c.markConversations({ fromAccount: "u", items: [{ conversation: c2c("a"), set: [64] }] }), (e) => {
      assertEqual([e.kind, e.field], ["validation", "items[0].set[0]"], "bit 64 refused");
    }, "bit 64");
    await rejects(() => c.searchConversationGroups({ fromAccount: "u", conversations: [] }), (e) => {
      assertEqual([e.kind, e.field], ["validation", "conversations"], "empty search refused");
    }, "empty search");
    assertEqual(f.calls.length, 2, "refused calls sent nothing");
  }],
  ["results keep every string as the service sent it: non-ASCII, emoji (UTF-16 pairs), escapes, empty; and every number up to 2^53 - 1", async (mod) => {
    const odd = ["群组😀", "", "q\"b\\s/\u0000\n\u2028é", "😀😀", "标记"];
    const f = fakeFetch((command) => {
      if (command === "get_contact_group") {
        return {
          ...OK, CompleteFlag: 0, NextStartIndex: 1,
          GroupItem: odd.map((name, i) => ({ GroupName: name, GroupId: i === 0 ? Number.MAX_SAFE_INTEGER : i })),
          ContactItem: odd.map((s, i) => ({ Type: i % 2 ? 2 : 1, To_Account: `${s}u${i}`, ToGroupId: `@${s}${i}`, StandardMark: "1", CustomMark: s, ContactGroupId: [i], Timestamp: 1_700_000_000 + i })),
        };
      }
      return { ...OK, SessionItem: odd.map((s, i) => ({ Type: 1, To_Account: `${s}${i}`, MsgTime: Number.MAX_SAFE_INTEGER - i, TopFlag: i % 2, CustomMark: s })), CompleteFlag: 1, TimeStamp: 0, StartIndex: 0, TopTimeStamp: 0, TopStartIndex: 0 };
    });
    const c = client(mod, f.fetch);
    const page = await c.getConversationGroupsPage({ fromAccount: "u" });
    assertEqual(page.groups, odd.map((name, i) => ({ groupName: name, groupId: i === 0 ? Number.MAX_SAFE_INTEGER : i })), "group names");
    assertEqual(page.conversations.map((m) => [m.conversation, m.customMark, m.groupIds, m.timestamp]),
      odd.map((s, i) => [i % 2 ? group(`@${s}${i}`) : c2c(`${s}u${i}`), s, [i], 1_700_000_000 + i]), "conversations");
    assert(typeof page.nextCursor === "string" && page.nextCursor.length > 0, "a cursor");
    const list = await c.listConversationsPage({ fromAccount: "u" });
    assertEqual(list.conversations.map((x) => [x.conversation.toAccount, x.msgTime, x.pinned, x.customMark]),
      odd.map((s, i) => [`${s}${i}`, Number.MAX_SAFE_INTEGER - i, i % 2 === 1, s]), "listed conversations");
    assertEqual(list.nextCursor, undefined, "no cursor on the last page");
  }],
  ["validation errors name the field and send nothing", async (mod) => {
    const f = fakeFetch(() => OK);
    const c = client(mod, f.fetch);
    const isValidation = (field) => (e) => {
      assert(e instanceof mod.TimValidationError && e instanceof mod.TimError && e instanceof Error, `class of ${e}`);
      assertEqual([e.kind, e.field, e.retryable, e.name], ["validation", field, false, "TimValidationError"], "fields");
      assert(typeof e.reason === "string" && e.reason.length > 0, "reason");
    };
    await rejects(() => c.createConversationGroup({ fromAccount: "u", groupName: "分".repeat(11), conversations: [] }), isValidation("groupName"), "33 bytes");
    await rejects(() => c.deleteConversation({ fromAccount: "", conversation: c2c("x") }), isValidation("fromAccount"), "empty from");
    await rejects(() => c.deleteConversation({ fromAccount: "u", conversation: { type: "c2c" } }), isValidation("conversation.toAccount"), "no toAccount");
    await rejects(() => c.deleteConversation({ fromAccount: "u", conversation: { type: "group", toGroupId: "g", toAccount: "a" } }), isValidation("conversation.toAccount"), "both");
    await rejects(() => c.deleteConversation({ fromAccount: "u", conversation: { type: "peer", toAccount: "a" } }), isValidation("conversation.type"), "bad type");
    await rejects(() => c.updateConversationGroup({ fromAccount: "u", groupName: "g" }), isValidation("add"), "nothing to update");
    await rejects(() => c.updateConversationGroup({ fromAccount: "u", groupName: "g", add: Array.from({ length: 101 }, (_, i) => c2c(`u${i}`)) }), isValidation("add"), "101");
    await rejects(() => c.createConversationGroup({ fromAccount: "u", groupName: "g", conversations: [c2c("a"), c2c("")] }), isValidation("conversations[1].toAccount"), "index");
    await rejects(() => c.deleteConversationGroup(undefined), isValidation("params"), "no params");
    assertEqual(f.calls.length, 0, "nothing sent");
    const opts = { sdkAppId: APP, identifier: "a", secretKey: "k" };
    for (const [bad, field] of [
      [{ sdkAppId: 2 ** 32 }, "sdkAppId"], [{ sdkAppId: -1 }, "sdkAppId"], [{ sdkAppId: 1.5 }, "sdkAppId"],
      [{ identifier: "" }, "identifier"], [{ userSig: "s" }, "secretKey"], [{ secretKey: undefined }, "secretKey"],
      [{ region: "mars" }, "region"], [{ region: "tokyo", baseUrl: "http://127.0.0.1:1" }, "baseUrl"],
      [{ baseUrl: "localhost:1" }, "baseUrl"], [{ timeoutMs: 0 }, "timeoutMs"], [{ maxRetries: 99 }, "maxRetries"],
      [{ fetch: "nope" }, "fetch"], [{ maxRequestsPerSecond: 0 }, "maxRequestsPerSecond"], [{ secrteKey: "x" }, "secrteKey"],
      [{ rateLimiter: 5 }, "rateLimiter"], [{ rateLimiter: {} }, "rateLimiter.acquire"],
      [{ rateLimiter: { acquire() {}, penalize: 1 } }, "rateLimiter.penalize"],
      [{ rateLimiter: { acquire() {} }, maxRequestsPerSecond: 5 }, "maxRequestsPerSecond"],
    ]) {
      await rejects(() => new mod.ConversationClient({ ...opts, ...bad }), isValidation(field), `option ${JSON.stringify(bad)}`);
    }
    await rejects(() => new mod.ConversationClient(), isValidation("options"), "no options");
  }],
  ["service failures become TimApiError and TimAuthError", async (mod) => {
    const f = fakeFetch((command) => command === "del_contact_group"
      ? { ActionStatus: "FAIL", ErrorCode: 51009, ErrorInfo: "group not exist", ErrorDisplay: "no such group" }
      : { ActionStatus: "FAIL", ErrorCode: 70009, ErrorInfo: "sig check failed" });
    const c = client(mod, f.fetch);
    const e = await rejects(() => c.deleteConversationGroup({ fromAccount: "u", groupName: "gone" }), (e) => {
      assert(e instanceof mod.TimApiError && e instanceof mod.TimError, "TimApiError");
      assertEqual([e.kind, e.code, e.info, e.display, e.command, e.retryable], ["api", 51009, "group not exist", "no such group", "v4/recentcontact/del_contact_group", false], "fields");
    }, "51009");
    assert(String(e).includes("51009"), "toString has the code");
    await rejects(() => c.deleteConversation({ fromAccount: "u", conversation: c2c("x") }), (e) => {
      assert(e instanceof mod.TimAuthError, "TimAuthError");
      assertEqual([e.kind, e.code, e.retryable], ["auth", 70009, false], "fields");
    }, "70009");
  }],
  ["throttling and transient errors are retried, then reported retryable", async (mod) => {
    const f = fakeFetch((command, body, url, n) => n === 1 ? { ActionStatus: "FAIL", ErrorCode: 60007, ErrorInfo: "busy" } : OK);
    await client(mod, f.fetch).deleteConversation({ fromAccount: "u", conversation: c2c("x") });
    assertEqual(f.calls.length, 2, "retried once");
    const g = fakeFetch(() => ({ ActionStatus: "FAIL", ErrorCode: 50004, ErrorInfo: "internal" }));
    await rejects(() => client(mod, g.fetch, { maxRetries: 0 }).deleteConversation({ fromAccount: "u", conversation: c2c("x") }), (e) => {
      assertEqual([e.kind, e.code, e.retryable], ["api", 50004, true], "fields");
    }, "50004");
  }],
  ["60008 (a timeout, or a request the service could not read) is tried again once; a write answered 60008 is read back, never resent", async (mod) => {
    const f = fakeFetch(() => ({ ActionStatus: "FAIL", ErrorCode: 60008, ErrorInfo: "timeout or bad request" }));
    await rejects(() => client(mod, f.fetch, { maxRetries: 5 }).deleteConversation({ fromAccount: "u", conversation: c2c("x") }), (e) => {
      assertEqual([e.kind, e.code, e.outcomeUnknown], ["api", 60008, true], "fields");
    }, "60008 twice");
    assertEqual(f.calls.map((c) => c.command), ["delete", "delete"], "sent twice, not six times");
    const g = fakeFetch((command) => command === "create_contact_group" ? { ActionStatus: "FAIL", ErrorCode: 60008, ErrorInfo: "timeout" } : { ...OK, ContactItem: [], GroupItem: [], CompleteFlag: 1, NextStartIndex: 0 });
    await rejects(() => client(mod, g.fetch, { maxRetries: 5 }).createConversationGroup({ fromAccount: "u", groupName: "g", conversations: [] }), (e) => {
      assertEqual([e.code, e.outcomeUnknown, e.retryable, e.readBack?.looksApplied], [60008, true, false, false], "an unknown outcome, read back");
    }, "create 60008");
    assertEqual(g.calls.filter((c) => c.command === "create_contact_group").length, 1, "the write is sent once");
    assert(g.calls.some((c) => c.command === "get_contact_group"), "its state is read back");
  }],
  ["an expired signature is renewed and the call retried once", async (mod) => {
    const f = fakeFetch((command, body, url, n) => n === 1 ? { ActionStatus: "FAIL", ErrorCode: 70001, ErrorInfo: "expired" } : OK);
    await client(mod, f.fetch).deleteConversation({ fromAccount: "u", conversation: c2c("x") });
    assertEqual(f.calls.length, 2, "two requests");
    const second = mod.verifyUserSig({ sdkAppId: APP, secretKey: KEY, userSig: f.calls[1].url.searchParams.get("usersig") });
    assert(Math.abs(second.time - Date.now() / 1000) < 5, "signed now");
    const g = fakeFetch(() => ({ ActionStatus: "FAIL", ErrorCode: 70001, ErrorInfo: "expired" }));
    const given = mod.genUserSig({ sdkAppId: APP, secretKey: KEY, identifier: "administrator", expireSeconds: 60 });
    await rejects(() => client(mod, g.fetch, { secretKey: undefined, userSig: given }).deleteConversation({ fromAccount: "u", conversation: c2c("x") }), (e) => {
      assertEqual([e.kind, e.code], ["auth", 70001], "given userSig cannot be renewed");
    }, "70001");
    assertEqual(g.calls.length, 1, "no retry without the key");
    // An idempotent write refused after an attempt with no clear answer (a
    // 502) may have been applied: the error says so, whatever its class.
    const h = fakeFetch((command, body, url, n) => n === 1 ? new Response("bad gateway", { status: 502 }) : { ActionStatus: "FAIL", ErrorCode: 70001, ErrorInfo: "expired" });
    await rejects(() => client(mod, h.fetch).deleteConversation({ fromAccount: "u", conversation: c2c("x") }), (e) => {
      assert(e instanceof mod.TimAuthError && e.outcomeUnknown === true, `outcomeUnknown on ${e.name}: ${e.message}`);
      assert(e.message.includes("may or may not have been applied"), e.message);
    }, "502 then 70001");
    assertEqual(h.calls.length, 3, "sent, retried, re-signed");
  }],
  ["timeouts, attempt after attempt, of two lengths, and many at once: each attempt times out at its own (Node and Bun re-arm kept timers)", async (mod) => {
    let hang = false;
    const fetch = (url, init) =>
      hang
        ? new Promise((_, reject) => init.signal.addEventListener("abort", () => reject(init.signal.reason)))
        : Promise.resolve(new Response(JSON.stringify(OK)));
    const c = client(mod, fetch, { timeoutMs: 40, maxRetries: 0 });
    const del = { fromAccount: "u", conversation: c2c("p") };
    for (let round = 0; round < 3; round++) {
      hang = false;
      for (let i = 0; i < 5; i++) await c.deleteConversation(del);
      hang = true;
      await rejects(() => c.deleteConversation(del), (e) => assertEqual([e instanceof mod.TimTimeoutError, e.timeoutMs], [true, 40], "the client's length"), "a timeout");
      await rejects(() => c.deleteConversation(del, { timeoutMs: 25 }), (e) => assertEqual([e instanceof mod.TimTimeoutError, e.timeoutMs], [true, 25], "the call's length"), "a timeout");
      // More at once than are kept: every one ends.
      const all = await Promise.allSettled(Array.from({ length: 50 }, () => c.deleteConversation(del)));
      assert(all.every((r) => r.status === "rejected" && r.reason instanceof mod.TimTimeoutError), "all 50 time out");
    }
  }],
  ["observeRateAlert reads the alert once, names a bad or unreadable one by field, and with a rateLimiter reports no rate of its own", async (mod) => {
    const alert = { CallbackCommand: "Alert.RequestOverLimit", ServiceName: "recentcontact", Command: "get_list", Request: 170, Limit: 200 };
    const events = [];
    const own = client(mod, fakeFetch(() => OK).fetch, { maxRequestsPerSecond: 100, onEvent: (e) => events.push(e) });
    const reads = new Map();
    const counted = new Proxy(alert, { get: (t, k) => (reads.set(k, (reads.get(k) ?? 0) + 1), t[k]) });
    assertEqual(own.observeRateAlert(counted), true, "one of its commands");
    assert([...reads.values()].every((n) => n === 1) && reads.size === 5, `each member read once: ${JSON.stringify([...reads])}`);
    const [e] = events;
    assertEqual([e.type, e.command, e.request, e.limit], ["rate-alert", "get_list", 170, 200], "the event");
    assert(e.rate > 40 && e.rate <= 50, `the command's rate halved: ${e.rate}`);
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const throwing = new Proxy(alert, { get: (t, k) => { if (k === "Command") throw new Error("boom"); return t[k]; } });
    for (const [bad, field] of [[proxy, "alert"], [throwing, "alert.Command"], [[1], "alert"], [{ ...alert, Request: NaN }, "alert.Request"]]) {
      let thrown;
      try {
        own.observeRateAlert(bad);
      } catch (x) {
        thrown = x;
      }
      assert(thrown instanceof mod.TimValidationError && thrown.field === field, `${field}: ${thrown?.field} ${thrown?.message}`);
    }
    // A shared limiter does the pacing: the alert is taken, and no rate of the client's own is reported.
    events.length = 0;
    const shared = client(mod, fakeFetch(() => OK).fetch, { rateLimiter: { acquire() {} }, onEvent: (x) => events.push(x) });
    assertEqual(shared.observeRateAlert(alert), true, "taken");
    assertEqual([events.length, "rate" in events[0]], [1, false], "no rate of its own");
    assertEqual(shared.observeRateAlert({ ...alert, ServiceName: "openim" }), false, "another service's");
  }],
  ["assistFlags: sent as given on every page (15, the Chinese pages' value), 63 when not given, refused by name outside 0 to 63", async (mod) => {
    const f = fakeFetch((command, body) => ({
      ...OK,
      SessionItem: [{ Type: 1, To_Account: `p${body.StartIndex}`, MsgTime: 5, TopFlag: 0 }],
      CompleteFlag: body.StartIndex > 0 ? 1 : 0, TimeStamp: 1, StartIndex: body.StartIndex + 1, TopTimeStamp: 1, TopStartIndex: 0,
    }));
    const c = client(mod, f.fetch);
    const all = [];
    for await (const item of c.listConversations({ fromAccount: "u", assistFlags: 15 })) all.push(item.conversation.toAccount);
    assertEqual([all, f.calls.map((x) => x.body.AssistFlags)], [["p0", "p1"], [15, 15]], "every page");
    await c.listConversationsPage({ fromAccount: "u" });
    assertEqual(f.calls.at(-1).body.AssistFlags, 63, "63 when not given");
    for (const bad of [64, -1, 1.5, "15"]) {
      await rejects(() => c.listConversationsPage({ fromAccount: "u", assistFlags: bad }), (e) => assert(e instanceof mod.TimValidationError && e.field === "assistFlags", String(bad)), String(bad));
    }
    assertEqual(f.calls.length, 3, "nothing sent for a bad value");
  }],
  ["a complete read of exactly an edition's cap (100, 500) is a pull-cap event, 99 is none; an identifier outside the UserID form is a warning at construction", async (mod) => {
    const events = [];
    let n = 100;
    const people = (k) => Array.from({ length: k }, (_, i) => ({ Type: 1, To_Account: `p${i}`, MsgTime: 1_700_000_000 - i, TopFlag: 0 }));
    const f = fakeFetch(() => ({ ...OK, SessionItem: people(n), CompleteFlag: 1, TimeStamp: 0, StartIndex: 0, TopTimeStamp: 0, TopStartIndex: 0 }));
    const c = client(mod, f.fetch, { onEvent: (e) => events.push(e) });
    for (const k of [100, 99, 500]) {
      n = k;
      let seen = 0;
      for await (const _ of c.listConversations({ fromAccount: "u" })) seen++;
      assertEqual(seen, k, "all listed");
    }
    assertEqual(events.filter((e) => e.type === "pull-cap"), [{ type: "pull-cap", command: "get_list", count: 100 }, { type: "pull-cap", command: "get_list", count: 500 }], "100 and 500");
    const warned = [];
    client(mod, f.fetch, { identifier: "a@b", onEvent: (e) => warned.push(e) });
    client(mod, f.fetch, { identifier: "admin_1-x", onEvent: (e) => warned.push(e) });
    assertEqual(warned.map((e) => [e.type, e.field]), [["warning", "identifier"]], "one warning, for a@b");
  }],
  ["transport failures: HTTP, decode, network, timeout", async (mod) => {
    const params = { fromAccount: "u", groupName: "g", conversations: [] };
    const h = fakeFetch(() => new Response("<html>502</html>", { status: 502 }));
    await rejects(() => client(mod, h.fetch).createConversationGroup(params), (e) => {
      assert(e instanceof mod.TimHttpError, "TimHttpError");
      assertEqual([e.kind, e.status, e.retryable], ["http", 502, false], "fields");
      assert(e.url.includes("usersig=REDACTED"), "redacted url");
    }, "502");
    const d = fakeFetch(() => new Response("this is not json", { status: 200 }));
    await rejects(() => client(mod, d.fetch).createConversationGroup(params), (e) => {
      assert(e instanceof mod.TimDecodeError, "TimDecodeError");
      assertEqual([e.kind, e.command], ["decode", "v4/recentcontact/create_contact_group"], "fields");
    }, "decode");
    const original = new TypeError("connection refused");
    const failing = async () => { throw original; };
    await rejects(() => client(mod, failing, { maxRetries: 0 }).deleteConversation({ fromAccount: "u", conversation: c2c("x") }), (e) => {
      assert(e instanceof mod.TimNetworkError, "TimNetworkError");
      assertEqual([e.kind, e.retryable], ["network", true], "fields");
      assert(e.cause === original, "cause is the runtime's error");
    }, "network");
    let aborted = false;
    const slow = (url, init) => new Promise((_, reject) => {
      init.signal.addEventListener("abort", () => { aborted = true; reject(new Error("aborted")); });
    });
    const t0 = Date.now();
    await rejects(() => client(mod, slow, { timeoutMs: 50 }).createConversationGroup(params), (e) => {
      assert(e instanceof mod.TimTimeoutError, "TimTimeoutError");
      assertEqual([e.kind, e.timeoutMs, e.retryable], ["timeout", 50, false], "fields");
    }, "timeout");
    assert(aborted, "the request was aborted");
    assert(Date.now() - t0 < 5000, "gave up promptly");
    const deaf = () => new Promise(() => {});
    await rejects(() => client(mod, deaf, { timeoutMs: 30 }).createConversationGroup(params), (e) => {
      assert(e instanceof mod.TimTimeoutError, "timeout even if fetch ignores the signal");
    }, "deaf timeout");
  }],
  ["a body read in chunks: copied as each arrives (a chunk changed later changes nothing), grown past the scratch, never mixed between calls at once; a Proxy of bytes is refused", async (mod) => {
    const enc = new TextEncoder();
    const groups = (n, tag) => Array.from({ length: n }, (_, i) => ({ GroupName: `${tag}-${i}`, GroupId: i + 1 }));
    const answerOf = (n, tag) => enc.encode(JSON.stringify({ ...OK, ContactItem: [], GroupItem: groups(n, tag), CompleteFlag: 1 }));
    // A reader giving `bytes` in chunks of `size`, each a view into one
    // buffer that is overwritten once the next read is asked for.
    const chunked = (bytes, size, pause) => {
      let at = 0;
      let last = null;
      return {
        status: 200,
        body: {
          getReader: () => ({
            read: async () => {
              if (last) last.fill(0x7b);
              if (pause) await new Promise((r) => setTimeout(r, pause()));
              if (at >= bytes.length) return { done: true, value: undefined };
              last = bytes.slice(at, at + size);
              at += size;
              return { done: false, value: last };
            },
            cancel: async () => {},
          }),
        },
      };
    };
    const expected = (n, tag) => groups(n, tag).map((g) => ({ groupName: g.GroupName, groupId: g.GroupId }));
    // 1-byte chunks, then chunks of 1000 bytes through an answer of ~20 KB.
    for (const [n, size] of [[3, 1], [400, 1000]]) {
      const r = await client(mod, async () => chunked(answerOf(n, "one"), size)).getConversationGroups({ fromAccount: "u" });
      assertEqual(r.groups, expected(n, "one"), `${n} groups in chunks of ${size}`);
    }
    // Forty calls at once, each its own answer, their chunks interleaved.
    let k = 0;
    const many = await Promise.all(Array.from({ length: 40 }, (_, i) => {
      const bytes = answerOf(5 + (i % 7) * 40, `c${i}`);
      return client(mod, async () => chunked(bytes, 97 + i, () => (k++ * 7) % 5)).getConversationGroups({ fromAccount: "u" });
    }));
    many.forEach((r, i) => assertEqual(r.groups, expected(5 + (i % 7) * 40, `c${i}`), `call ${i} at once`));
    // A Proxy of a real Uint8Array passes instanceof but is not bytes.
    const proxied = { status: 200, body: { getReader: () => ({ read: async () => ({ done: false, value: new Proxy(answerOf(1, "p"), {}) }), cancel: async () => {} }) } };
    await rejects(() => client(mod, async () => proxied, { maxRetries: 0 }).getConversationGroups({ fromAccount: "u" }), (e) => {
      assert(e instanceof mod.TimNetworkError, "TimNetworkError");
      assert(String(e.cause?.message).includes("other than bytes"), "named as not bytes");
    }, "a Proxy of bytes");
  }],
  ["no error shows the secret key or a UserSig", async (mod) => {
    const sigs = [];
    const answers = [
      () => new Response("x", { status: 500 }),
      () => new Response("{}", { status: 200 }),
      () => ({ ActionStatus: "FAIL", ErrorCode: 70003, ErrorInfo: "bad sig" }),
      () => { throw new TypeError("reset"); },
      // As Deno does: the whole URL, UserSig included, in the message and the cause.
      (url) => { throw new TypeError(`fetch failed for ${url}`, { cause: new Error(`error sending request for url (${url})`) }); },
    ];
    let i = 0;
    const f = fakeFetch((command, body, url) => { sigs.push(url.searchParams.get("usersig")); return answers[i++](url.href); });
    const c = client(mod, f.fetch, { maxRetries: 0 });
    const errors = [];
    for (let k = 0; k < answers.length; k++) {
      errors.push(await rejects(() => c.deleteConversation({ fromAccount: "u", conversation: { type: "c2c", toAccount: "p" } }), () => {}, "fails"));
    }
    errors.push(await rejects(() => new mod.ConversationClient({ sdkAppId: 1, identifier: "a", secretKey: KEY, userSig: sigs[0] }), () => {}, "both"));
    errors.push(await rejects(() => mod.verifyUserSig({ sdkAppId: 1, secretKey: KEY, userSig: sigs[0] }), () => {}, "wrong app"));
    const last = errors[answers.length - 1];
    assert(last instanceof mod.TimNetworkError && last.message.includes("REDACTED"), `the quoted URL is redacted: ${last.message}`);
    assertEqual([last.cause.name, last.cause.cause.message.includes("usersig=REDACTED")], ["TypeError", true], "cause chain kept, redacted");
    for (const e of errors) {
      const chain = [e.cause, e.cause?.cause].filter(Boolean).map((c) => `${c.message ?? c} ${c.stack ?? ""}`);
      const text = [String(e), e.message, e.stack ?? "", JSON.stringify(e), JSON.stringify(Object.entries(e)), ...chain].join("\n");
      assert(!text.includes(KEY), `key leaked in ${e.name}`);
      for (const s of sigs) assert(!text.includes(s), `usersig leaked in ${e.name}`);
    }
  }],
  ["every region, Riyadh included, goes to its main domain and fails over to its backup", async (mod) => {
    const regions = {
      china: ["console.tim.qq.com", "adminapi.my-imcloud.com"],
      singapore: ["adminapisgp.im.qcloud.com", "adminapisgp.my-imcloud.com"],
      seoul: ["adminapikr.im.qcloud.com", "adminapikr.my-imcloud.com"],
      tokyo: ["adminapijpn.im.qcloud.com", "adminapijpn.my-imcloud.com"],
      frankfurt: ["adminapiger.im.qcloud.com", "adminapiger.my-imcloud.com"],
      mumbai: ["adminapiind.im.qcloud.com", "adminapiind.my-imcloud.com"],
      "silicon-valley": ["adminapiusa.im.qcloud.com", "adminapiusa.my-imcloud.com"],
      jakarta: ["adminapiidn.im.qcloud.com", "adminapiidn.my-imcloud.com"],
      riyadh: ["adminapiksa.im.qcloud.com", "adminapiksa.my-imcloud.com"],
    };
    for (const [region, hosts] of Object.entries(regions)) {
      const seen = [];
      const c = client(mod, async (url) => {
        seen.push(new URL(url).host);
        if (seen.length === 1) throw new TypeError("main domain down");
        return new Response(JSON.stringify(OK));
      }, { region });
      await c.deleteConversation({ fromAccount: "u", conversation: c2c("p") });
      assertEqual(seen, hosts, region);
    }
  }],
  ["per-call options, TimAbortError, onEvent and bulk", async (mod) => {
    const events = [];
    const f = fakeFetch(() => OK);
    const c = client(mod, f.fetch, { onEvent: (e) => events.push(e.type) });
    const del = { fromAccount: "u", conversation: c2c("p") };
    const reason = new Error("stop");
    await rejects(c.deleteConversation(del, { signal: AbortSignal.abort(reason) }), (e) => {
      assert(e instanceof mod.TimAbortError && e instanceof mod.TimError, "TimAbortError");
      assertEqual([e.kind, e.retryable, e.cause === reason], ["abort", false, true], "abort fields");
    }, "aborted");
    assertEqual(f.calls.length, 0, "an aborted signal sends nothing");
    const ac = new AbortController();
    await c.deleteConversation(del, { signal: ac.signal, timeoutMs: 500, maxRetries: 0 });
    assertEqual(events, ["request", "response"], "events");
    await rejects(c.deleteConversation(del, { timeoutMs: -1 }), (e) => assertEqual(e.field, "options.timeoutMs", "field"), "bad option");
    const report = await c.bulk([{ method: "deleteConversation", params: del }, { method: "nope", params: {} }]);
    assertEqual([report.total, report.succeeded, report.failed, report.results[1].error.field], [2, 1, 1, "operations[1].method"], "bulk report");
  }],
  ["userAgent, onResponse, logger and logLevel: the User-Agent sent, each answer's status and headers seen, events logged by level; bad ones named", async (mod) => {
    const del = { fromAccount: "u", conversation: c2c("p") };
    let n = 0;
    const f = fakeFetch(() => (++n === 1 ? new Response("busy", { status: 503, headers: { "x-request-id": "r1" } }) : OK));
    const plain = client(mod, f.fetch);
    await plain.deleteConversation(del);
    const ua = f.calls[0].init.headers["User-Agent"];
    assert(/^tim-recentcontact\/\d+\.\d+\.\d+$/.test(ua), `the package's own User-Agent: ${ua}`);
    const responses = [];
    const lines = [];
    const logger = {
      debug: (line) => lines.push(["debug", line]),
      info: (line) => lines.push(["info", line]),
      warn() {
        throw new Error("a logger that throws changes nothing");
      },
    };
    const events = [];
    n = 0;
    const c = client(mod, f.fetch, { userAgent: "my-app/1.2", onResponse: (r) => responses.push(r), logger, logLevel: "info", onEvent: (e) => events.push(e.type) });
    await c.deleteConversation(del);
    assertEqual(f.calls.at(-1).init.headers["User-Agent"], `${ua} my-app/1.2`, "userAgent appended");
    assertEqual(f.calls.at(-1).init.headers["Content-Type"], "application/json", "content type kept");
    assertEqual(responses.map((r) => [r.command, r.status, r.headers.get("x-request-id")]), [["delete", 503, "r1"], ["delete", 200, null]], "onResponse: every answer");
    assert(responses.every((r) => r.url.includes("usersig=REDACTED") && !r.url.includes(f.calls[0].url.searchParams.get("usersig")) && r.durationMs >= 0), "the url redacted");
    assertEqual(lines, [["info", "tim-recentcontact: retry delete"]], "info and up logged (debug left out; the failover went to warn, which threw)");
    assertEqual(events, ["request", "response", "failover", "retry", "request", "response"], "onEvent still told everything (the 503 fails over)");
    const base = { sdkAppId: APP, identifier: "a", secretKey: KEY };
    for (const [bad, field] of [[{ userAgent: "a\nb" }, "userAgent"], [{ userAgent: "" }, "userAgent"], [{ onResponse: "x" }, "onResponse"], [{ logger: "console" }, "logger"], [{ logLevel: "trace" }, "logLevel"], [{ useragent: "x" }, "useragent"]]) {
      let got;
      try {
        new mod.ConversationClient({ ...base, ...bad });
      } catch (e) {
        got = e;
      }
      assert(got instanceof mod.TimValidationError && got.field === field, `${JSON.stringify(bad)}: ${got?.message}`);
    }
    // A near miss of a JavaScript option is told that option; a key the
    // core reads never is.
    for (const [key, meant] of [["useragent", "userAgent"], ["onRespone", "onResponse"], ["loger", "logger"], ["logLvel", "logLevel"]]) {
      let got;
      try {
        new mod.ConversationClient({ ...base, [key]: 1 });
      } catch (e) {
        got = e;
      }
      assertEqual(got?.message, `invalid \`${key}\`: is not a known field; did you mean \`${meant}\`?`, key);
    }
    new mod.ConversationClient({ ...base, timeoutMs: 5, maxRetries: 1, maxPages: 2, maxItems: 3, onEvent: () => {}, reconcileOnAbort: true });
    let unknown;
    try {
      new mod.ConversationClient({ ...base, zzz: 1 });
    } catch (e) {
      unknown = e;
    }
    assert(/known: .*reconcileOnAbort, userAgent, onResponse, logger, logLevel\)$/.test(unknown.message), unknown.message);
  }],
  ["numeric options: each range's ends are taken by the core, and every wrong value of a field is told that same range", async (mod) => {
    const base = { sdkAppId: APP, identifier: "a", secretKey: KEY };
    for (const [field, min, max] of [["timeoutMs", 1, 2147483647], ["maxRetries", 0, 10], ["maxResponseBytes", 1024, 67108864], ["maxPages", 1, 10000000], ["maxItems", 1, 10000000]]) {
      new mod.ConversationClient({ ...base, [field]: min });
      new mod.ConversationClient({ ...base, [field]: max });
      new mod.ConversationClient({ ...base, [field]: null }); // null: the default, as before
      const told = new Set();
      for (const bad of [min - 1, max + 1, -1, min + 0.5, Number.NaN, "1", true]) {
        try {
          new mod.ConversationClient({ ...base, [field]: bad });
          assert(false, `${field}: ${bad} taken`);
        } catch (e) {
          assert(e instanceof mod.TimValidationError && e.field === field, `${field}: ${e.message}`);
          told.add(e.reason.replace(/, received .*$/, ""));
        }
      }
      assertEqual([...told], [`must be ${min} to ${max}${field === "timeoutMs" ? " milliseconds (the longest timer JavaScript keeps)" : ""}`], `${field}: one range told`);
    }
  }],
  ["rateLimiter: asked before every attempt, told of throttling, its wait aborted by the signal; a broken one loses no call", async (mod) => {
    const asked = [];
    let gate = null;
    const limiter = {
      acquire(command, options) {
        asked.push(["acquire", command, options.signal !== undefined]);
        if (gate) return gate(options);
      },
      penalize(command) {
        asked.push(["penalize", command]);
        throw new Error("ignored");
      },
    };
    const answers = [{ ActionStatus: "FAIL", ErrorCode: 60007, ErrorInfo: "too fast" }, OK];
    const f = fakeFetch(() => answers.shift() ?? OK);
    const events = [];
    const c = client(mod, f.fetch, { rateLimiter: limiter, onEvent: (e) => events.push(e) });
    await c.deleteConversation({ fromAccount: "u", conversation: c2c("a") });
    assertEqual(asked, [["acquire", "delete", false], ["penalize", "delete"], ["acquire", "delete", false]], "asked");
    const throttle = events.find((e) => e.type === "throttle");
    assert(throttle && throttle.code === 60007 && !("rate" in throttle), `throttle event ${JSON.stringify(throttle)}`);
    // A wait the limiter never ends is ended by the call's signal; nothing is sent.
    asked.length = 0;
    const sent = f.calls.length;
    gate = () => new Promise(() => {});
    const ac = new AbortController();
    const pending = c.deleteConversation({ fromAccount: "u", conversation: c2c("a") }, { signal: ac.signal });
    setTimeout(() => ac.abort(new Error("stop")), 5);
    await rejects(pending, (e) => assert(e instanceof mod.TimAbortError, `abort: ${e}`), "aborted wait");
    assertEqual(asked, [["acquire", "delete", true]], "the signal reached the limiter");
    assertEqual(f.calls.length, sent, "nothing sent");
    // A limiter that rejects: reported, and the call goes paced by the client's own pacer.
    gate = () => Promise.reject(new Error("store unreachable"));
    events.length = 0;
    await c.deleteConversation({ fromAccount: "u", conversation: c2c("a") });
    assertEqual(f.calls.length, sent + 1, "sent anyway");
    assertEqual(events.filter((e) => e.type === "limiter-error").map((e) => [e.command, e.message]), [["delete", "store unreachable"]], "limiter-error event");
  }],
  ["genUserSig and verifyUserSig", async (mod) => {
    const sig = mod.genUserSig({ sdkAppId: APP, secretKey: KEY, identifier: "u1", expireSeconds: 100, nowSeconds: 1000 });
    assertEqual(mod.verifyUserSig({ sdkAppId: APP, secretKey: KEY, userSig: sig, nowSeconds: 1050 }), { identifier: "u1", sdkAppId: APP, time: 1000, expire: 100 }, "info");
    for (const [p, code] of [
      [{ nowSeconds: 1101 }, 70001], [{ sdkAppId: APP + 1 }, 70014], [{ secretKey: "other" }, 70009], [{ userSig: "garbage" }, 70003],
    ]) {
      await rejects(() => mod.verifyUserSig({ sdkAppId: APP, secretKey: KEY, userSig: sig, nowSeconds: 1050, ...p }), (e) => {
        assert(e instanceof mod.TimAuthError, "TimAuthError");
        assertEqual(e.code, code, `code for ${JSON.stringify(p)}`);
      }, "verify");
    }
    await rejects(() => mod.genUserSig({ sdkAppId: APP, secretKey: "", identifier: "u", expireSeconds: 1 }), (e) => {
      assertEqual([e.kind, e.field], ["validation", "secretKey"], "gen validation");
    }, "gen");
  }],
  ["verifyUserSig: plain params (the argument lane) give exactly what the full path gives", async (mod) => {
    // An object without Object.prototype always takes the full path (JSON in,
    // serde's reading); the same fields in a plain object take the lane.
    const sig = mod.genUserSig({ sdkAppId: APP, secretKey: KEY, identifier: "u\"1\u00e9\ud83d\ude00", expireSeconds: 100, nowSeconds: 1000 });
    const outcome = (p) => {
      try {
        return ["ok", JSON.stringify(mod.verifyUserSig(p))];
      } catch (e) {
        return [e.name, e.code ?? e.field, e.message];
      }
    };
    const base = { sdkAppId: APP, secretKey: KEY, userSig: sig, nowSeconds: 1050 };
    const variants = [
      {},
      { nowSeconds: undefined },
      { nowSeconds: null },
      { nowSeconds: 0 },
      { nowSeconds: 1101 },
      { nowSeconds: 2 ** 53 - 1 },
      { nowSeconds: 2 ** 53 },
      { nowSeconds: -1 },
      { nowSeconds: 1050.5 },
      { nowSeconds: "1050" },
      { sdkAppId: 0 },
      { sdkAppId: -0 },
      { sdkAppId: 4294967295 },
      { sdkAppId: 4294967296 },
      { sdkAppId: -1 },
      { sdkAppId: APP + 0.5 },
      { sdkAppId: String(APP) },
      { sdkAppId: NaN },
      { secretKey: "" },
      { secretKey: "other" },
      { secretKey: 'q"uote\\back\nline\u0001' },
      { secretKey: "\ud800" },
      { secretKey: 7 },
      { userSig: "" },
      { userSig: "garbage" },
      { userSig: `${sig}\ud800` },
      { userSig: ` ${sig}` },
      { userSig: 5 },
      { extra: 1 },
      { toJSON: undefined },
    ];
    for (const v of variants) {
      const p = { ...base, ...v };
      const lane = outcome(p);
      const full = outcome(Object.assign(Object.create(null), p));
      assertEqual(lane, full, `verifyUserSig(${JSON.stringify(v)})`);
    }
    assertEqual(outcome(base)[0], "ok", "the base case verifies");
  }],
  ...mistakeCases,
  ...hostileCases,
  ...outcomeCases,
];

/** Runs every case; returns `[{ name, ok, error? }]` (used inside workerd). */
export async function runAll(mod) {
  const out = [];
  for (const [name, fn] of cases) {
    try {
      await fn(mod);
      out.push({ name, ok: true });
    } catch (e) {
      out.push({ name, ok: false, error: String(e && e.stack ? e.stack : e) });
    }
  }
  return out;
}
