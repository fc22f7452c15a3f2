// Rate limiters for the client's `rateLimiter` option: one budget for a
// fleet of processes or Workers (docs/fleet.md).
import type { RateLimiter } from "../index.d.ts";
export type { RateLimiter } from "../index.d.ts";

/** Options of `LocalRateLimiter`. */
export interface LocalRateLimiterOptions {
    /** Calls per second per command before the margin; default 200. */
    maxRequestsPerSecond?: number;
    /** Share kept in reserve, 0 to 0.5; default 0.07. */
    margin?: number;
}

/**
 * Pacing for one process as a limiter object: each command's calls leave
 * one interval apart; `penalize` halves the command's rate (down to 1/16)
 * and each call let through wins back 5 %.
 */
export class LocalRateLimiter implements RateLimiter {
    constructor(options?: LocalRateLimiterOptions);
    acquire(command: string, options?: { signal?: AbortSignal }): Promise<void>;
    penalize(command: string): void;
}

/** What a shared limiter reports through `onEvent`. */
export type SharedLimiterEvent =
    | {
          /** The store failed or did not answer within `timeoutMs`: calls are paced locally. */
          type: "unavailable";
          store: "Redis" | "Durable Object";
          message: string;
          error: unknown;
          /** This member's fallback pace: its share of half the margin (see `fallbackRequestsPerSecond`). */
          fallbackRequestsPerSecond: number;
          /** How many members the store last counted; undefined before it ever answered (4 are assumed). */
          members: number | undefined;
          retryAfterMs: number;
      }
    | { /** The store answered again: calls share its budget again. */ type: "restored"; store: "Redis" | "Durable Object" }
    | {
          /**
           * The store had no budget for a command this member had used: its
           * state was lost (restart, flush, storage gone). It started again
           * one horizon (500 ms) ahead, after every slot still pending.
           */
          type: "reset";
          store: "Redis" | "Durable Object";
          command: string;
      }
    | {
          /**
           * The store is so far (a smoothed round trip of `roundTripMs`) that
           * this member, one round trip at a time, can use at most
           * `maxRequestsPerSecond` of the budget. Said once per limiter.
           */
          type: "slow";
          store: "Redis" | "Durable Object";
          roundTripMs: number;
          maxRequestsPerSecond: number;
      };

/** Options of both shared limiters. */
export interface SharedRateLimiterOptions {
    /** The app whose budget is shared (the service counts calls per app). */
    sdkAppId: number;
    /** Calls per second per command for the whole fleet, before the margin; default 200. */
    maxRequestsPerSecond?: number;
    /** Share kept in reserve, 0 to 0.5: half for timing and network jitter, half for the fallback; default 0.1 (180 calls/s). */
    margin?: number;
    /** Fewest slots one round trip asks for when that many calls wait; more when the store is far (1.5 round trips' worth); default 20. */
    batch?: number;
    /** How long the store may take to answer before the fallback paces; default 1000 ms. */
    timeoutMs?: number;
    /** After a failure, how long calls are paced locally before the store is tried again; default 5000 ms. */
    retryAfterMs?: number;
    /**
     * The most this process sends per second per command while the store is
     * unreachable. Its pace is its share of half the margin (`maxRequestsPerSecond
     * × margin / 2` divided by the members the store last counted, or by 4
     * before it ever answered), never more than this; no cap by default.
     */
    fallbackRequestsPerSecond?: number;
    /** Called when the store becomes unavailable and when it is back; without it, unavailability is a console.warn. */
    onEvent?: (event: SharedLimiterEvent) => void;
}

/** The Redis client the limiter runs its script with. */
export type RedisLike =
    | { eval(...args: any[]): Promise<unknown> }
    | ((script: string, keys: string[], args: string[]) => Promise<unknown>);

export interface RedisRateLimiterOptions extends SharedRateLimiterOptions {
    /**
     * Keys are `${keyPrefix}:${sdkAppId}:${command}` and `{…that}:members`
     * (one Redis Cluster slot); default "tim-recentcontact". May hold a hash
     * tag like "{tim}", but no other brace.
     */
    keyPrefix?: string;
}

/** What the Redis and Durable Object limiters share (lib/limiter.js's SharedRateLimiter). */
declare class SharedRateLimiter implements RateLimiter {
    acquire(command: string, options?: { signal?: AbortSignal }): Promise<void>;
    penalize(command: string): void;
    /** The spacing of one command's calls across the fleet, in ms. */
    readonly intervalMs: number;
    /** True while calls are paced locally after a failure of the store. */
    readonly degraded: boolean;
    /** This member's fallback pace now (calls/s per command): its share of half the margin, capped by the option. */
    readonly fallbackRequestsPerSecond: number;
}

/**
 * A budget shared through Redis (server-side Lua, the server's clock), with
 * your own client of `redis` (node-redis), `ioredis` or `@upstash/redis`.
 */
export class RedisRateLimiter extends SharedRateLimiter {
    constructor(redis: RedisLike, options: RedisRateLimiterOptions);
}

/** The binding of `RateLimiterDurableObject` in your Worker's environment. */
export interface DurableObjectNamespaceLike {
    idFromName(name: string): unknown;
    get(id: any): { fetch(input: string, init?: RequestInit): Promise<Response> };
}

/** A budget shared through a Durable Object, for Cloudflare Workers. */
export class DurableObjectRateLimiter extends SharedRateLimiter {
    constructor(namespace: DurableObjectNamespaceLike, options: SharedRateLimiterOptions);
}

/**
 * The Durable Object that owns an app's budget: export it from your Worker
 * and bind it. It keeps each command's next free slot in `state.storage`
 * (an eviction loses nothing); without storage, in memory only.
 */
export class RateLimiterDurableObject {
    constructor(state: unknown, env: unknown);
    fetch(request: Request): Promise<Response>;
}

/** The Lua script the Redis limiter runs (for review, or to load it yourself). */
export const REDIS_SCRIPT: string;
