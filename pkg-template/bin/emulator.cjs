#!/usr/bin/env node
// npx tim-recentcontact-emulator [--port 8787] [--host 127.0.0.1] [--sdk-app-id N]
//   [--identifier admin] [--secret-key KEY] [--users a,b] [--rate 200]
//   [--no-groups] [--dismissed-groups g1,g2] [--latency MS] [--fault-rate 0.1]
//   [--faults reset-after,hang-before,…] [--backup-port 8788] [--main-down]
"use strict";
const { createEmulator } = require("../emulator/node.cjs");

function parse(argv) {
  const o = { port: 8787, host: "127.0.0.1", emulator: {}, faults: { rate: 0 } };
  const take = (i) => {
    if (i + 1 >= argv.length) throw new Error(`${argv[i]} needs a value`);
    return argv[i + 1];
  };
  const list = (s) => s.split(",").map((x) => x.trim()).filter(Boolean);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    switch (a) {
      case "--port": o.port = Number(take(i++)); break;
      case "--host": o.host = take(i++); break;
      case "--sdk-app-id": o.emulator.sdkAppId = Number(take(i++)); break;
      case "--identifier": o.emulator.identifier = take(i++); break;
      case "--secret-key": o.emulator.secretKey = take(i++); break;
      case "--users": o.emulator.users = list(take(i++)); break;
      case "--rate": o.emulator.ratePerSecond = Number(take(i++)); break;
      case "--no-groups": o.emulator.groupsEnabled = false; break;
      case "--dismissed-groups": o.emulator.dismissedGroups = list(take(i++)); break;
      case "--latency": o.emulator.latencyMs = Number(take(i++)); break;
      case "--fault-rate": o.faults.rate = Number(take(i++)); break;
      case "--faults": o.faults.kinds = list(take(i++)); break;
      case "--backup-port": o.backupPort = Number(take(i++)); break;
      case "--main-down": o.mainDown = true; break;
      case "-h": case "--help": o.help = true; break;
      default: throw new Error(`unknown argument ${a}`);
    }
  }
  for (const [flag, p] of [["--port", o.port], ["--backup-port", o.backupPort ?? 0]]) {
    if (!Number.isInteger(p) || p < 0 || p > 65535) throw new Error(`${flag} must be 0 to 65535`);
  }
  if (o.mainDown && o.backupPort === undefined) throw new Error("--main-down needs --backup-port");
  o.emulator.faults = o.faults;
  return o;
}

async function main() {
  let o;
  try {
    o = parse(process.argv.slice(2));
  } catch (e) {
    console.error(`tim-recentcontact-emulator: ${e.message}`);
    process.exit(2);
  }
  if (o.help) {
    console.log(require("node:fs").readFileSync(__filename, "utf8").split("\n").slice(1, 4).join("\n").replace(/^\/\/ ?/gm, ""));
    return;
  }
  let emulator;
  try {
    emulator = createEmulator(o.emulator);
  } catch (e) {
    console.error(`tim-recentcontact-emulator: ${e.message}`);
    process.exit(2);
  }
  const main = await emulator.listen({ port: o.port, host: o.host });
  const backup = o.backupPort === undefined ? null : await emulator.listen({ port: o.backupPort, host: o.host });
  if (o.mainDown) emulator.setDown(main.url);
  const c = emulator.credentials;
  const baseUrl = backup ? [main.url, backup.url] : main.url;
  console.log(`tim-recentcontact emulator listening on ${main.url}${backup ? ` (backup ${backup.url}, same state)` : ""}${o.mainDown ? "; the main one is down" : ""}`);
  console.log(`client options: ${JSON.stringify({ ...c, baseUrl })}`);
  const close = () => Promise.all([main.close(), backup?.close()]);
  console.log("Ctrl-C stops it.");
  const stop = () => close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main();
