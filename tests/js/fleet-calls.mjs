// What every fleet member does, in Node (fleet-member.mjs) and in workerd
// (tests/workerd/fleet-member.mjs): waits for the fleet's start, then makes
// `calls` deleteConversation calls, at most `concurrency` at once (default
// all of them), and counts the outcomes: `{ ok, failed: { "Name code": n }, durationMs }`.
export async function fireCalls(client, { member, calls, concurrency = calls, startAt }) {
  await new Promise((r) => setTimeout(r, Math.max(0, startAt - Date.now())));
  const started = Date.now();
  let ok = 0;
  const failed = {};
  let next = 0;
  async function lane() {
    while (next < calls) {
      const i = next++;
      try {
        await client.deleteConversation({ fromAccount: `m${member}u${i % 50}`, conversation: { type: "c2c", toAccount: `peer${i}` } });
        ok++;
      } catch (e) {
        const key = `${e.name} ${e.code ?? ""}`.trim();
        failed[key] = (failed[key] ?? 0) + 1;
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, calls) }, lane));
  return { ok, failed, durationMs: Date.now() - started };
}
