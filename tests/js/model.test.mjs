// The model-based test of truthful outcomes (tests/js/model.mjs), bounded
// for every test run: ≥ 10,000 calls against two origins with faults and a
// second writer. `npm run fuzz` runs it long (MODEL_RUNS).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as mod from "tim-recentcontact";
import { checkModel, fastBackOff } from "./model.mjs";

test("truthful outcomes: ≥ 10,000 calls with lost answers, refused connections, a second writer and two origins — 0 false successes, 0 unflagged, 0 applied twice, 0 lost updates, 0 false alarms", async () => {
  const undo = fastBackOff();
  try {
    const runs = Number(process.env.MODEL_RUNS ?? 45);
    const counts = await checkModel(mod, { runs, minCalls: 225, maxCalls: 240 });
    console.log(`model: ${JSON.stringify(counts)}`);
    assert.ok(counts.operations >= 225 * runs); // ≥ 10,125 at the default 45 runs
    // The run saw what it is about.
    assert.ok(counts.flaggedUnknown > 0 && counts.readBack > 0 && counts.secondWriterWrites > 0 && counts.failovers > 0, JSON.stringify(counts));
    assert.ok(counts.resolved > 0 && counts.rejectedKnown > 0, "calls also succeed and fail plainly");
  } finally {
    undo();
  }
});
