// lib/results.js against the core's two forms of the same results
// (tests/fixtures/tapes.json, checked against the writer by the Rust test
// json_out::tapes_for_javascript_match_the_fixture_the_js_reader_is_tested_on):
// the tape it reads makes exactly the keyed value.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { readResult } from "../../pkg-template/lib/results.js";

const cases = JSON.parse(readFileSync(new URL("../fixtures/tapes.json", import.meta.url), "utf8"));
// The fixture writes the tape's NaN (an absent member) as null; the core hands a Float64Array.
const tapeOf = (numbers) => Float64Array.from(numbers, (v) => (v === null ? NaN : v));

test("tapes read back as the keyed results: every result type with a reader, optional members present and absent, every escape, non-ASCII strings", () => {
  assert.ok(cases.length >= 10);
  const tags = new Set(cases.map((c) => c.tape[0]));
  assert.deepEqual([...tags].sort(), [1, 2, 3, 4, 5, 6, 7]);
  for (const { strings, tape, keyed } of cases) {
    const got = readResult(strings, tapeOf(tape));
    assert.deepStrictEqual(got, JSON.parse(keyed));
    // The same members in the same order as the keyed form (JSON.stringify of a result is unchanged).
    assert.equal(JSON.stringify(got), JSON.stringify(JSON.parse(keyed)));
  }
});

test("a tape not read to its end, or with an unknown tag, is an error, not a wrong value", () => {
  const { strings, tape } = cases[0];
  assert.throws(() => readResult(strings, tapeOf([...tape, 1])), /not read to its end/);
  assert.throws(() => readResult(strings + "x", tapeOf(tape)), /not read to its end/);
  assert.throws(() => readResult(strings, tapeOf([99, ...tape.slice(1)])), /no reader for result tag 99/);
});

test("a result without a tape is JSON.parse's value", () => {
  for (const text of ['{"groupName":"g","groupId":1}', "null", "7", '{"a":{"b":[1]}}']) {
    assert.deepStrictEqual(readResult(text, undefined), JSON.parse(text));
    assert.deepStrictEqual(readResult(text, new Float64Array(0)), JSON.parse(text));
  }
});
