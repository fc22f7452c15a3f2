// Real workloads in Node: the pacer never causes a 60007, per-call options
// and aborts at every stage, events, failover, reconciliation of ambiguous
// writes, bulk work, and a fault-injection run checked against a model.
import { test } from "node:test";
import assert from "node:assert/strict";
import { getEventListeners } from "node:events";
import * as mod from "tim-recentcontact";
import { createEmulator, FAULT_KINDS } from "tim-recentcontact/emulator";
import { crowd, faultRun, mostInWindow } from "./workloads.mjs";

const unhandled = [];
process.on("unhandledRejection", (r) => unhandled.push(r));

const del = (i = 0) => ({ fromAccount: "u1", conversation: { type: "c2c", toAccount: `p${i}` } });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function setup(emulatorOptions = {}, clientOptions = {}) {
  const emulator = createEmulator({ recordRequests: true, ...emulatorOptions });
  const events = [];
  const client = new mod.ConversationClient({
    ...emulator.credentials,
    baseUrl: "http://127.0.0.1:9",
    fetch: emulator.fetch,
    onEvent: (e) => events.push(e),
    ...clientOptions,
  });
  return { emulator, client, events };
}

/** Faults for the next request only: `kind`, then none. */
function faultOnce(kind) {
  let n = 0;
  return { rate: 0.5, kinds: [kind], random: () => (n++ === 0 ? 0 : 0.9) };
}

test("1,000 calls fired together with default options: ≤ 200 in any second at the service, no 60007 (the rate is npm run bench's)", async () => {
  const { emulator, client, events } = setup({ latencyMs: 20 });
  const r = await crowd(client, emulator, 1000);
  console.log(`crowd of 1000: ${JSON.stringify(r)}`);
  assert.equal(r.rejected, 0);
  assert.equal(r.throttled, 0, "no throttled answer");
  assert.ok(r.mostInAnySecond <= 200, `${r.mostInAnySecond} in one second`);
  assert.equal(events.filter((e) => e.type === "throttle").length, 0);
  // Commands keep separate budgets: two commands at once each get their own 195/s.
  const both = emulator.requestLog.length;
  await Promise.all([
    crowd(client, emulator, 300),
    Promise.all(Array.from({ length: 300 }, (_, i) => client.deleteConversationGroup({ fromAccount: `x${i}`, groupName: "none" }).catch((e) => e))),
  ]);
  const log = emulator.requestLog.slice(both);
  for (const command of ["delete", "del_contact_group"]) {
    const times = log.filter((x) => x.command === command).map((x) => x.at);
    assert.equal(times.length, 300);
    assert.ok(mostInWindow(times) <= 200);
  }
  assert.ok(Math.max(...log.map((x) => x.at)) - Math.min(...log.map((x) => x.at)) < 2500, "run side by side, not one after the other");
  assert.equal(log.filter((x) => x.code === 60007).length, 0);
});

test("a 60007 still slows the client down, and it recovers", async () => {
  // Another process takes half the budget: the emulator allows 100 a second.
  const { emulator, client, events } = setup({ ratePerSecond: 100 }, { maxRetries: 5 });
  const results = await Promise.allSettled(Array.from({ length: 400 }, (_, i) => client.deleteConversation(del(i))));
  assert.equal(results.filter((r) => r.status === "rejected").length, 0, "every call got through in the end");
  const throttles = events.filter((e) => e.type === "throttle");
  assert.ok(throttles.length > 0, "throttling was reported");
  assert.ok(throttles.every((t) => t.code === 60007 && t.rate < 195));
  // Recovery: after a pause, calls run at the full rate again.
  await sleep(1100);
  const before = events.length;
  await Promise.all(Array.from({ length: 60 }, (_, i) => client.deleteConversation(del(i))));
  assert.equal(events.slice(before).filter((e) => e.type === "throttle").length, 0);
  assert.ok(emulator.requestLog.length >= 460);
});

test("abort: an aborted signal sends nothing; queued, backing off and in flight calls stop with TimAbortError and the signal's reason", async () => {
  let calls = 0;
  const ok = async () => {
    calls += 1;
    return new Response('{"ActionStatus":"OK","ErrorCode":0}');
  };
  const base = { sdkAppId: 1400000000, identifier: "administrator", secretKey: "k", baseUrl: "http://127.0.0.1:9" };
  const reason = new Error("user gave up");

  // Already aborted.
  const c1 = new mod.ConversationClient({ ...base, fetch: ok });
  await assert.rejects(c1.deleteConversation(del(), { signal: AbortSignal.abort(reason) }), (e) => {
    assert.ok(e instanceof mod.TimAbortError && e instanceof mod.TimError);
    assert.equal(e.kind, "abort");
    assert.equal(e.retryable, false);
    assert.equal(e.cause, reason);
    return true;
  });
  assert.equal(calls, 0, "nothing sent");

  // Queued behind the pacer (1 call a second): aborted, and its place is given back.
  const c2 = new mod.ConversationClient({ ...base, fetch: ok, maxRequestsPerSecond: 1 });
  const sentAt = [];
  const timed = new mod.ConversationClient({ ...base, maxRequestsPerSecond: 1, fetch: async () => (sentAt.push(Date.now()), new Response('{"ActionStatus":"OK","ErrorCode":0}')) });
  await timed.deleteConversation(del());
  const ac = new AbortController();
  const queued = timed.deleteConversation(del(), { signal: ac.signal });
  setTimeout(() => ac.abort(reason), 50);
  await assert.rejects(queued, (e) => e.kind === "abort" && e.cause === reason);
  await timed.deleteConversation(del());
  assert.equal(sentAt.length, 2, "the aborted call was never sent");
  assert.ok(sentAt[1] - sentAt[0] < 1600, `the next call took the freed place (${sentAt[1] - sentAt[0]} ms after the first; 2050 without it)`);

  // Backing off after a transient answer.
  let backoffCalls = 0;
  const c3 = new mod.ConversationClient({ ...base, fetch: async () => (backoffCalls++, new Response('{"ActionStatus":"FAIL","ErrorCode":50004}')) });
  const ac3 = new AbortController();
  const p3 = c3.deleteConversation(del(), { signal: ac3.signal });
  setTimeout(() => ac3.abort(reason), 100);
  await assert.rejects(p3, (e) => e.kind === "abort");
  assert.equal(backoffCalls, 1, "aborted during the back-off, not resent");

  // In flight: the fetch's own signal is aborted.
  let seenSignal;
  const c4 = new mod.ConversationClient({ ...base, fetch: (_u, init) => ((seenSignal = init.signal), new Promise((_, rej) => init.signal.addEventListener("abort", () => rej(init.signal.reason)))) });
  const ac4 = new AbortController();
  const p4 = c4.createConversationGroup({ fromAccount: "u", groupName: "g", conversations: [] }, { signal: ac4.signal });
  setTimeout(() => ac4.abort(reason), 50);
  await assert.rejects(p4, (e) => e.kind === "abort" && e.cause === reason);
  assert.equal(seenSignal.aborted, true, "the request itself was aborted");

  // A signal shared by many calls carries one listener while they run, none after.
  const shared = new AbortController();
  const many = Promise.all(Array.from({ length: 500 }, () => c1.deleteConversation(del(), { signal: shared.signal })));
  await sleep(50);
  assert.equal(getEventListeners(shared.signal, "abort").length, 1);
  await many;
  assert.equal(getEventListeners(shared.signal, "abort").length, 0);
  // Aborting it stops every call that shares it.
  const shared2 = new AbortController();
  const all = Array.from({ length: 50 }, () => c2.deleteConversation(del(), { signal: shared2.signal }).catch((e) => e.kind));
  await sleep(20);
  shared2.abort(reason);
  const kinds = await Promise.all(all);
  assert.ok(kinds.filter((k) => k === "abort").length >= 40, kinds.join());

  // Per-call timeoutMs and maxRetries; a wrong option is a TimValidationError.
  let n = 0;
  const c5 = new mod.ConversationClient({ ...base, fetch: (_u, init) => (n++, new Promise((_, rej) => init.signal.addEventListener("abort", () => rej(init.signal.reason)))) });
  await assert.rejects(c5.deleteConversation(del(), { timeoutMs: 30, maxRetries: 0 }), (e) => e.kind === "timeout" && e.timeoutMs === 30);
  assert.equal(n, 1);
  for (const [options, field] of [[{ timeoutMs: 0 }, "options.timeoutMs"], [{ maxRetries: 99 }, "options.maxRetries"], [{ signal: "no" }, "options.signal"], [{ sigal: 1 }, "options.sigal"]]) {
    await assert.rejects(c5.deleteConversation(del(), options), (e) => e instanceof mod.TimValidationError && e.field === field);
  }
});

test("events: request, response, retry, throttle, failover, reconcile — never a secret; a throwing or rejecting listener changes nothing", async () => {
  const emulator = createEmulator({ recordRequests: true });
  const main = await emulator.listen({ stopAfterMs: 30_000 });
  const backup = await emulator.listen({ stopAfterMs: 30_000 });
  try {
    const events = [];
    let throwNext = true;
    const client = new mod.ConversationClient({
      ...emulator.credentials,
      baseUrl: [main.url, backup.url],
      onEvent(e) {
        events.push(e);
        throwNext = !throwNext;
        if (throwNext) throw new Error("listener bug");
        return Promise.reject(new Error("async listener bug"));
      },
    });
    emulator.setFaults(faultOnce("60007"));
    await client.deleteConversation(del());
    emulator.setDown(main.url);
    // The main origin drops the connection once the request is in: the
    // create may have landed there, so it is never sent to the backup; the
    // read-back asks the main origin too, and gets nothing.
    await assert.rejects(
      client.createConversationGroup({ fromAccount: "u1", groupName: "g", conversations: [{ type: "c2c", toAccount: "p" }] }),
      (e) => e.outcomeUnknown === true && e.readBack === undefined && e.retryable === false,
    );
    assert.deepEqual(emulator.state("u1").groups, [], "never sent to the backup");
    // A read goes to the backup, where the failover sent the client.
    await client.getConversationGroups({ fromAccount: "u1" });
    const types = new Set(events.map((e) => e.type));
    for (const t of ["request", "response", "retry", "throttle", "failover", "reconcile"]) assert.ok(types.has(t), `a ${t} event`);
    const failover = events.find((e) => e.type === "failover");
    assert.deepEqual([failover.from, failover.to, failover.command], [main.url, backup.url, "create_contact_group"]);
    const reconcile = events.find((e) => e.type === "reconcile");
    assert.deepEqual([reconcile.command, reconcile.outcome, reconcile.read, reconcile.looksApplied], ["create_contact_group", "unknown", false, null]);
    assert.ok(events.filter((e) => e.type === "request").every((e) => /usersig=REDACTED/.test(e.url)));
    const text = JSON.stringify(events);
    assert.ok(!text.includes(emulator.credentials.secretKey));
    assert.ok(!/usersig=(?!REDACTED)/.test(text));
    await sleep(20);
    assert.equal(unhandled.length, 0, "a rejecting listener leaves no unhandled rejection");
    // It stays on the backup (the cool-down is a minute).
    const from = emulator.requestLog.length;
    await client.deleteConversation(del());
    assert.equal(emulator.requestLog.slice(from)[0].origin, backup.url);
  } finally {
    await Promise.all([main.close(), backup.close()]);
  }
});

test("an ambiguous write is never sent again: it rejects as of unknown outcome, with what the read-back saw", async () => {
  const { emulator, client } = setup({}, { timeoutMs: 200 });
  const conv = [{ type: "c2c", toAccount: "p" }];
  const unknown = (looksApplied, groups) => (e) => {
    assert.ok(e instanceof mod.TimError, String(e));
    assert.deepEqual([e.outcomeUnknown, e.retryable], [true, false], e.message);
    assert.match(e.message, /may or may not have been applied/);
    assert.equal(e.readBack.looksApplied, looksApplied, e.message);
    assert.deepEqual(e.readBack.groups.map((g) => g.groupName), groups);
    return true;
  };
  for (const kind of ["reset-after", "hang-after", "502-after", "50004-after"]) {
    emulator.reset();
    emulator.setFaults(faultOnce(kind));
    await assert.rejects(client.createConversationGroup({ fromAccount: "u", groupName: "g", conversations: conv }), unknown(true, ["g"]));
    assert.equal(emulator.state("u").groups.length, 1, `${kind}: applied once`);
  }
  for (const kind of ["reset-before", "hang-before", "502-before", "50004-before"]) {
    emulator.reset();
    emulator.setFaults(faultOnce(kind));
    await assert.rejects(client.createConversationGroup({ fromAccount: "u", groupName: "g", conversations: conv }), unknown(false, []));
    assert.equal(emulator.state("u").groups.length, 0, `${kind}: not sent again`);
  }
  await client.createConversationGroup({ fromAccount: "u", groupName: "g", conversations: conv });
  emulator.setFaults(faultOnce("reset-after"));
  await assert.rejects(client.renameConversationGroup({ fromAccount: "u", groupName: "g", newGroupName: "h" }), unknown(true, ["h"]));
  emulator.setFaults(faultOnce("hang-after"));
  await assert.rejects(client.updateConversationGroup({ fromAccount: "u", groupName: "h", add: [{ type: "c2c", toAccount: "q" }] }), (e) => {
    unknown(true, ["h"])(e);
    assert.deepEqual(e.readBack.conversations.map((c) => [c.conversation.toAccount, c.groupIds.length]), [["q", 1]]);
    return true;
  });
  emulator.setFaults(faultOnce("502-before"));
  await assert.rejects(client.markConversations({ fromAccount: "u", items: [{ conversation: conv[0], set: [40] }] }), unknown(false, []));
  emulator.setFaults(faultOnce("502-after"));
  await assert.rejects(client.deleteConversationGroup({ fromAccount: "u", groupName: "h" }), unknown(true, []));
  assert.equal(emulator.state("u").groups.length, 0);
  // When the state cannot be read back either: still unknown, no readBack.
  emulator.setFaults({ rate: 1, kinds: ["reset-before"] });
  const lost = new mod.ConversationClient({ ...emulator.credentials, baseUrl: "http://127.0.0.1:9", fetch: emulator.fetch, maxRetries: 0 });
  await assert.rejects(lost.createConversationGroup({ fromAccount: "u", groupName: "z", conversations: [] }), (e) => {
    assert.ok(e instanceof mod.TimNetworkError);
    assert.deepEqual([e.retryable, e.outcomeUnknown, e.readBack], [false, true, undefined]);
    return true;
  });
});

test("bulk: 5,000 conversations into a group in calls of 100, 1,000 marks, progress, a failure that does not stop the rest, abort", async () => {
  const { emulator, client } = setup({ ratePerSecond: 1e6 }, { maxRequestsPerSecond: 1e6 });
  // 5,000 exceeds the service's 1,000 grouped conversations: the later calls fail (51008) and are reported.
  await client.createConversationGroup({ fromAccount: "u", groupName: "big", conversations: [] });
  const add = Array.from({ length: 5000 }, (_, i) => ({ type: "c2c", toAccount: `m${i}` }));
  const items = Array.from({ length: 1000 }, (_, i) => ({ conversation: { type: "c2c", toAccount: `k${i}` }, set: [40] }));
  const progress = [];
  const report = await client.bulk(
    [
      { method: "updateConversationGroup", params: { fromAccount: "u", groupName: "big", add } },
      { method: "markConversations", params: { fromAccount: "v", items } },
      { method: "deleteConversationGroup", params: { fromAccount: "u", groupName: "no such group" } },
      { method: "noSuchMethod", params: {} },
      ...Array.from({ length: 200 }, (_, i) => ({ method: "deleteConversation", params: del(i) })),
    ],
    { concurrency: 8, onProgress: (p) => progress.push(p), progressIntervalMs: 10 },
  );
  assert.equal(report.total, 204);
  assert.equal(report.results.length, 204, "every operation has an outcome");
  const [update, marks, missing, unknown] = report.results;
  assert.equal(update.status, "failed");
  assert.equal(update.error.code, 51008);
  assert.equal(update.calls, 11, "10 calls of 100 fit, the 11th is refused");
  assert.equal(update.partial.results.length, 1000);
  assert.equal(emulator.state("u").groups[0].conversations.length, 1000);
  assert.equal(marks.status, "ok");
  assert.equal(marks.calls, 10);
  assert.equal(marks.value.results.length, 1000);
  assert.equal(emulator.state("v").marks.length, 1000);
  assert.deepEqual([missing.status, missing.error.code], ["failed", 51009]);
  assert.deepEqual([unknown.status, unknown.error.kind, unknown.error.field], ["failed", "validation", "operations[3].method"]);
  assert.equal(report.succeeded, 201);
  assert.equal(report.failed, 3);
  const last = progress.at(-1);
  assert.deepEqual([last.final, last.done, last.total, last.failed, last.etaMs], [true, 204, 204, 3, 0]);
  assert.ok(progress.length >= 2 && progress.every((p) => typeof p.callsPerSecond === "number"));

  // Abort part-way: what ran is reported, the rest is "aborted".
  const ac = new AbortController();
  const slow = new mod.ConversationClient({ ...emulator.credentials, baseUrl: "http://127.0.0.1:9", fetch: emulator.fetch, maxRequestsPerSecond: 50 });
  setTimeout(() => ac.abort(new Error("stop")), 300);
  const partial = await slow.bulk(Array.from({ length: 200 }, (_, i) => ({ method: "deleteConversation", params: del(i) })), { signal: ac.signal });
  assert.equal(partial.results.length, 200);
  assert.ok(partial.succeeded > 0 && partial.aborted > 0, JSON.stringify({ ok: partial.succeeded, aborted: partial.aborted }));
  assert.equal(partial.succeeded + partial.aborted + partial.failed, 200);
  assert.ok(partial.results.filter((r) => r.status === "aborted").every((r) => r.error.kind === "abort"));
});

test(`fault injection: 10,000 mixed operations over 100 users with 10 % faults of every kind (${FAULT_KINDS.length} kinds) — 0 lost, 0 applied but reported failed, every ambiguous write flagged`, async () => {
  const emulator = createEmulator({ faults: { rate: 0.1 } });
  const client = new mod.ConversationClient({ ...emulator.credentials, baseUrl: "http://127.0.0.1:9", fetch: emulator.fetch, timeoutMs: 300, maxRetries: 5 });
  let timer;
  const hang = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error("the run hung")), 600_000);
  });
  const { counts, problems } = await Promise.race([faultRun(mod, client, emulator, { users: 100, perUser: 100 }), hang]);
  clearTimeout(timer);
  console.log(`fault run: ${JSON.stringify(counts)}`);
  assert.equal(counts.operations, 10_000);
  assert.deepEqual(problems, []);
  assert.equal(counts.lost, 0, "resolved but not applied");
  assert.equal(counts.appliedButRejected, 0, "applied (or applied twice) but reported as failed");
  assert.equal(counts.untyped, 0);
  // About 8 in 10 fault kinds leave a write in doubt: those are flagged, read back, never resent.
  // The read-back is a read under the same faults: it may fail (then no readBack), rarely.
  assert.ok(counts.ambiguous > 0 && counts.readBack <= counts.readBackExpected && counts.readBack >= 0.9 * counts.readBackExpected, JSON.stringify(counts));
  await sleep(20);
  assert.equal(unhandled.length, 0);
});
