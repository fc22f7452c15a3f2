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

const SAFE = Number.MAX_SAFE_INTEGER;
const safeInt = (v) => Number.isSafeInteger(v) && v >= 0;
const isInt = (v) => Number.isSafeInteger(v);

/** A cursor number as this package writes it: canonical digits, at most 2^53 - 1. */
function cursorNumber(t) {
  if (!/^(0|[1-9][0-9]*)$/.test(t)) return undefined;
  const v = Number(t);
  return v <= SAFE ? v : undefined;
}

/** The set bits of a StandardMark string, ascending; undefined when it is not one. */
function marks(text) {
  if (typeof text !== "string" || text.length > 64 || !/^[01]*$/.test(text)) return undefined;
  const bits = [];
  for (let i = 0; i < text.length; i++) if (text[text.length - 1 - i] === "1") bits.push(i);
  return bits;
}

/** The conversation a read item names (Type and a non-empty identifier), or undefined. */
function named(w) {
  if (w === null || typeof w !== "object") return undefined;
  const group = [w.ToGroupId, w.GroupId, w.ToGroupid].find((g) => typeof g === "string");
  if (w.Type === 1 && typeof w.To_Account === "string" && w.To_Account) return { type: "c2c", toAccount: w.To_Account };
  if (w.Type === 2 && group) return { type: "group", toGroupId: group };
  return undefined;
}

function marked(w) {
  const conversation = named(w);
  if (!conversation) return undefined;
  const out = { conversation, standardMarks: marks(w.StandardMark) ?? [] };
  if (typeof w.CustomMark === "string") out.customMark = w.CustomMark;
  out.groupIds = Array.isArray(w.ContactGroupId) ? w.ContactGroupId.filter(safeInt) : [];
  if (safeInt(w.Timestamp)) out.timestamp = w.Timestamp;
  return out;
}

function groupItems(list, command) {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new TimDecodeError({ command });
  return list.map((g) => {
    if (typeof g?.GroupName !== "string" || !safeInt(g.GroupId)) throw new TimDecodeError({ command });
    return { groupName: g.GroupName, groupId: g.GroupId };
  });
}

function optInt(v, command, safe) {
  if (v === undefined || v === null) return undefined;
  if (!(safe ? safeInt(v) : isInt(v))) throw new TimDecodeError({ command });
  return v;
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

  async listConversationsPage(p) {
    known(p, ["fromAccount", "cursor", "includePinned", "includeEmpty"]);
    const from = text(p.fromAccount, "fromAccount");
    let c = [0, 0, 0, 0];
    if (p.cursor !== undefined) {
      if (typeof p.cursor !== "string") throw invalid("cursor", "must be a string");
      const parts = p.cursor.startsWith("l1.") ? p.cursor.slice(3).split(".").map(cursorNumber) : [];
      if (parts.length !== 4 || parts.includes(undefined)) throw invalid("cursor", "is not a cursor returned by listConversationsPage");
      c = parts;
    }
    for (const k of ["includePinned", "includeEmpty"]) if (p[k] !== undefined && typeof p[k] !== "boolean") throw invalid(k, "must be true or false");
    const a = await this.send("get_list", { From_Account: from, TimeStamp: c[0], StartIndex: c[1], TopTimeStamp: c[2], TopStartIndex: c[3], AssistFlags: 63 });
    const command = "v4/recentcontact/get_list";
    const pinned = p.includePinned !== false;
    const empty = p.includeEmpty !== false;
    const items = a.SessionItem ?? [];
    if (!Array.isArray(items)) throw new TimDecodeError({ command });
    const conversations = [];
    for (const w of items) {
      const msgTime = safeInt(w?.MsgTime) ? w.MsgTime : 0;
      if (!empty && msgTime === 0) continue;
      const conversation = named(w);
      if (!conversation) continue;
      const item = { conversation, msgTime, pinned: pinned && w.TopFlag === 1 };
      const m = marks(w.StandardMark);
      if (m) item.standardMarks = m;
      if (typeof w.CustomMark === "string") item.customMark = w.CustomMark;
      if (Array.isArray(w.ContactGroupId)) item.groupIds = w.ContactGroupId.filter(safeInt);
      conversations.push(item);
    }
    const complete = optInt(a.CompleteFlag, command, false);
    const fields = [a.TimeStamp, a.StartIndex, a.TopTimeStamp, a.TopStartIndex].map((v) => optInt(v, command, true));
    const next = fields.map((v) => v ?? 0);
    const same = next.every((v, i) => v === c[i]);
    let nextCursor;
    if (complete === 1) nextCursor = undefined;
    else if (complete === undefined) nextCursor = fields.every((v) => v === undefined) || same ? undefined : `l1.${next.join(".")}`;
    else if (same) throw new TimDecodeError({ command });
    else nextCursor = `l1.${next.join(".")}`;
    return nextCursor === undefined ? { conversations } : { conversations, nextCursor };
  }

  async getConversationGroupsPage(p) {
    known(p, ["fromAccount", "cursor"]);
    const from = text(p.fromAccount, "fromAccount");
    let start = 0;
    if (p.cursor !== undefined) {
      const n = typeof p.cursor === "string" && p.cursor.startsWith("g1.") ? cursorNumber(p.cursor.slice(3)) : undefined;
      if (n === undefined) throw invalid("cursor", "is not a cursor returned by getConversationGroupsPage");
      start = n;
    }
    const command = "v4/recentcontact/get_contact_group";
    const a = await this.send("get_contact_group", { From_Account: from, StartIndex: start });
    const items = a.ContactItem ?? [];
    if (!Array.isArray(items)) throw new TimDecodeError({ command });
    const groups = groupItems(a.GroupItem, command);
    const conversations = items.map(marked).filter(Boolean);
    const complete = optInt(a.CompleteFlag, command, false);
    const next = optInt(a.NextStartIndex, command, true);
    let nextCursor;
    if (complete === 1) nextCursor = undefined;
    else if (next !== undefined && next > start) nextCursor = `g1.${next}`;
    else if (complete !== undefined) throw new TimDecodeError({ command });
    return nextCursor === undefined ? { groups, conversations } : { groups, conversations, nextCursor };
  }

  async getConversationGroups(p) {
    known(p, ["fromAccount"]);
    text(p.fromAccount, "fromAccount");
    const all = { groups: [], conversations: [] };
    const seen = new Set();
    let cursor;
    for (let page = 0; page < 1000; page++) {
      const r = await this.getConversationGroupsPage(cursor === undefined ? { fromAccount: p.fromAccount } : { fromAccount: p.fromAccount, cursor });
      for (const g of r.groups) if (!seen.has(g.groupId)) seen.add(g.groupId), all.groups.push(g);
      for (const c of r.conversations) all.conversations.push(c);
      if (r.nextCursor === undefined) return all;
      cursor = r.nextCursor;
    }
    throw new TimDecodeError({ command: "v4/recentcontact/get_contact_group" });
  }

  async searchConversationGroups(p) {
    known(p, ["fromAccount", "conversations"]);
    const from = text(p.fromAccount, "fromAccount");
    const items = list(p.conversations, "conversations", 1, 300);
    const command = "v4/recentcontact/search_contact_group";
    const a = await this.send("search_contact_group", { From_Account: from, ContactItem: items });
    const found = a.ContactResultItem ?? [];
    if (!Array.isArray(found)) throw new TimDecodeError({ command });
    return { groups: groupItems(a.GroupItem, command), conversations: found.map(marked).filter(Boolean) };
  }

  async markConversations(p) {
    known(p, ["fromAccount", "items"]);
    const from = text(p.fromAccount, "fromAccount");
    if (!Array.isArray(p.items)) throw invalid("items", "must be an array");
    if (p.items.length < 1 || p.items.length > 100) throw invalid("items", "give 1 to 100 items");
    const bits = (v, field) => {
      if (v === undefined) return [];
      if (!Array.isArray(v)) throw invalid(field, "must be an array");
      v.forEach((b, i) => {
        if (!Number.isInteger(b) || b < 0 || b > 255) throw invalid(`${field}[${i}]`, "must be a whole number");
        if (b > 63) throw invalid(`${field}[${i}]`, "a standard mark is a bit number from 0 to 63");
      });
      return v;
    };
    const wire = p.items.map((item, i) => {
      const at = `items[${i}]`;
      if (item === null || typeof item !== "object" || Array.isArray(item)) throw invalid(at, "must be an object");
      known(item, ["conversation", "set", "clear", "customMark"], at);
      const ContactItem = contact(item.conversation, `${at}.conversation`);
      const set = bits(item.set, `${at}.set`);
      const clear = bits(item.clear, `${at}.clear`);
      if (item.customMark !== undefined) {
        if (typeof item.customMark !== "string") throw invalid(`${at}.customMark`, "must be a string");
        if (encoder.encode(item.customMark).length > 256) throw invalid(`${at}.customMark`, "must be at most 256 UTF-8 bytes");
      }
      const standard = set.length + clear.length > 0;
      const custom = item.customMark !== undefined;
      if (!standard && !custom) throw invalid(at, "give bits to set or clear, or a customMark");
      const w = { ContactItem, OptType: standard && custom ? 3 : custom ? 2 : 1 };
      if (set.length) w.SetMark = set;
      if (clear.length) w.ClearMark = clear;
      if (custom) w.CustomMark = item.customMark;
      return w;
    });
    const a = await this.send("mark_contact", { From_Account: from, MarkItem: wire });
    return { results: (a.ResultItem ?? []).map(result) };
  }
}
