// lib/results.js against the core's two forms of the same results
// (tests/fixtures/rows.json, checked against the writer by the Rust test
// json_out::tests::rows_for_javascript_match_the_fixture_the_js_reader_is_tested_on):
// the rows it reads make exactly the keyed value.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { readResult } from "../../pkg-template/lib/results.js";

const cases = JSON.parse(readFileSync(new URL("../fixtures/rows.json", import.meta.url), "utf8"));

test("rows read back as the keyed results, every row type, optional fields present and absent", () => {
  assert.ok(cases.length >= 5);
  for (const { rows, keyed } of cases) {
    assert.ok(rows.includes('"$rows"'), rows);
    const got = readResult(rows);
    assert.deepStrictEqual(got, JSON.parse(keyed));
    // The same members in the same order as the keyed form (JSON.stringify of a result is unchanged).
    assert.equal(JSON.stringify(got), JSON.stringify(JSON.parse(keyed)));
  }
});

test("a result without rows is JSON.parse's value", () => {
  for (const text of ['{"groupName":"g","groupId":1}', "null", "7", '{"a":{"b":[1]}}']) {
    assert.deepStrictEqual(readResult(text), JSON.parse(text));
  }
});
