// Compile-time checks of the package's generated types (npm run typecheck).
import {
  ConversationClient,
  genUserSig,
  verifyUserSig,
  TimError,
  TimApiError,
  TimValidationError,
  TimAbortError,
  type BulkReport,
  type BulkResult,
  type DeleteConversationGroupResult,
  type MarkConversationsResult,
  type ClientEvent,
  type Conversation,
  type CreateConversationGroupResult,
  type UpdateConversationGroupResult,
  type TimErrorKind,
  type ConversationListItem,
  type ConversationGroups,
  type MarkedConversation,
  type ReadBack,
} from "tim-recentcontact";

const client = new ConversationClient({
  sdkAppId: 1400000000,
  identifier: "administrator",
  secretKey: "key",
  region: "singapore",
  timeoutMs: 5000,
  maxRetries: 1,
  fetch: globalThis.fetch,
  maxResponseBytes: 1024 * 1024,
  maxPages: 50,
  maxItems: 5000,
});

const c2c: Conversation = { type: "c2c", toAccount: "user1" };
const group: Conversation = { type: "group", toGroupId: "@TGS#1" };

export async function usage(): Promise<void> {
  const nothing: void = await client.deleteConversation({ fromAccount: "u", conversation: c2c, clearRoamingMessages: true });
  void nothing;
  const created: CreateConversationGroupResult = await client.createConversationGroup({
    fromAccount: "u",
    groupName: "friends",
    conversations: [c2c, group],
  });
  const id: number = created.groupId;
  const ok: boolean = created.results[0].ok;
  const renamed = await client.renameConversationGroup({ fromAccount: "u", groupName: "friends", newGroupName: "pals" });
  const old: string = renamed.oldGroupName;
  const updated: UpdateConversationGroupResult = await client.updateConversationGroup({
    fromAccount: "u",
    groupName: "pals",
    add: [c2c],
    remove: [group],
  });
  const action: "add" | "remove" = updated.results[0].action;
  const deleted = await client.deleteConversationGroup({ fromAccount: "u", groupName: "pals" });
  const deletedId: number = deleted.groupId;
  const sig: string = genUserSig({ sdkAppId: 1, secretKey: "k", identifier: "a", expireSeconds: 60 });
  const info = verifyUserSig({ sdkAppId: 1, secretKey: "k", userSig: sig });
  const expire: number = info.expire;
  void [id, ok, old, action, deletedId, expire];

  try {
    await client.deleteConversationGroup({ fromAccount: "u", groupName: "x" });
  } catch (e) {
    if (e instanceof TimApiError) {
      const code: number = e.code;
      const command: string = e.command;
      void [code, command];
    } else if (e instanceof TimValidationError) {
      const field: string = e.field;
      void field;
    } else if (e instanceof TimError) {
      const kind: TimErrorKind = e.kind;
      const retryable: boolean = e.retryable;
      void [kind, retryable];
    }
  }

  for await (const item of client.listConversations({ fromAccount: "u", includeEmpty: false })) {
    const it: ConversationListItem = item;
    const pinned: boolean = it.pinned;
    const bits: number[] | undefined = it.standardMarks;
    void [pinned, bits];
  }
  const page = await client.listConversationsPage({ fromAccount: "u" });
  const next: string | undefined = page.nextCursor;
  if (next) await client.listConversationsPage({ fromAccount: "u", cursor: next });
  const groups: ConversationGroups = await client.getConversationGroups({ fromAccount: "u" });
  const first: MarkedConversation | undefined = groups.conversations[0];
  const starred: boolean = first?.standardMarks.includes(0) ?? false;
  const groupPage = await client.getConversationGroupsPage({ fromAccount: "u", cursor: undefined });
  const found = await client.searchConversationGroups({ fromAccount: "u", conversations: [c2c] });
  const marked = await client.markConversations({
    fromAccount: "u",
    items: [{ conversation: c2c, set: [0, 63], clear: [1] }, { conversation: group, customMark: "vip" }],
  });
  void [starred, groupPage.nextCursor, found.groups, marked.results[0].ok];
  // @ts-expect-error getConversationGroups reads every page: it takes no cursor
  await client.getConversationGroups({ fromAccount: "u", cursor: "g1.2" });

  // @ts-expect-error a c2c conversation needs toAccount
  const bad1: Conversation = { type: "c2c", toGroupId: "g" };
  // @ts-expect-error unknown conversation type
  const bad2: Conversation = { type: "peer", toAccount: "a" };
  // @ts-expect-error unknown region
  new ConversationClient({ sdkAppId: 1, identifier: "a", secretKey: "k", region: "mars" });
  // @ts-expect-error maxPages is a number
  new ConversationClient({ sdkAppId: 1, identifier: "a", secretKey: "k", maxPages: "10" });
  // @ts-expect-error groupName is required
  await client.deleteConversationGroup({ fromAccount: "u" });
  void [bad1, bad2];
}

export async function workloads(): Promise<void> {
  const ac = new AbortController();
  await client.deleteConversation({ fromAccount: "u", conversation: c2c }, { signal: ac.signal, timeoutMs: 100, maxRetries: 0 });
  for await (const item of client.listConversations({ fromAccount: "u" }, { signal: ac.signal })) void item.msgTime;
  const report: BulkReport = await client.bulk(
    [{ method: "updateConversationGroup", params: { fromAccount: "u", groupName: "g", add: [c2c] } }],
    { concurrency: 4, signal: ac.signal, onProgress: (p) => void p.etaMs },
  );
  const status: "ok" | "failed" | "aborted" = report.results[0].status;
  const onEvent = (e: ClientEvent) => {
    if (e.type === "failover") void e.from.toUpperCase();
    if (e.type === "reconcile") void (e.outcome === "unknown" && e.read && e.looksApplied !== false);
  };
  new ConversationClient({ sdkAppId: 1, identifier: "a", secretKey: "k", baseUrl: ["http://a", "http://b"], onEvent });
  const created = await client.createConversationGroup({ fromAccount: "u", groupName: "g", conversations: [] }, { reconcileOnAbort: true });
  // @ts-expect-error no result is "reconciled" any more: an ambiguous write rejects
  void created.reconciled;
  new ConversationClient({ sdkAppId: 1, identifier: "a", secretKey: "k", reconcileOnAbort: true });
  let reconciled: boolean | null = null;
  try {
    await client.deleteConversationGroup({ fromAccount: "u", groupName: "g" });
  } catch (e) {
    if (e instanceof TimAbortError) void (e.kind === "abort");
    if (e instanceof TimError && e.outcomeUnknown && e.readBack) {
      const seen: ReadBack = e.readBack;
      reconciled = seen.looksApplied;
      void e.readBack.groups.map((g) => g.groupId + g.groupName.length);
      void e.readBack.conversations.map((c) => c.standardMarks.length + c.groupIds.length);
    }
  }
  // @ts-expect-error unknown bulk method
  await client.bulk([{ method: "nope", params: {} }]);
  // bulk's results narrow on status and method: the value is the method's, a
  // failed one always has its error, an aborted one a TimAbortError.
  const mixed = await client.bulk([
    { method: "deleteConversationGroup", params: { fromAccount: "u", groupName: "g" } },
    { method: "markConversations", params: { fromAccount: "u", items: [{ conversation: c2c, set: [1] }] } },
  ]);
  for (const r of mixed.results) {
    if (r.status === "ok" && r.method === "deleteConversationGroup") {
      const deleted: DeleteConversationGroupResult = r.value;
      void deleted;
    }
    if (r.status === "ok" && r.method === "markConversations") {
      const marked: MarkConversationsResult = r.value;
      // @ts-expect-error a markConversations value is not a group deletion's
      const wrong: DeleteConversationGroupResult = r.value;
      void [marked, wrong];
    }
    if (r.status === "failed") void r.error.kind;
    if (r.status === "aborted") {
      const stopped: TimAbortError = r.error;
      void stopped;
    }
    // @ts-expect-error only the operations' methods
    if (r.method === "deleteConversation") void r;
  }
  const one: BulkResult<"deleteConversationGroup"> = mixed.results[0] as BulkResult<"deleteConversationGroup">;
  // @ts-expect-error an ok result has no error
  if (one.status === "ok") void one.error.kind;
  // @ts-expect-error signal must be an AbortSignal
  await client.deleteConversation({ fromAccount: "u", conversation: c2c }, { signal: "x" });
  void [status, reconciled];
}

// Errors: built for mocks, narrowed by `kind`.
import { TimDecodeError, isTimError, type AnyTimError } from "tim-recentcontact";
export function narrowing(e: unknown): string {
  const mock = new TimApiError({ code: 51009, info: "no such group" });
  const n: number = mock.code;
  void n;
  if (isTimError(e)) {
    const any: AnyTimError = e;
    if (any.kind === "api") return `${any.code} ${any.info}`;
    if (any.kind === "validation") return any.field;
    if (any.kind === "decode") return `${any.status ?? 0} ${any.excerpt ?? ""}`;
    // Whether it is safe to send a write again, and when.
    if (any.kind === "network") return String(any.notSent === true);
    if (any.kind === "http") return String(any.retryAfterMs ?? 0);
    if (any.kind === "abort") return String(any.outcomeUnknown === true);
    return String(any.requestId ?? "");
  }
  void new TimDecodeError({ status: 502, excerpt: "<html>" });
  return "";
}

// Logs, raw responses and tracing: options typed, the OpenTelemetry API's own Tracer accepted.
import { trace } from "@opentelemetry/api";
import { tracedFetch } from "tim-recentcontact/otel";
export function observed(): ConversationClient {
  const pinoLike = { info: (o: unknown, msg?: string) => void [o, msg], warn: (...args: unknown[]) => void args };
  const client = new ConversationClient({
    sdkAppId: 1400000000,
    identifier: "admin",
    secretKey: "k",
    userAgent: "my-app/1.0",
    logger: pinoLike,
    logLevel: "info",
    onResponse: (r) => {
      const id: string | null = r.headers.get("x-request-id");
      const s: number = r.status + r.durationMs;
      void [id, s, r.command, r.url];
    },
    fetch: tracedFetch(trace.getTracer("my-app"), fetch),
  });
  // @ts-expect-error not a level
  void new ConversationClient({ sdkAppId: 1, identifier: "a", secretKey: "k", logLevel: "trace" });
  return client;
}

// Callbacks: a verified payload narrows to the rate alert the client takes;
// the event union has the new events.
import { verifyCallback, isRateAlert, callbackReply, TimCallbackError, type VerifiedCallback } from "tim-recentcontact/callbacks";
export async function onCallback(request: Request, client: ConversationClient): Promise<Response> {
  try {
    const cb: VerifiedCallback = await verifyCallback(request, { token: "t", sdkAppId: 1400000000, commands: ["Alert.RequestOverLimit"] });
    if (isRateAlert(cb.payload)) {
      const slowed: boolean = client.observeRateAlert(cb.payload);
      const limit: number = cb.payload.Limit;
      void [slowed, limit];
    }
    // @ts-expect-error not an alert's shape
    client.observeRateAlert({ CallbackCommand: "State.StateChange" });
    return Response.json(callbackReply());
  } catch (e) {
    if (e instanceof TimCallbackError) return new Response(e.reason, { status: e.status });
    throw e;
  }
}
export function onEvents(e: ClientEvent): string {
  switch (e.type) {
    case "rate-alert":
      return `${e.command} ${e.request}/${e.limit} ${e.rate ?? "shared"}`;
    case "pull-cap":
      return `${e.command} ${e.count}`;
    case "warning":
      return `${e.field}: ${e.message}`;
    default:
      return e.type;
  }
}
