// One cold start, for npm run bench: `node bench/cold.mjs with|plain|without`
// (or `deno run bench/cold.mjs …`) makes one deleteConversation through an
// injected fetch with the package (`with`), with what a plain JavaScript
// client does for it (`plain`: the official tls-sig-api-v2 signs, the
// params are checked, the URL built, the answer read), or with the fetch
// alone (`without`), and exits. The bench times whole processes.
const arg = globalThis.Deno ? globalThis.Deno.args[0] : process.argv[2];
const OK = { ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" };
const fetch = async () => new Response(JSON.stringify(OK));
if (arg === "with") {
  const { ConversationClient } = await import("tim-recentcontact");
  const client = new ConversationClient({ sdkAppId: 1400000000, identifier: "admin", secretKey: "k", baseUrl: "http://127.0.0.1:1", fetch });
  await client.deleteConversation({ fromAccount: "u", conversation: { type: "c2c", toAccount: "v" } });
} else if (arg === "plain") {
  const { createRequire } = await import("node:module");
  const TLS = createRequire(import.meta.url)("tls-sig-api-v2");
  const params = { fromAccount: "u", conversation: { type: "c2c", toAccount: "v" } };
  for (const [k, v] of [["fromAccount", params.fromAccount], ["conversation.toAccount", params.conversation.toAccount]]) {
    if (typeof v !== "string" || v === "") throw new TypeError(`invalid ${k}`);
  }
  const sig = new TLS.Api(1400000000, "k").genUserSig("admin", 86400);
  const query = new URLSearchParams({ sdkappid: "1400000000", identifier: "admin", usersig: sig, random: "1", contenttype: "json" });
  const body = JSON.stringify({ From_Account: params.fromAccount, Type: 1, To_Account: params.conversation.toAccount });
  const r = await fetch(`http://127.0.0.1:1/v4/recentcontact/delete?${query}`, { method: "POST", body });
  const answer = JSON.parse(await r.text());
  if (answer.ActionStatus !== "OK") throw new Error(answer.ErrorInfo);
} else {
  const r = await fetch("http://127.0.0.1:1/v4/recentcontact/delete", { method: "POST", body: JSON.stringify({ From_Account: "u", Type: 1, To_Account: "v" }) });
  JSON.parse(await r.text());
}
