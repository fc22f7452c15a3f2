// One cold start, for npm run bench: `node bench/cold.mjs with|without`
// (or `deno run bench/cold.mjs with|without`) imports the package (or not),
// makes one call through an injected fetch (or the same fetch directly),
// and exits. The bench times whole processes.
const arg = globalThis.Deno ? globalThis.Deno.args[0] : process.argv[2];
const OK = { ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" };
const fetch = async () => new Response(JSON.stringify(OK));
if (arg === "with") {
  const { ConversationClient } = await import("tim-recentcontact");
  const client = new ConversationClient({ sdkAppId: 1400000000, identifier: "admin", secretKey: "k", baseUrl: "http://127.0.0.1:1", fetch });
  await client.deleteConversation({ fromAccount: "u", conversation: { type: "c2c", toAccount: "v" } });
} else {
  const r = await fetch("http://127.0.0.1:1/v4/recentcontact/delete", { method: "POST", body: JSON.stringify({ From_Account: "u", Type: 1, To_Account: "v" }) });
  JSON.parse(await r.text());
}
