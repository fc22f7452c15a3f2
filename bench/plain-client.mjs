// A hand-written JavaScript client for the bench's per-call comparison
// (issue: "per-call CPU within 2x of plain JavaScript"). It does the same
// work as the package for the group write methods and deleteConversation:
// the same checks (with the same error classes and fields), the same URL and
// body, a cached UserSig, the same envelope handling and result shapes.
// tests/js/plain-client.test.mjs proves it sends and returns what the
// package does, so the comparison stays honest. Node only.
import { createRequire } from "node:module";
import { TimValidationError, TimApiError, TimAuthError, TimDecodeError, TimHttpError } from "tim-recentcontact";

const require = createRequire(import.meta.url);
const TLS = require("tls-sig-api-v2");
const encoder = new TextEncoder();
const AUTH = new Set([50003, 60004, 60005, 60010, 70001, 70052, 70403]);
const RETRYABLE = new Set([50004, 50005, 60007, 60008, 60011, 60018, 60019, 70050, 70169, 70202]);

const invalid = (field, reason) => new TimValidationError({ field, reason, retryable: false });

function known(obj, keys, at) {
  for (const k of Object.keys(obj)) if (!keys.includes(k)) throw invalid(at ? `${at}.${k}` : k, "is not a known field");
}

function text(v, field) {
  if (typeof v !== "string") throw invalid(field, v === undefined ? "is required" : "must be a string");
  if (v === "") throw invalid(field, "must not be empty");
  return v;
}

function groupName(v, field) {
  text(v, field);
  if (encoder.encode(v).length > 32) throw invalid(field, "must be at most 32 UTF-8 bytes");
  return v;
}

/** A conversation → its wire ContactItem (and checks it). */
function contact(c, field) {
  if (c === null || typeof c !== "object" || Array.isArray(c)) throw invalid(field, 'must be an object with a "type"');
  if (c.type === "c2c") {
    known(c, ["type", "toAccount"], field);
    return { Type: 1, To_Account: text(c.toAccount, `${field}.toAccount`) };
  }
  if (c.type === "group") {
    known(c, ["type", "toGroupId"], field);
    return { Type: 2, ToGroupId: text(c.toGroupId, `${field}.toGroupId`) };
  }
  throw invalid(`${field}.type`, c.type === undefined ? "is required" : 'must be "c2c" or "group"');
}

function list(v, field, min, max) {
  if (!Array.isArray(v)) throw invalid(field, "must be an array");
  if (v.length < min || v.length > max) throw invalid(field, `give ${min} to ${max}`);
  return v.map((c, i) => contact(c, `${field}[${i}]`));
}

function conversation(w) {
  return w.Type === 1 ? { type: "c2c", toAccount: w.To_Account } : { type: "group", toGroupId: w.ToGroupId };
}

function result(w) {
  return { conversation: conversation(w.ContactItem), ok: w.ResultCode === 0, resultCode: w.ResultCode, resultInfo: w.ResultInfo ?? "" };
}

export class PlainClient {
  constructor({ sdkAppId, identifier, secretKey, baseUrl, fetch }) {
    this.app = sdkAppId;
    this.identifier = identifier;
    this.api = new TLS.Api(sdkAppId, secretKey);
    this.origin = baseUrl.replace(/\/+$/, "");
    this.fetch = fetch;
    this.sig = null;
    this.renewAt = 0;
    this.random = new Uint32Array(1);
  }

  userSig() {
    const now = Math.floor(Date.now() / 1000);
    if (!this.sig || now >= this.renewAt) {
      this.sig = this.api.genUserSig(this.identifier, 86400);
      this.renewAt = now + 43200;
    }
    return this.sig;
  }

  async send(command, body) {
    crypto.getRandomValues(this.random);
    const url = `${this.origin}/v4/recentcontact/${command}?sdkappid=${this.app}&identifier=${encodeURIComponent(this.identifier)}&usersig=${encodeURIComponent(this.userSig())}&random=${this.random[0]}&contenttype=json`;
    const res = await this.fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    const full = `v4/recentcontact/${command}`;
    if (res.status < 200 || res.status > 299) throw new TimHttpError({ status: res.status, url: url.replace(/usersig=[^&]*/, "usersig=REDACTED"), retryable: res.status === 429 });
    let answer;
    try {
      answer = JSON.parse(await res.text());
    } catch {
      throw new TimDecodeError({ command: full, status: res.status });
    }
    const code = answer.ErrorCode ?? (answer.ActionStatus === "FAIL" ? -1 : 0);
    if (code !== 0) {
      const info = answer.ErrorInfo ?? "";
      if (AUTH.has(code) || (code >= 70002 && code <= 70020)) throw new TimAuthError({ code, info, command: full });
      throw new TimApiError({ code, info, command: full, retryable: RETRYABLE.has(code), ...(answer.ErrorDisplay ? { display: answer.ErrorDisplay } : {}) });
    }
    return answer;
  }

  async deleteConversation(p) {
    known(p, ["fromAccount", "conversation", "clearRoamingMessages"]);
    const from = text(p.fromAccount, "fromAccount");
    const c = contact(p.conversation, "conversation");
    const body = { From_Account: from, Type: c.Type };
    if (c.Type === 1) body.To_Account = c.To_Account;
    else body.ToGroupid = c.ToGroupId;
    if (p.clearRoamingMessages !== undefined) {
      if (typeof p.clearRoamingMessages !== "boolean") throw invalid("clearRoamingMessages", "must be true or false");
      body.ClearRamble = p.clearRoamingMessages ? 1 : 0;
    }
    await this.send("delete", body);
  }

  async createConversationGroup(p) {
    known(p, ["fromAccount", "groupName", "conversations"]);
    const from = text(p.fromAccount, "fromAccount");
    const name = groupName(p.groupName, "groupName");
    const items = list(p.conversations, "conversations", 0, 1000);
    const a = await this.send("create_contact_group", { From_Account: from, GroupContactItem: [{ GroupName: name, ContactItem: items }] });
    const item = (a.GroupResultItem ?? []).find((i) => i.GroupItem?.GroupName === name) ?? a.GroupResultItem?.[0];
    if (!item) throw new TimDecodeError({ command: "v4/recentcontact/create_contact_group" });
    return { groupName: item.GroupItem.GroupName, groupId: item.GroupItem.GroupId, results: (item.ResultItem ?? []).map(result) };
  }

  async renameConversationGroup(p) {
    known(p, ["fromAccount", "groupName", "newGroupName"]);
    const from = text(p.fromAccount, "fromAccount");
    const old = groupName(p.groupName, "groupName");
    const name = groupName(p.newGroupName, "newGroupName");
    const a = await this.send("update_contact_group", { From_Account: from, UpdateType: 1, UpdateGroup: { UpdateGroupType: 1, OldGroupName: old, NewGroupName: name } });
    const r = a.UpdateGroupResult;
    if (!r) throw new TimDecodeError({ command: "v4/recentcontact/update_contact_group" });
    return { groupName: r.GroupName, oldGroupName: r.OldGroupName ?? old, groupId: r.GroupId };
  }

  async updateConversationGroup(p) {
    known(p, ["fromAccount", "groupName", "add", "remove"]);
    const from = text(p.fromAccount, "fromAccount");
    const name = groupName(p.groupName, "groupName");
    const add = p.add === undefined ? [] : list(p.add, "add", 0, 100);
    const remove = p.remove === undefined ? [] : list(p.remove, "remove", 0, 100);
    if (add.length + remove.length === 0) throw invalid("add", "give at least one conversation to add or remove");
    if (add.length + remove.length > 100) throw invalid(add.length >= remove.length ? "add" : "remove", "at most 100 per call");
    const ops = [...add.map((c) => ({ ContactOptType: 1, ContactItem: c })), ...remove.map((c) => ({ ContactOptType: 2, ContactItem: c }))];
    const a = await this.send("update_contact_group", { From_Account: from, UpdateType: 1, UpdateGroup: { UpdateGroupType: 2, OldGroupName: name, ContactUpdateItem: ops } });
    const r = a.UpdateGroupResult;
    if (!r) throw new TimDecodeError({ command: "v4/recentcontact/update_contact_group" });
    return {
      groupName: r.GroupName,
      groupId: r.GroupId,
      results: (r.ContactResultItem ?? []).map((w) => ({ ...result(w), action: w.ContactOptType === 1 ? "add" : "remove" })),
    };
  }

  async deleteConversationGroup(p) {
    known(p, ["fromAccount", "groupName"]);
    const from = text(p.fromAccount, "fromAccount");
    const name = groupName(p.groupName, "groupName");
    const a = await this.send("del_contact_group", { From_Account: from, GroupName: [name] });
    const item = (a.GroupItem ?? []).find((g) => g.GroupName === name) ?? a.GroupItem?.[0];
    if (!item) throw new TimDecodeError({ command: "v4/recentcontact/del_contact_group" });
    return { groupName: item.GroupName, groupId: item.GroupId };
  }
}
