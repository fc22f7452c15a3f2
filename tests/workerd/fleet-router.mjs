// The fleet's front: POST /fleet { members, config } runs the members
// (separate Workers, separate isolates) together and answers their
// summaries; POST /fault makes the rate limiter object fail.
export default {
  async fetch(request, env) {
    if (new URL(request.url).pathname === "/fault") {
      // { app, mode, ms }: to the app's rate limiter object (fleet-limiter.mjs).
      const { app, ...fault } = await request.json();
      const stub = env.LIMITER.get(env.LIMITER.idFromName(`tim-recentcontact:${app}`));
      try {
        const r = await stub.fetch("https://rate-limiter.invalid/fault", { method: "POST", body: JSON.stringify(fault) });
        return new Response(await r.text(), { status: r.status });
      } catch (e) {
        // An object that evicts itself fails the request that asked it to.
        return new Response(`the object went: ${e.message}`);
      }
    }
    if (new URL(request.url).pathname === "/requests") {
      // Many requests to one Worker at once, each making one call.
      const { count, config } = await request.json();
      const one = (i) => env.M1.fetch("http://member/one", { method: "POST", body: JSON.stringify({ ...config, i }) }).then((r) => r.json());
      return Response.json(await Promise.all(Array.from({ length: count }, (_, i) => one(i))));
    }
    const { members, config } = await request.json();
    const runs = Array.from({ length: members }, (_, i) =>
      env[`M${i + 1}`].fetch("http://member/run", { method: "POST", body: JSON.stringify({ ...config, member: i }) }).then((r) => r.json()),
    );
    return Response.json(await Promise.all(runs));
  },
};
