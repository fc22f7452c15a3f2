// OpenTelemetry for the client, without depending on @opentelemetry/api:
// `tracedFetch(tracer, fetch?)` is a fetch for the client's `fetch` option
// that records each HTTP attempt as a client span of the tracer you pass
// (`trace.getTracer("my-app")`), a child of whatever span is active when
// the call is made. Nothing in the span holds a secret: the URL's
// signature reads REDACTED, and so does any in an error's message.

// The signature redacted as the client's events show it (as options.js
// does: written here too, so this entry shares no chunk with the client).
const redactUrl = (url) => String(url).replace(/([?&]usersig=)[^&]*/gi, "$1REDACTED");

const SPAN_KIND_CLIENT = 2;
const STATUS_ERROR = 2;

/** A fetch that records every attempt as a span of `tracer`, then calls `fetch` (default: the global one). */
export function tracedFetch(tracer, fetch = undefined) {
  if (tracer === null || typeof tracer !== "object" || typeof tracer.startSpan !== "function") {
    throw new TypeError("tracedFetch(tracer): pass an OpenTelemetry Tracer, e.g. trace.getTracer(\"my-app\") from @opentelemetry/api");
  }
  if (fetch !== undefined && typeof fetch !== "function") throw new TypeError("tracedFetch(tracer, fetch): fetch must be a function when given");
  return async function traced(url, init) {
    const shown = redactUrl(url);
    let host = "";
    try {
      host = new URL(shown).hostname;
    } catch {}
    const command = /\/v4\/recentcontact\/(\w+)/.exec(shown)?.[1] ?? "request";
    const span = tracer.startSpan(`tim ${command}`, {
      kind: SPAN_KIND_CLIENT,
      attributes: { "http.request.method": init?.method ?? "POST", "url.full": shown, "server.address": host, "tim.command": command },
    });
    try {
      const res = await (fetch ?? globalThis.fetch)(url, init);
      span.setAttribute("http.response.status_code", res.status);
      if (res.status >= 400) span.setStatus({ code: STATUS_ERROR, message: `HTTP ${res.status}` });
      return res;
    } catch (e) {
      let message = "fetch failed";
      try {
        message = redactUrl(typeof e?.message === "string" ? e.message : String(e));
      } catch {}
      span.recordException({ name: typeof e?.name === "string" ? e.name : "Error", message });
      span.setStatus({ code: STATUS_ERROR, message });
      throw e;
    } finally {
      span.end();
    }
  };
}
