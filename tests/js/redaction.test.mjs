// What Node shows of a failed call's error — util.inspect with every
// option that reveals more (hidden properties, getters, any depth) — never
// holds the UserSig or the secret key, whatever shape the fetch error
// carries the request URL in (tests/js/hostile-suite.mjs's URL_SHAPES).
import { test } from "node:test";
import assert from "node:assert/strict";
import util from "node:util";
import * as mod from "tim-recentcontact";
import { URL_SHAPES } from "./hostile-suite.mjs";

const KEY = "redaction-secret-key-0123456789";

for (const [shape, make] of Object.entries(URL_SHAPES)) {
  test(`util.inspect of the error: no UserSig when the fetch error carries the URL in ${shape}`, async () => {
    let sig;
    const c = new mod.ConversationClient({
      sdkAppId: 1400000000, identifier: "administrator", secretKey: KEY, baseUrl: "http://127.0.0.1:9", maxRetries: 0,
      fetch: async (url) => {
        sig = new URL(url).searchParams.get("usersig");
        throw make(url);
      },
    });
    const e = await c.deleteConversation({ fromAccount: "u", conversation: { type: "c2c", toAccount: "v" } }).catch((x) => x);
    assert.ok(e instanceof mod.TimNetworkError);
    for (const options of [{ depth: Infinity }, { depth: Infinity, showHidden: true, getters: true }]) {
      const shown = util.inspect(e, options) + util.inspect(e.cause, options) + String(e) + JSON.stringify(e);
      assert.ok(sig && !shown.includes(sig), `the UserSig shows (${JSON.stringify(options)})`);
      assert.ok(!shown.includes(KEY), "the secret key shows");
    }
  });
}
