// The first request of a Worker that uses the package (bench/cold-start.mjs).
import { ConversationClient } from "./pkg/workerd.js";

const OK = { ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" };
export default {
  async fetch() {
    const client = new ConversationClient({ sdkAppId: 1400000000, identifier: "admin", secretKey: "k", baseUrl: "http://127.0.0.1:1", fetch: async () => new Response(JSON.stringify(OK)) });
    await client.deleteConversation({ fromAccount: "u", conversation: { type: "c2c", toAccount: "v" } });
    return new Response("ok");
  },
};
