// The emulator for Node.js: the in-process handler plus a loopback HTTP server.
"use strict";
const http = require("node:http");
const { verifyUserSig } = require("../node.cjs");
const { EmulatorCore, DEFAULT_CREDENTIALS, EMULATOR_LIMITS, FAULT_KINDS, bodyTooLarge } = require("../lib/emulator-core.js");

class Emulator extends EmulatorCore {
  /**
   * Serves the emulator over HTTP (127.0.0.1 and a free port by default).
   * Resolves to `{ url, port, close }`; `stopAfterMs` closes it by itself.
   */
  async listen({ port = 0, host = "127.0.0.1", stopAfterMs, log } = {}) {
    // This listener's own origin (known once it listens), for setDown().
    let origin = `http://${host}`;
    const server = http.createServer((req, res) => {
      const chunks = [];
      let size = 0;
      req.on("data", (c) => {
        size += c.length;
        if (size <= EMULATOR_LIMITS.requestBodyBytes) return chunks.push(c);
        if (res.headersSent) return;
        // Stop buffering at the cap: answer 413 and drop the connection.
        chunks.length = 0;
        const r = bodyTooLarge();
        res.writeHead(r.status, r.headers).end(r.body, () => req.socket.destroy());
      });
      const started = Date.now();
      req.on("end", async () => {
        if (res.headersSent) return;
        let r;
        const text = Buffer.concat(chunks).toString("utf8");
        const url = new URL(req.url, origin);
        try {
          r = await this.exchange(req.method, url, text, { origin });
        } catch (e) {
          r = { status: 500, headers: { "content-type": "text/plain" }, body: String(e && e.message) };
        }
        if (log) {
          try {
            log(describe(req.method, url, text, r, Date.now() - started));
          } catch {
            // A logger that throws must not break the answer.
          }
        }
        if (r.fault === "reset") return req.socket.destroy();
        if (r.fault === "hang") return; // never answered; the client gives up and closes
        res.writeHead(r.status, r.headers).end(r.body);
      });
    });
    await new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, resolve);
    });
    const address = server.address();
    const shown = address.family === "IPv6" ? `[${address.address}]` : address.address;
    origin = `http://${shown}:${address.port}`;
    let timer;
    const close = () =>
      new Promise((resolve) => {
        clearTimeout(timer);
        server.closeAllConnections?.();
        server.close(() => resolve());
      });
    if (stopAfterMs) {
      timer = setTimeout(close, stopAfterMs);
      timer.unref?.();
    }
    return { url: origin, port: address.port, close, server };
  }
}

/** One request for a log line: method, path, command, user, status, ErrorCode, ms. */
function describe(method, url, text, r, ms) {
  const m = /^\/v4\/recentcontact\/([a-z_]+)$/.exec(url.pathname);
  let user;
  let code;
  try {
    const u = JSON.parse(text).From_Account;
    if (typeof u === "string") user = u;
  } catch {}
  try {
    const c = JSON.parse(r.body).ErrorCode;
    if (typeof c === "number") code = c;
  } catch {}
  return { method, path: url.pathname, command: m ? m[1] : undefined, user, status: r.status, code, fault: r.fault, ms };
}

/** Creates an emulator; see docs/emulator.md. */
function createEmulator(options) {
  return new Emulator({ verifyUserSig }, options);
}

module.exports = { createEmulator, DEFAULT_CREDENTIALS, EMULATOR_LIMITS, FAULT_KINDS };
