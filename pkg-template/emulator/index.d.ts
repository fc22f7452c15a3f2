import type { Conversation } from "../index.d.ts";

/** Options of `createEmulator`. */
export interface EmulatorOptions {
  /** The app the emulator plays; default 1400000000. */
  sdkAppId?: number;
  /** The admin account in the printed credentials; default "administrator". */
  identifier?: string;
  /** The key UserSigs must be signed with; default DEFAULT_CREDENTIALS.secretKey. */
  secretKey?: string;
  /** Accounts with App admin rights (others get 50003); default [identifier]. */
  admins?: string[];
  /** When given, only these users exist: any other From_Account gets 50001. */
  users?: string[];
  /**
   * The app's edition. "base" (Free/Trial; Pro too by the Chinese pages):
   * conversation groups and standard marks get 51013, and reads return at
   * most 100 conversations. "advanced" (an edition with conversation groups:
   * Ultimate or Enterprise, or by the newest English pages Pro, Pro Plus or
   * Enterprise): groups work, reads return at most 500. Default "advanced".
   */
  edition?: "base" | "advanced";
  /** Conversations get_list (and get_contact_group) return at most; default the edition's (100 or 500). Infinity for none. */
  pullCap?: number;
  /** false: group commands and standard marks get 51013 (default: the edition's). */
  groupsEnabled?: boolean;
  /** Group IDs whose conversations fail per item with 51007 when added to a conversation group. */
  dismissedGroups?: string[];
  /** Calls per second per command before 60007; default 200. */
  ratePerSecond?: number;
  /** Clock in milliseconds, for tests; default Date.now. */
  now?: () => number;
  /** Conversations per get_list page; default 100 (make it small to test paging). */
  listPageSize?: number;
  /** Conversations per get_contact_group page; default 100. */
  groupPageSize?: number;
  /** Delay before each service request is applied and answered, in ms (0 to 60000); default 0. */
  latencyMs?: number;
  /** Faults to inject into a share of the service's requests; default none. */
  faults?: EmulatorFaults;
  /** Origins (e.g. a listener's `url`) whose requests fail as if the domain were down. */
  downOrigins?: string[];
  /** Keep `requestLog` (the last 100,000 service requests); default false. */
  recordRequests?: boolean;
  /**
   * The app's callback URL: `sendCallback` posts there, and so does the rate
   * alert (`Alert.RequestOverLimit`, when a command reaches 80 % of
   * `ratePerSecond` within a second; at most once a second per command).
   */
  callbackUrl?: string;
  /** The console's callback token: callbacks then carry `Sign` and `RequestTime`. */
  callbackToken?: string;
  /** How callbacks are sent (e.g. straight to an in-process handler); default `globalThis.fetch`. */
  callbackFetch?: (url: string, init: { method: "POST"; headers: Record<string, string>; body: string }) => Promise<Response>;
}

/** One of the faults the emulator can inject; "-after" ones apply the request, then lose the answer. */
export type FaultKind =
  | "reset-before" | "reset-after" | "hang-before" | "hang-after" | "502-before" | "502-after"
  | "50004-before" | "50004-after" | "60007" | "70001";

/** `rate` (0 to 1) of the requests get one of `kinds` (default all), picked with `random` (default Math.random). */
export interface EmulatorFaults {
  rate: number;
  kinds?: FaultKind[];
  random?: () => number;
}

/** One service request as the emulator saw it (with `recordRequests`). */
export interface EmulatorRequestRecord {
  command: string;
  /** When it reached the service (sent + latencyMs), by the emulator's clock. */
  at: number;
  origin: string;
  fault?: FaultKind;
  status?: number;
  code?: number;
}

/** One user's state, for assertions. */
export interface EmulatorUserState {
  conversations: { conversation: Conversation; msgTime: number; pinned: boolean }[];
  groups: { groupName: string; groupId: number; conversations: Conversation[] }[];
  deleted: { conversation: Conversation; clearRoamingMessages: boolean }[];
  marks: { conversation: Conversation; standardMarks: number[]; customMark?: string }[];
}

/** The local emulator of v4/recentcontact. */
export interface Emulator {
  /** Client options that reach it: add `baseUrl` (HTTP) or `fetch: emulator.fetch` (in-process). */
  readonly credentials: { sdkAppId: number; identifier: string; secretKey: string };
  /** The fetch-style handler (bound): `Request` → `Promise<Response>`. */
  fetch(input: Request | string | URL, init?: RequestInit): Promise<Response>;
  /** Answers one request synchronously. */
  handle(method: string, url: string | URL, body: string): { status: number; headers: Record<string, string>; body: string };
  /** A copy of one user's state. Also served at `GET /__emulator/state?user=…`. */
  state(user: string): EmulatorUserState;
  /** Seeds a user's conversation list. Also served at `POST /__emulator/conversations`. */
  addConversations(user: string, conversations: Conversation[], options?: { msgTime?: number; pinned?: boolean }): void;
  /** Forgets all state, rate counters and the request log. */
  reset(): void;
  /** Changes the injected faults (`undefined` turns them off). */
  setFaults(faults?: EmulatorFaults): void;
  /** Makes an origin fail as if its domain were down (`false`: back up). */
  setDown(origin: string, down?: boolean): void;
  /** The service requests seen, with `recordRequests`. */
  readonly requestLog: EmulatorRequestRecord[];
  /**
   * Posts a callback to `callbackUrl` as the service does (query: `SdkAppid`,
   * `CallbackCommand`, `contenttype`, `ClientIP`, `OptPlatform`, and with
   * `callbackToken` `Sign` and `RequestTime`), for testing a handler offline.
   * Resolves to the app's answer (`reply`: parsed JSON, or null).
   */
  sendCallback(payload: { CallbackCommand: string; [field: string]: unknown }, options?: { requestTime?: number }): Promise<{ status: number; reply: unknown }>;
  /** The rate alerts sent (the last 1,000): when, what, and the answer's status or the send's error. */
  readonly callbackLog: { at: number; payload: { CallbackCommand: "Alert.RequestOverLimit"; ServiceName: string; Command: string; Request: number; Limit: number }; status?: number; error?: string }[];
}

/** Creates an emulator (in Deno, Workers and browsers: in-process only, through `fetch`). */
export declare function createEmulator(options?: EmulatorOptions): Emulator;
export declare const FAULT_KINDS: readonly FaultKind[];
export declare const DEFAULT_CREDENTIALS: Readonly<{ sdkAppId: number; identifier: string; secretKey: string }>;
export declare const EMULATOR_LIMITS: Readonly<{
  groupNameBytes: number;
  groupsPerUser: number;
  groupedConversations: number;
  updateItems: number;
  ratePerSecond: number;
  searchConversations: number;
  markItems: number;
  customMarkBytes: number;
  markedConversations: number;
  markBits: number;
  /** Request bodies over this many bytes get HTTP 413 (the emulator's own cap). */
  requestBodyBytes: number;
  /** Deletions remembered per user in `state(user).deleted` (the oldest are forgotten). */
  deletedLog: number;
  /** Conversations a read returns at most on the base edition (100) and on an advanced one (500). */
  pullCapBase: number;
  pullCapAdvanced: number;
}>;
