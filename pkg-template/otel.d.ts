/** The part of an OpenTelemetry `Tracer` (from `@opentelemetry/api`) that `tracedFetch` uses. */
export interface TracerLike {
    startSpan(name: string, options?: { kind?: number; attributes?: Record<string, string | number> }): {
        setAttribute(key: string, value: string | number): unknown;
        setStatus(status: { code: number; message?: string }): unknown;
        recordException(exception: { name: string; message: string }): unknown;
        end(): void;
    };
}

/**
 * A fetch for the client's `fetch` option that records each HTTP attempt as
 * a client span of `tracer` (`trace.getTracer("my-app")`): named
 * `tim <command>`, with the method, the URL (its signature redacted), the
 * host, the status; an error status on HTTP 400 and up or a failed fetch.
 * `fetch`: the fetch to call (default `globalThis.fetch`).
 */
export function tracedFetch(tracer: TracerLike, fetch?: typeof globalThis.fetch): typeof globalThis.fetch;
