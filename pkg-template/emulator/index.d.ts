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
  /** false plays an app without the Premium edition: group commands get 51013. Default true. */
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
  /** Forgets all state and rate counters. */
  reset(): void;
  /** Node only: serves it over HTTP on 127.0.0.1 (a free port unless `port` is given). */
  listen?(options?: { port?: number; host?: string; stopAfterMs?: number }): Promise<{ url: string; port: number; close(): Promise<void> }>;
}

/** In Node, `listen` is always present. */
export interface NodeEmulator extends Emulator {
  listen(options?: { port?: number; host?: string; stopAfterMs?: number }): Promise<{ url: string; port: number; close(): Promise<void> }>;
}

export declare function createEmulator(options?: EmulatorOptions): NodeEmulator;
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
}>;
