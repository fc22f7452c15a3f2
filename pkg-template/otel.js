/* @ts-self-types="./otel.d.ts" */
// tim-recentcontact/otel: OpenTelemetry spans for the client's HTTP attempts (any runtime).
export { tracedFetch } from "./lib/otel.js";
