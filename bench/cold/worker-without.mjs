// The same Worker doing the same call without the package (bench/cold-start.mjs).
const OK = { ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" };
export default {
  async fetch() {
    const r = await (async () => new Response(JSON.stringify(OK)))();
    JSON.parse(await r.text());
    return new Response("ok");
  },
};
