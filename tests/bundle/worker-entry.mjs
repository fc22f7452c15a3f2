// A Worker bundled as wrangler does (conditions workerd, worker, browser).
import { main } from "./app.mjs";
export default {
  async fetch() {
    try {
      return new Response(await main());
    } catch (e) {
      return new Response(String(e && e.stack), { status: 500 });
    }
  },
};
