// Per-call CPU of the package against the plain-JavaScript client
// (bench/plain-client.mjs; tests/js/plain-client.test.mjs proves it sends
// and returns what the package does). Both are answered at once by the same
// in-process fetch with an answer that fits the request (n conversations
// in, n results out). Each figure is the median, over 15 rounds, of the
// ratio of two back-to-back batches of ~20 ms each (package, plain; the
// order alternates), so drift in the machine's speed cancels out. (Batches
// of 3 ms, as before, moved a row by up to ±0.4 between runs: a GC pause or
// a timer landed whole on one side.) Run by `npm run bench`, or
// alone: `node bench/per-call.mjs`.
import { ConversationClient } from "tim-recentcontact";
import { PlainClient } from "./plain-client.mjs";

const c2c = (i) => ({ type: "c2c", toAccount: `user${i}` });
const people = (n) => Array.from({ length: n }, (_, i) => c2c(i));
const wireResult = (c, extra = {}) => ({ ...extra, ContactItem: { Type: 1, To_Account: c.toAccount }, ResultCode: 0, ResultInfo: "" });
const detail = (c, i) => ({
  Type: 1,
  To_Account: c.toAccount,
  MsgTime: 1_700_000_000 + i,
  TopFlag: i % 10 === 0 ? 1 : 0,
  StandardMark: "1011",
  CustomMark: `m${i}`,
  ContactGroupId: [1, 2],
  Timestamp: 1_700_000_000,
});
const groups = [1, 2, 3].map((id) => ({ GroupName: `g${id}`, GroupId: id }));

/** [label, method, params, answer, goal] for every method, single and 100-item. */
export function cases() {
  const one = people(1);
  const many = people(100);
  const marks = (list) => list.map((conversation) => ({ conversation, set: [1, 3], customMark: "x" }));
  return [
    ["deleteConversation", "deleteConversation", { fromAccount: "u", conversation: c2c(0) }, {}, 1.5],
    ["renameConversationGroup", "renameConversationGroup", { fromAccount: "u", groupName: "g", newGroupName: "h" }, { UpdateGroupResult: { GroupName: "h", GroupId: 1, OldGroupName: "g" } }, 1.5],
    ["deleteConversationGroup", "deleteConversationGroup", { fromAccount: "u", groupName: "g" }, { GroupItem: [{ GroupName: "g", GroupId: 1 }] }, 1.5],
    ...[one, many].map((list) => [`createConversationGroup (${list.length})`, "createConversationGroup", { fromAccount: "u", groupName: "g", conversations: list }, { GroupResultItem: [{ GroupItem: { GroupName: "g", GroupId: 1 }, ResultItem: list.map((c) => wireResult(c)) }] }, list.length > 1 ? 2.0 : 1.5]),
    ...[one, many].map((list) => [`updateConversationGroup (${list.length})`, "updateConversationGroup", { fromAccount: "u", groupName: "g", add: list }, { UpdateGroupResult: { GroupName: "g", GroupId: 1, ContactResultItem: list.map((c) => wireResult(c, { ContactOptType: 1 })) } }, list.length > 1 ? 2.0 : 1.5]),
    ...[one, many].map((list) => [`markConversations (${list.length})`, "markConversations", { fromAccount: "u", items: marks(list) }, { ResultItem: list.map((c) => wireResult(c)) }, list.length > 1 ? 2.0 : 1.5]),
    ...[one, many].map((list) => [`searchConversationGroups (${list.length})`, "searchConversationGroups", { fromAccount: "u", conversations: list }, { ContactResultItem: list.map(detail), GroupItem: groups }, list.length > 1 ? 2.0 : 1.5]),
    ...[one, many].map((list) => [`listConversationsPage (${list.length} answered)`, "listConversationsPage", { fromAccount: "u" }, { SessionItem: list.map(detail), CompleteFlag: 0, TimeStamp: 1_700_000_000, StartIndex: list.length, TopTimeStamp: 0, TopStartIndex: 0 }, list.length > 1 ? 2.0 : 1.5]),
    ...[one, many].map((list) => [`getConversationGroupsPage (${list.length} answered)`, "getConversationGroupsPage", { fromAccount: "u" }, { ContactItem: list.map(detail), GroupItem: groups, CompleteFlag: 0, NextStartIndex: list.length }, list.length > 1 ? 2.0 : 1.5]),
    [`getConversationGroups (100 answered)`, "getConversationGroups", { fromAccount: "u" }, { ContactItem: many.map(detail), GroupItem: groups, CompleteFlag: 1 }, 2.0],
  ];
}

const FAIL = JSON.stringify({ ActionStatus: "FAIL", ErrorCode: 51009, ErrorInfo: "no such group" });

async function batch(fn, n) {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn();
  return performance.now() - t0;
}

/** Median over rounds of time(a) / time(b), batches back to back. */
export async function ratio(a, b, { rounds = 15, n = 60 } = {}) {
  await batch(a, 3 * n);
  await batch(b, 3 * n);
  const ratios = [];
  for (let r = 0; r < rounds; r++) {
    if (r % 2) {
      const tb = await batch(b, n);
      ratios.push((await batch(a, n)) / tb);
    } else {
      const ta = await batch(a, n);
      ratios.push(ta / (await batch(b, n)));
    }
  }
  return ratios.sort((x, y) => x - y)[rounds >> 1];
}

/** Every figure: [label, ratio, goal]. */
export async function perCall() {
  let answer = "";
  const fetch = async () => new Response(answer);
  const opts = { sdkAppId: 1400000000, identifier: "admin", secretKey: "k", baseUrl: "http://127.0.0.1:1", fetch };
  const ours = new ConversationClient({ ...opts, maxRequestsPerSecond: 1e12, maxRetries: 0 });
  const plain = new PlainClient(opts);
  const rows = [];
  for (const [label, method, params, value, goal] of cases()) {
    answer = JSON.stringify({ ...value, ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" });
    // Batches of ~20 ms (GC pauses and timer jitter average out inside one).
    const n = label.includes("100") ? 80 : 600;
    rows.push([label, await ratio(() => ours[method](params), () => plain[method](params), { n }), goal]);
  }
  answer = FAIL;
  const fail = (c) => async () => {
    try {
      await c.deleteConversationGroup({ fromAccount: "u", groupName: "g" });
    } catch {}
  };
  rows.push(["a call that fails with TimApiError", await ratio(fail(ours), fail(plain), { n: 600 }), 2.0]);
  const refused = (c) => async () => {
    try {
      await c.deleteConversation({ fromAccount: "u", conversation: { type: "c2c", toAccount: "" } });
    } catch {}
  };
  rows.push(["a call refused with TimValidationError", await ratio(refused(ours), refused(plain), { n: 600 }), 2.0]);
  return rows;
}

/**
 * The CPU ceiling of one core: markConversations with 100 items, 200 calls
 * fired together and awaited, calls per second of the package over the
 * plain client's (median of 31 rounds, as `ratio`: with 9, three runs in
 * one process gave 0.61, 0.87 and 0.76). Goal: at least 0.7.
 */
export async function ceiling() {
  const list = people(100).map((conversation) => ({ conversation, set: [1, 3], customMark: "x" }));
  const answer = JSON.stringify({ ResultItem: list.map((m) => wireResult(m.conversation)), ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" });
  const fetch = async () => new Response(answer);
  const opts = { sdkAppId: 1400000000, identifier: "admin", secretKey: "k", baseUrl: "http://127.0.0.1:1", fetch };
  const ours = new ConversationClient({ ...opts, maxRequestsPerSecond: 1e12, maxRetries: 0 });
  const plain = new PlainClient(opts);
  const params = { fromAccount: "u", items: list };
  const crowd = (c) => () => Promise.all(Array.from({ length: 200 }, () => c.markConversations(params)));
  // Time ratio plain / ours is the calls-per-second ratio ours / plain.
  return 1 / (await ratio(crowd(ours), crowd(plain), { rounds: 31, n: 1 }));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const [label, r, goal] of await perCall()) {
    console.log(`  ${label.padEnd(56)} ${r.toFixed(2)}x   goal <= ${goal.toFixed(1)}x${r <= goal ? "" : "   (not met)"}`);
  }
  const c = await ceiling();
  console.log(`  ${"CPU ceiling, markConversations (100), calls/s vs plain".padEnd(56)} ${c.toFixed(2)}x   goal >= 0.7x${c >= 0.7 ? "" : "   (not met)"}`);
}
