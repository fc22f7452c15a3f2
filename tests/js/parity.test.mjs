// The client (whose limits live in src/limits.rs) and the emulator (whose
// limits live in EMULATOR_LIMITS, kept independent as the client's
// cross-check) must agree at every limit's boundary: at n both accept, at
// n + 1 the client refuses before sending and the emulator, sent the same
// request raw, refuses with the documented code. docs/emulator.md's table
// must state the same numbers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as mod from "tim-recentcontact";
import { createEmulator, EMULATOR_LIMITS as L } from "tim-recentcontact/emulator";

const c2c = (toAccount) => ({ type: "c2c", toAccount });
const wire = (c) => ({ Type: 1, To_Account: c.toAccount });
const peers = (n, prefix = "p") => Array.from({ length: n }, (_, i) => c2c(`${prefix}${i}`));

/** Each limit: its EMULATOR_LIMITS key, the client field refused past it, the emulator's code, and the call at size n. */
const LIMITS = [
  ["groupNameBytes", "groupName", 51011, (n) => ["createConversationGroup", { groupName: "g".repeat(n), conversations: [] }, "create_contact_group", { GroupContactItem: [{ GroupName: "g".repeat(n), ContactItem: [] }] }]],
  ["groupNameBytes", "newGroupName", 51011, (n) => ["renameConversationGroup", { groupName: "base", newGroupName: "分".repeat(Math.floor(n / 3)) + "r".repeat(n % 3) }, "update_contact_group", { UpdateType: 1, UpdateGroup: { UpdateGroupType: 1, OldGroupName: "base", NewGroupName: "分".repeat(Math.floor(n / 3)) + "r".repeat(n % 3) } }]],
  ["groupedConversations", "conversations", 51008, (n) => ["createConversationGroup", { groupName: "big", conversations: peers(n) }, "create_contact_group", { GroupContactItem: [{ GroupName: "big", ContactItem: peers(n).map(wire) }] }]],
  ["updateItems", "add", 51006, (n) => ["updateConversationGroup", { groupName: "base", add: peers(n) }, "update_contact_group", { UpdateType: 1, UpdateGroup: { UpdateGroupType: 2, OldGroupName: "base", ContactUpdateItem: peers(n).map((c) => ({ ContactOptType: 1, ContactItem: wire(c) })) } }]],
  ["searchConversations", "conversations", 50002, (n) => ["searchConversationGroups", { conversations: peers(n) }, "search_contact_group", { ContactItem: peers(n).map(wire) }]],
  ["markItems", "items", 51006, (n) => ["markConversations", { items: peers(n).map((conversation) => ({ conversation, set: [40] })) }, "mark_contact", { MarkItem: peers(n).map((c) => ({ OptType: 1, ContactItem: wire(c), SetMark: [40] })) }]],
  ["customMarkBytes", "items[0].customMark", 50002, (n) => ["markConversations", { items: [{ conversation: c2c("p"), customMark: "m".repeat(n) }] }, "mark_contact", { MarkItem: [{ OptType: 2, ContactItem: { Type: 1, To_Account: "p" }, CustomMark: "m".repeat(n) }] }]],
  ["markBits", "items[0].set[0]", 50002, (n) => ["markConversations", { items: [{ conversation: c2c("p"), set: [n - 1] }] }, "mark_contact", { MarkItem: [{ OptType: 1, ContactItem: { Type: 1, To_Account: "p" }, SetMark: [n - 1] }] }]],
];

function fresh() {
  const emulator = createEmulator({ ratePerSecond: 1e9 });
  const client = new mod.ConversationClient({ ...emulator.credentials, baseUrl: "http://127.0.0.1:9", fetch: emulator.fetch, maxRequestsPerSecond: 1e9, maxRetries: 0 });
  return { emulator, client };
}

async function raw(emulator, command, body) {
  const { sdkAppId, identifier, secretKey } = emulator.credentials;
  const usersig = mod.genUserSig({ sdkAppId, secretKey, identifier, expireSeconds: 600 });
  const q = new URLSearchParams({ sdkappid: String(sdkAppId), identifier, usersig, random: "1", contenttype: "json" });
  const r = emulator.handle("POST", `/v4/recentcontact/${command}?${q}`, JSON.stringify({ From_Account: "u", ...body }));
  return JSON.parse(r.body).ErrorCode;
}

for (const [key, field, code, make] of LIMITS) {
  test(`${key} = ${L[key]}: client and emulator agree at n and n + 1 (${field}, ${code})`, async () => {
    const n = L[key];
    for (const [size, fits] of [[n, true], [n + 1, false]]) {
      const { emulator, client } = fresh();
      await client.createConversationGroup({ fromAccount: "u", groupName: "base", conversations: [] });
      const [method, params, command, body] = make(size);
      const sent = emulator.requestLog.length;
      if (fits) {
        await client[method]({ fromAccount: "u", ...params });
      } else {
        await assert.rejects(client[method]({ fromAccount: "u", ...params }), (e) => {
          assert.ok(e instanceof mod.TimValidationError, `${method} at ${size}: ${e}`);
          assert.equal(e.field, field);
          return true;
        });
        assert.equal(emulator.requestLog.length, sent, "nothing sent");
      }
      // The same request, raw, to an emulator with the same starting state.
      const answer = await (async () => {
        const e = createEmulator({ ratePerSecond: 1e9 });
        await raw(e, "create_contact_group", { GroupContactItem: [{ GroupName: "base", ContactItem: [] }] });
        return raw(e, command, body);
      })();
      assert.equal(answer, fits ? 0 : code, `${command} at ${size}`);
    }
  });
}

test("the emulator's page (docs/emulator.md) states EMULATOR_LIMITS", () => {
  const readme = readFileSync(new URL("../../docs/emulator.md", import.meta.url), "utf8");
  for (const phrase of [
    `group name over ${L.groupNameBytes} UTF-8 bytes`,
    `a ${L.groupsPerUser + 1}st group`,
    `more than ${L.groupedConversations} distinct conversations`,
    `update with 0 or more than ${L.updateItems} conversations`,
    `\`mark_contact\` with 0 or more than ${L.markItems} items`,
    `a bit number outside 0–${L.markBits - 1}, a custom mark over ${L.customMarkBytes} bytes`,
    `more than ${L.markedConversations} marked conversations`,
    `\`search_contact_group\` with 0 or more than ${L.searchConversations} conversations`,
    `more than \`ratePerSecond\` calls of one command`,
    `a request body over ${L.requestBodyBytes / 1024 / 1024} MiB`,
    `keeps the last ${L.deletedLog} deletions`,
  ]) {
    assert.ok(readme.includes(phrase), `docs/emulator.md lost "${phrase}"`);
  }
});

test("every code the emulator answers with is in the code catalog (docs/errors.md, generated from CODES in src/error.rs)", () => {
  const readme = readFileSync(new URL("../../docs/errors.md", import.meta.url), "utf8");
  const table = readme.slice(readme.indexOf("<!-- codes-start"), readme.indexOf("<!-- codes-end"));
  const catalog = new Set([...table.matchAll(/^\| (\d{5}) \|/gm)].map((m) => Number(m[1])));
  const source = readFileSync(new URL("../../pkg-template/lib/emulator-core.js", import.meta.url), "utf8");
  const used = new Set([...source.matchAll(/\b(?:refuse|coded|fail)\((\d{5})\b/g)].map((m) => Number(m[1])));
  assert.ok(used.size >= 10, `found the emulator's codes (${[...used]})`);
  const missing = [...used].filter((c) => !catalog.has(c));
  assert.deepEqual(missing, [], "codes the emulator uses that the catalog does not state");
});
