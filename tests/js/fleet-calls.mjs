// What every fleet member does, in Node (fleet-member.mjs) and in workerd
// (tests/workerd/fleet-member.mjs): waits for the fleet's start, then makes
// `calls` deleteConversation calls, at most `concurrency` at once (default
// all of them), or one every `everyMs` (a light member, for fairness), and
// counts the outcomes: `{ ok, failed: { "Name code": n }, durationMs, p50Ms, p99Ms }`
// (p50/p99: how long a call took, start to answer).
export async function fireCalls(client, { member, calls, concurrency = calls, startAt, everyMs }) {
  await new Promise((r) => setTimeout(r, Math.max(0, startAt - Date.now())));
  const started = Date.now();
  let ok = 0;
  const failed = {};
  const took = [];
  async function call(i) {
    const t0 = Date.now();
    try {
      await client.deleteConversation({ fromAccount: `m${member}u${i % 50}`, conversation: { type: "c2c", toAccount: `peer${i}` } });
      ok++;
    } catch (e) {
      const key = `${e.name} ${e.code ?? ""}`.trim();
      failed[key] = (failed[key] ?? 0) + 1;
    }
    took.push(Date.now() - t0);
  }
  if (everyMs) {
    const all = [];
    for (let i = 0; i < calls; i++) {
      all.push(call(i));
      await new Promise((r) => setTimeout(r, everyMs));
    }
    await Promise.all(all);
  } else {
    let next = 0;
    const lane = async () => {
      while (next < calls) await call(next++);
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, calls) }, lane));
  }
  took.sort((a, b) => a - b);
  const at = (q) => took[Math.min(took.length - 1, Math.floor(q * took.length))] ?? 0;
  return { ok, failed, durationMs: Date.now() - started, p50Ms: at(0.5), p99Ms: at(0.99) };
}
