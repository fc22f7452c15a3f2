// The emulator's types in Node.js, where it can also listen over HTTP.
import type { Emulator, EmulatorOptions } from "./index.js";
export * from "./index.js";

/** Where a listening emulator is. */
export interface EmulatorListener {
  /** Its origin, e.g. `http://127.0.0.1:39127`: use it as `baseUrl`. */
  url: string;
  port: number;
  /** Stops it (open connections are closed). */
  close(): Promise<void>;
}

/** What `listen({ log })` is given for every HTTP request. */
export interface EmulatorLogRecord {
  method: string;
  path: string;
  /** e.g. `"get_list"`; absent for other paths. */
  command?: string;
  /** The body's From_Account. */
  user?: string;
  status: number;
  /** The answer's ErrorCode. */
  code?: number;
  ms: number;
}

/** The emulator in Node.js. */
export interface NodeEmulator extends Emulator {
  /** Serves it over HTTP on 127.0.0.1 (a free port unless `port` is given); `stopAfterMs` stops it by itself. */
  listen(options?: { port?: number; host?: string; stopAfterMs?: number; log?: (request: EmulatorLogRecord) => void }): Promise<EmulatorListener>;
}

/** Creates an emulator; `listen()` serves it over HTTP. */
export declare function createEmulator(options?: EmulatorOptions): NodeEmulator;
