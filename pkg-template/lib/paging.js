// `client.listConversations(params)`: every conversation of a user, across
// all pages, for `for await`. Each page comes from listConversationsPage (the
// wasm core), which refuses a cursor that does not advance; the client's
// `maxPages` and `maxItems` cap the rest, so iteration always ends.

export function installPaging(ConversationClient, makeError) {
  Object.defineProperty(ConversationClient.prototype, "listConversations", {
    configurable: true,
    writable: true,
    value: async function* listConversations(params, options) {
      const [maxPages, maxItems] = this.__pagingLimits();
      const stop = (message) =>
        makeError({ kind: "decode", retryable: false, command: "v4/recentcontact/get_list", message: `v4/recentcontact/get_list: unexpected response body: ${message}` });
      let page = await this.listConversationsPage(params, options);
      let pages = 1;
      let items = 0;
      for (;;) {
        items += page.conversations.length;
        if (items > maxItems) throw stop(`more than maxItems (${maxItems}) conversations; stopped reading`);
        yield* page.conversations;
        if (page.nextCursor === undefined) return;
        if (pages >= maxPages) throw stop(`still not complete after maxPages (${maxPages}) pages; stopped reading`);
        page = await this.listConversationsPage({ ...params, cursor: page.nextCursor }, options);
        pages += 1;
      }
    },
  });
}
