// tim-recentcontact/otel against OpenTelemetry's own SDK (the in-memory
// exporter of @opentelemetry/sdk-trace-base): one client span per HTTP
// attempt, named for the command, with the status, an error status for a
// refused or failed attempt, and no signature anywhere in what is exported.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { ConversationClient, TimNetworkError } from "tim-recentcontact";
import { createEmulator } from "tim-recentcontact/emulator";
import { tracedFetch } from "tim-recentcontact/otel";

function tracing() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  return { exporter, tracer: provider.getTracer("tim-test") };
}

test("each attempt is a client span named for its command, with its status; a 503 and a failed fetch are errors; no signature exported", async () => {
  const { exporter, tracer } = tracing();
  const emulator = createEmulator();
  let busy = false;
  const flaky = (url, init) => (busy ? ((busy = false), Promise.resolve(new Response("busy", { status: 503 }))) : emulator.fetch(url, init));
  const client = new ConversationClient({ ...emulator.credentials, fetch: tracedFetch(tracer, flaky), userAgent: "otel-test/1" });
  await client.createConversationGroup({ fromAccount: "alice", groupName: "friends", conversations: [{ type: "c2c", toAccount: "bob" }] });
  busy = true; // a read's 503 is retried: two attempts, two spans
  await client.getConversationGroupsPage({ fromAccount: "alice" });
  const spans = exporter.getFinishedSpans();
  assert.deepEqual(spans.map((s) => [s.name, s.kind, s.attributes["http.response.status_code"], s.status.code]), [
    ["tim create_contact_group", SpanKind.CLIENT, 200, SpanStatusCode.UNSET],
    ["tim get_contact_group", SpanKind.CLIENT, 503, SpanStatusCode.ERROR],
    ["tim get_contact_group", SpanKind.CLIENT, 200, SpanStatusCode.UNSET],
  ]);
  assert.equal(spans[0].attributes["tim.command"], "create_contact_group");
  assert.equal(spans[0].attributes["http.request.method"], "POST");
  assert.match(String(spans[0].attributes["url.full"]), /\/v4\/recentcontact\/create_contact_group\?.*usersig=REDACTED/);

  exporter.reset();
  const secretUrl = (url) => Promise.reject(new TypeError(`fetch failed for ${url}`));
  const failing = new ConversationClient({ ...emulator.credentials, fetch: tracedFetch(tracer, secretUrl), maxRetries: 0 });
  await assert.rejects(failing.listConversationsPage({ fromAccount: "alice" }), TimNetworkError);
  const [failed] = exporter.getFinishedSpans();
  assert.equal(failed.name, "tim get_list");
  assert.equal(failed.status.code, SpanStatusCode.ERROR);
  assert.equal(failed.events[0].name, "exception");
  const exported = JSON.stringify(exporter.getFinishedSpans().map((s) => [s.attributes, s.events, s.status]));
  assert.match(exported, /usersig=REDACTED/);
  assert.ok(!/usersig=(?!REDACTED)/i.test(exported), exported);
});

test("tracedFetch refuses what is not a tracer; require() gives the same function", () => {
  assert.throws(() => tracedFetch({}), /pass an OpenTelemetry Tracer/);
  assert.throws(() => tracedFetch(tracing().tracer, "fetch"), /fetch must be a function/);
  assert.equal(typeof createRequire(import.meta.url)("tim-recentcontact/otel").tracedFetch, "function");
});
