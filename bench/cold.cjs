// bench/cold.mjs for Node's require(): `node bench/cold.cjs with|without`.
const OK = { ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" };
const fetch = async () => new Response(JSON.stringify(OK));
(async () => {
  if (process.argv[2] === "with") {
    const { ConversationClient } = require("tim-recentcontact");
    const client = new ConversationClient({ sdkAppId: 1400000000, identifier: "admin", secretKey: "k", baseUrl: "http://127.0.0.1:1", fetch });
    await client.deleteConversation({ fromAccount: "u", conversation: { type: "c2c", toAccount: "v" } });
  } else {
    const r = await fetch("http://127.0.0.1:1/v4/recentcontact/delete", { method: "POST", body: JSON.stringify({ From_Account: "u", Type: 1, To_Account: "v" }) });
    JSON.parse(await r.text());
  }
})();
