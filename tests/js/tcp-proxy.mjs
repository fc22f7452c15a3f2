// A TCP proxy on loopback for fault tests: it forwards to `target` after
// `delayMs` each way (a store far away), and can hold everything, both
// ways and new connections too, until healed (a network partition: TCP
// keeps the bytes and delivers them late, it does not lose them).
import net from "node:net";

/** Resolves to `{ port, url(scheme), setDelay(ms), partition(), heal(), close() }`. */
export async function startProxy(target, { delayMs = 0, host = "127.0.0.1" } = {}) {
  let delay = delayMs;
  let held = false;
  /** Sends queued while partitioned: run on heal, in order. */
  let queue = [];
  const sockets = new Set();
  const later = (fn) => {
    if (held) queue.push(fn);
    else if (delay > 0) setTimeout(fn, delay);
    else fn();
  };
  const server = net.createServer((inbound) => {
    sockets.add(inbound);
    inbound.pause();
    later(() => {
      const outbound = net.createConnection({ port: target, host });
      sockets.add(outbound);
      const pipe = (from, to) => {
        from.on("data", (chunk) => later(() => to.writable && to.write(chunk)));
        from.on("end", () => later(() => to.end()));
        from.on("error", () => to.destroy());
        from.on("close", () => (sockets.delete(from), later(() => to.destroy())));
      };
      pipe(inbound, outbound);
      pipe(outbound, inbound);
      inbound.resume();
    });
  });
  server.unref();
  await new Promise((r) => server.listen(0, host, r));
  const { port } = server.address();
  return {
    port,
    url: (scheme = "redis") => `${scheme}://${host}:${port}`,
    setDelay(ms) {
      delay = ms;
    },
    /** Holds every byte and new connection until `heal()`. */
    partition() {
      held = true;
    },
    heal() {
      held = false;
      const q = queue;
      queue = [];
      for (const fn of q) later(fn);
    },
    close() {
      server.close();
      for (const s of sockets) s.destroy();
    },
  };
}
