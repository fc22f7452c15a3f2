// Real workloads, shared by the tests (node --test) and the bench: the
// pacer's window property on recorded arrival times, and a fault-injection
// run of many mixed operations checked against a model of the state.

/** Most entries of sorted `times` in any half-open window of `windowMs`. */
export function mostInWindow(times, windowMs = 1000) {
  const t = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let start = 0, end = 0; end < t.length; end++) {
    while (t[end] - t[start] >= windowMs) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

/**
 * Fires `n` deleteConversation calls together through `client` against
 * `emulator` (recordRequests on) and measures what reached it.
 */
export async function crowd(client, emulator, n, command = "delete") {
  const from = emulator.requestLog.length;
  const started = Date.now();
  const outcomes = await Promise.allSettled(
    Array.from({ length: n }, (_, i) => client.deleteConversation({ fromAccount: `crowd${i % 50}`, conversation: { type: "c2c", toAccount: `p${i}` } })),
  );
  const wall = Date.now() - started;
  const a = arrivals(emulator.requestLog.slice(from), command);
  return {
    calls: n,
    rejected: outcomes.filter((o) => o.status === "rejected").length,
    arrivals: a.requests,
    throttled: a.throttled,
    mostInAnySecond: a.peak,
    okPerSecond: a.callsPerSecond,
    wallMs: wall,
  };
}

/**
 * What reached the emulator for `command`, from its log (recordRequests
 * on): requests, accepted (code 0), throttled (60007), the most in any
 * second, the rate between the first and the last success by the
 * emulator's own clock, and the sorted arrival times.
 */
export function arrivals(log, command = "delete") {
  const mine = log.filter((r) => r.command === command);
  const times = mine.map((r) => r.at).sort((a, b) => a - b);
  const accepted = mine.filter((r) => r.code === 0).map((r) => r.at).sort((a, b) => a - b);
  const spanMs = accepted.length > 1 ? accepted.at(-1) - accepted[0] : 0;
  return {
    requests: mine.length,
    accepted: accepted.length,
    throttled: mine.filter((r) => r.code === 60007).length,
    peak: mostInWindow(times),
    callsPerSecond: spanMs > 0 ? ((accepted.length - 1) * 1000) / spanMs : 0,
    times,
  };
}

const c2c = (toAccount) => ({ type: "c2c", toAccount });
const key = (c) => `${c.type}:${c.toAccount ?? c.toGroupId}`;

/** The part of a user's emulator state the fault run's operations change. */
function observed(state) {
  const groups = Object.fromEntries(state.groups.map((g) => [g.groupName, g.conversations.map(key).sort()]));
  const marks = Object.fromEntries(state.marks.map((m) => [key(m.conversation), m.standardMarks]));
  return JSON.stringify({ groups: Object.fromEntries(Object.entries(groups).sort()), marks: Object.fromEntries(Object.entries(marks).sort()) });
}

/** The operation number `i` of a user's script, with its effect on the model. */
function operation(i) {
  const k = Math.floor(i / 6);
  const g = `g${k}`;
  const h = `h${k}`;
  switch (i % 6) {
    case 0:
      return ["createConversationGroup", { groupName: g, conversations: [c2c(`a${k}`), c2c(`b${k}`)] }, (m) => m.groups.set(g, new Set([`c2c:a${k}`, `c2c:b${k}`]))];
    case 1:
      return ["updateConversationGroup", { groupName: g, add: [c2c(`c${k}`)], remove: [c2c(`a${k}`)] }, (m) => {
        const s = m.groups.get(g);
        s.add(`c2c:c${k}`);
        s.delete(`c2c:a${k}`);
      }];
    case 2:
      return ["renameConversationGroup", { groupName: g, newGroupName: h }, (m) => {
        m.groups.set(h, m.groups.get(g));
        m.groups.delete(g);
      }];
    case 3:
      return ["markConversations", { items: [{ conversation: c2c(`b${k}`), set: [40] }] }, (m) => m.marks.set(`c2c:b${k}`, [40])];
    case 4:
      return ["deleteConversation", { conversation: c2c(`x${k}`) }, () => {}];
    default:
      return ["deleteConversationGroup", { groupName: h }, (m) => m.groups.delete(h)];
  }
}

function modelText(m) {
  const groups = Object.fromEntries([...m.groups].map(([n, s]) => [n, [...s].sort()]).sort());
  const marks = Object.fromEntries([...m.marks].sort());
  return JSON.stringify({ groups, marks });
}

function modelFrom(state) {
  return {
    groups: new Map(state.groups.map((g) => [g.groupName, new Set(g.conversations.map(key))])),
    marks: new Map(state.marks.map((m) => [key(m.conversation), m.standardMarks])),
  };
}

/**
 * Runs `users` × `perUser` operations (each user's in order, users in
 * parallel) and checks each against the emulator's state: a resolved
 * operation must show, a rejected one must not (unless it says its outcome
 * is unknown). Returns the counts.
 */
export async function faultRun(mod, client, emulator, { users = 100, perUser = 100 } = {}) {
  const counts = { operations: 0, resolved: 0, rejectedKnown: 0, lost: 0, appliedButRejected: 0, ambiguous: 0, untyped: 0, readBackExpected: 0, readBack: 0, byKind: {} };
  const problems = [];
  async function runUser(u) {
    const user = `user${u}`;
    const model = { groups: new Map(), marks: new Map() };
    for (let i = 0; i < perUser; i++) {
      const [method, params, apply] = operation(i);
      counts.operations += 1;
      try {
        const r = await client[method]({ fromAccount: user, ...params });
        counts.resolved += 1;
        apply(model);
        if (observed(emulator.state(user)) !== modelText(model)) {
          counts.lost += 1;
          problems.push(`${user} #${i} ${method} resolved but the state differs: ${observed(emulator.state(user))} vs ${modelText(model)}`);
          Object.assign(model, modelFrom(emulator.state(user)));
        }
      } catch (e) {
        if (!(e instanceof mod.TimError) || typeof e.kind !== "string" || !e.message) {
          counts.untyped += 1;
          problems.push(`${user} #${i} ${method}: untyped ${e}`);
        }
        counts.byKind[e?.kind] = (counts.byKind[e?.kind] ?? 0) + 1;
        if (e?.outcomeUnknown) {
          counts.ambiguous += 1;
          // A group or mark write is read back (deleteConversation is simply retried).
          if (method !== "deleteConversation") counts.readBackExpected += 1;
          if (e.readBack && typeof e.readBack.looksApplied !== "undefined") counts.readBack += 1;
          Object.assign(model, modelFrom(emulator.state(user)));
        } else {
          counts.rejectedKnown += 1;
          if (observed(emulator.state(user)) !== modelText(model)) {
            counts.appliedButRejected += 1;
            problems.push(`${user} #${i} ${method} rejected (${e?.kind} ${e?.code ?? ""} ${e?.message}) but applied`);
            Object.assign(model, modelFrom(emulator.state(user)));
          }
        }
      }
    }
  }
  await Promise.all(Array.from({ length: users }, (_, u) => runUser(u)));
  return { counts, problems };
}
