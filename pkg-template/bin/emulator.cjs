#!/usr/bin/env node
// The local emulator of v4/recentcontact over HTTP: `npx tim-recentcontact-emulator --help`.
"use strict";
const { createEmulator, DEFAULT_CREDENTIALS, EMULATOR_LIMITS, FAULT_KINDS } = require("../emulator/node.cjs");
const { version } = require("../package.json");

const HELP = `tim-recentcontact-emulator ${version}: the local emulator of Tencent Cloud Chat's v4/recentcontact

Usage: npx tim-recentcontact-emulator [options]    (--flag value and --flag=value both work)

Where it listens
  --port N               port, 0 for a free one                      default 8787
  --host H               address                                     default 127.0.0.1
  --backup-port N        also listen here, same state (a backup domain for failover tests)
  --main-down            the main port fails as if its domain were down (needs --backup-port)

The app it plays
  --sdk-app-id N         SDKAppID                                    default ${DEFAULT_CREDENTIALS.sdkAppId}
  --identifier NAME      admin account in the printed options        default ${DEFAULT_CREDENTIALS.identifier}
  --secret-key KEY       key UserSigs must be signed with            default the built-in test key
  --admins a,b           accounts with App admin rights (others: 50003)  default the identifier
  --users a,b            only these users exist (others: 50001)      default any user
  --edition base|advanced  base: groups and standard marks get 51013, reads return
                         at most 100 conversations; advanced (default): at most 500
  --pull-cap N           conversations a read returns at most (the edition's by default)
  --no-groups            group commands and standard marks get 51013
  --callback-url URL     the app's callback URL: a rate alert (Alert.RequestOverLimit)
                         is posted there when a command reaches 80 % of --rate
  --callback-token T     sign callbacks with this token (Sign, RequestTime)
  --dismissed-groups g,h group IDs whose conversations fail with 51007
  --rate N               calls per second per command before 60007   default ${EMULATOR_LIMITS.ratePerSecond}
  --list-page-size N     conversations per get_list page             default 100
  --group-page-size N    conversations per get_contact_group page    default 100

Faults
  --latency MS           delay before each request is applied        default 0
  --fault-rate R         share of requests (0 to 1) given a fault    default 0
  --faults a,b           which faults                                default all:
                         ${FAULT_KINDS.join(", ")}

Output
  --quiet                no request log (by default one line per call: command, user, code, ms)
  --version              print the version
  -h, --help             this text

Test endpoints (besides POST /v4/recentcontact/<command>?sdkappid=…&identifier=…&usersig=…&random=…&contenttype=json)
  GET  /__emulator/state?user=NAME       one user's state as JSON: conversations, groups, deleted, marks
  POST /__emulator/conversations         seeds a conversation list; body:
       {"user": "alice", "conversations": [{"type": "c2c", "toAccount": "bob"}, {"type": "group", "toGroupId": "@TGS#1"}],
        "msgTime": 1700000000, "pinned": false}        (msgTime and pinned optional)
  POST /__emulator/reset                 forgets all state, rate counters and the request log; body ignored
`;

/** A flag's value as a whole number in [min, max], or a one-line error. */
function whole(flag, text, min, max) {
  const n = Number(text);
  if (text === "" || !Number.isInteger(n) || n < min || n > max) throw new Error(`${flag} must be a whole number from ${min} to ${max}, not "${text}"`);
  return n;
}

function parse(argv) {
  const o = { port: 8787, host: "127.0.0.1", emulator: {}, faults: { rate: 0 }, quiet: false };
  const list = (s) => s.split(",").map((x) => x.trim()).filter(Boolean);
  const valued = new Set(["--port", "--host", "--sdk-app-id", "--identifier", "--secret-key", "--admins", "--users", "--rate", "--dismissed-groups", "--latency", "--fault-rate", "--faults", "--backup-port", "--list-page-size", "--group-page-size", "--edition", "--pull-cap", "--callback-url", "--callback-token"]);
  for (let i = 0; i < argv.length; i++) {
    let flag = argv[i];
    let value;
    const eq = flag.indexOf("=");
    if (flag.startsWith("--") && eq > 0) {
      value = flag.slice(eq + 1);
      flag = flag.slice(0, eq);
    }
    if (valued.has(flag) && value === undefined) {
      if (i + 1 >= argv.length) throw new Error(`${flag} needs a value`);
      value = argv[++i];
    } else if (!valued.has(flag) && value !== undefined) {
      throw new Error(`${flag} takes no value`);
    }
    switch (flag) {
      case "--port": o.port = whole(flag, value, 0, 65535); break;
      case "--host": o.host = value; break;
      case "--sdk-app-id": o.emulator.sdkAppId = whole(flag, value, 1, 4294967295); break;
      case "--identifier": o.emulator.identifier = value; break;
      case "--secret-key": o.emulator.secretKey = value; break;
      case "--admins": o.emulator.admins = list(value); break;
      case "--users": o.emulator.users = list(value); break;
      case "--rate": o.emulator.ratePerSecond = whole(flag, value, 1, 1000000); break;
      case "--no-groups": o.emulator.groupsEnabled = false; break;
      case "--edition":
        if (value !== "base" && value !== "advanced") throw new Error(`--edition must be base or advanced, not "${value}"`);
        o.emulator.edition = value;
        break;
      case "--pull-cap": o.emulator.pullCap = value === "Infinity" ? Infinity : whole(flag, value, 1, 1000000000); break;
      case "--dismissed-groups": o.emulator.dismissedGroups = list(value); break;
      case "--callback-url": o.emulator.callbackUrl = value; break;
      case "--callback-token": o.emulator.callbackToken = value; break;
      case "--latency": o.emulator.latencyMs = whole(flag, value, 0, 60000); break;
      case "--list-page-size": o.emulator.listPageSize = whole(flag, value, 1, 100000); break;
      case "--group-page-size": o.emulator.groupPageSize = whole(flag, value, 1, 100000); break;
      case "--fault-rate": {
        const r = Number(value);
        if (value === "" || !(r >= 0 && r <= 1)) throw new Error(`--fault-rate must be a number from 0 to 1, not "${value}"`);
        o.faults.rate = r;
        break;
      }
      case "--faults": {
        const kinds = list(value);
        const bad = kinds.find((k) => !FAULT_KINDS.includes(k));
        if (bad) throw new Error(`--faults: unknown fault "${bad}"; use some of ${FAULT_KINDS.join(", ")}`);
        o.faults.kinds = kinds;
        break;
      }
      case "--backup-port": o.backupPort = whole(flag, value, 0, 65535); break;
      case "--main-down": o.mainDown = true; break;
      case "--quiet": o.quiet = true; break;
      case "--version": o.version = true; break;
      case "-h": case "--help": o.help = true; break;
      default: throw new Error(`unknown option ${flag} (see --help)`);
    }
  }
  if (o.mainDown && o.backupPort === undefined) throw new Error("--main-down needs --backup-port");
  o.emulator.faults = o.faults;
  return o;
}

function fail(message) {
  console.error(`tim-recentcontact-emulator: ${message}`);
  process.exit(2);
}

async function listen(emulator, port, host, log) {
  try {
    return await emulator.listen({ port, host, log });
  } catch (e) {
    if (e && e.code === "EADDRINUSE") fail(`port ${port} on ${host} is in use; pick another with --port (0 picks a free one)`);
    if (e && (e.code === "EADDRNOTAVAIL" || e.code === "ENOTFOUND")) fail(`cannot listen on ${host}: no such local address`);
    if (e && e.code === "EACCES") fail(`no permission to listen on port ${port}`);
    fail(String((e && e.message) || e));
  }
}

/** What a logged request came to: its ErrorCode, its HTTP status, or the connection fault (no status was sent). */
function outcome(r) {
  if (r.fault === "reset") return "dropped (connection reset, no answer)";
  if (r.fault === "hang") return "held (never answered)";
  return r.code === undefined ? `status=${r.status}` : `code=${r.code}`;
}

async function main() {
  let o;
  try {
    o = parse(process.argv.slice(2));
  } catch (e) {
    fail(e.message);
  }
  if (o.help) return void process.stdout.write(HELP);
  if (o.version) return void console.log(version);
  let emulator;
  try {
    emulator = createEmulator(o.emulator);
  } catch (e) {
    fail(e.message);
  }
  const log = o.quiet
    ? undefined
    : (r) => console.log(`${r.method} ${r.command ?? r.path} user=${r.user ?? "-"} ${outcome(r)} ${r.ms}ms`);
  const main = await listen(emulator, o.port, o.host, log);
  const backup = o.backupPort === undefined ? null : await listen(emulator, o.backupPort, o.host, log);
  if (o.mainDown) emulator.setDown(main.url);
  const c = emulator.credentials;
  const baseUrl = backup ? [main.url, backup.url] : main.url;
  console.log(`tim-recentcontact emulator ${version} listening on ${main.url}${backup ? ` (backup ${backup.url}, same state)` : ""}${o.mainDown ? "; the main one is down" : ""}`);
  // The built-in test key is public and printed for copying; a key given
  // with --secret-key is the caller's own and never printed.
  const shown = o.emulator.secretKey === undefined ? c : { ...c, secretKey: "(the --secret-key you gave)" };
  console.log(`client options: ${JSON.stringify({ ...shown, baseUrl })}`);
  // The environment the README's snippets read (TIM_BASE_URL: the client's own).
  const key = o.emulator.secretKey === undefined ? ` TIM_SECRET_KEY=${c.secretKey}` : "";
  console.log(`or in a shell: export TIM_BASE_URL=${main.url} TIM_SDKAPPID=${c.sdkAppId} TIM_IDENTIFIER=${c.identifier}${key}`);
  console.log("Ctrl-C stops it.");
  const stop = () => Promise.all([main.close(), backup?.close()]).then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main();
