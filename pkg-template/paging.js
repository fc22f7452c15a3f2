// `client.listConversations(params)`: every conversation of a user, across
// all pages, for `for await`. Each page comes from listConversationsPage (the
// wasm core), which refuses a cursor that does not advance, so iteration
// always ends.

export function installPaging(ConversationClient) {
  Object.defineProperty(ConversationClient.prototype, "listConversations", {
    configurable: true,
    writable: true,
    value: async function* listConversations(params) {
      let page = await this.listConversationsPage(params);
      for (;;) {
        yield* page.conversations;
        if (page.nextCursor === undefined) return;
        page = await this.listConversationsPage({ ...params, cursor: page.nextCursor });
      }
    },
  });
}
