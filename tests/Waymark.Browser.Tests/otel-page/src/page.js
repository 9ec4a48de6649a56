// A page instrumented as an app would be with the official OpenTelemetry JS
// web SDK, exporting OTLP/HTTP (JSON) straight to Waymark. The test that
// serves it (tests/Waymark.Browser.Tests/Otel) sets window.OTEL_CONFIG.
import { WebTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-web";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { LoggerProvider, BatchLogRecordProcessor } from "@opentelemetry/sdk-logs";
import { OTLPLogExporter } from "@opentelemetry/exporter-logs-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { registerInstrumentations } from "@opentelemetry/instrumentation";
import { DocumentLoadInstrumentation } from "@opentelemetry/instrumentation-document-load";
import { FetchInstrumentation } from "@opentelemetry/instrumentation-fetch";
import { UserInteractionInstrumentation } from "@opentelemetry/instrumentation-user-interaction";
import {
  createSessionManager,
  createDefaultSessionIdGenerator,
  createLocalStorageSessionStore,
  createSessionSpanProcessor,
  createSessionLogRecordProcessor,
} from "@opentelemetry/web-common";
import { onCLS, onFCP, onINP, onLCP, onTTFB } from "web-vitals";

const cfg = window.OTEL_CONFIG;
const headers = { "X-Waymark-App": cfg.app, "X-Waymark-Key": cfg.key };
const resource = resourceFromAttributes({
  "service.name": "otel-shop",
  "service.version": "1.4.0",
  "browser.language": navigator.language,
});

// Sessions as web-common keeps them (localStorage); session.id on every span and log record.
const sessions = createSessionManager({
  sessionIdGenerator: createDefaultSessionIdGenerator(),
  sessionStore: createLocalStorageSessionStore(),
  maxDuration: 4 * 3600,
  inactivityTimeout: 15 * 60,
});

const loggerProvider = new LoggerProvider({
  resource,
  processors: [
    createSessionLogRecordProcessor(sessions),
    new BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url: cfg.endpoint + "/v1/logs", headers }), scheduledDelayMillis: 200 }),
  ],
});
const events = loggerProvider.getLogger("otel-shop");

// The session's start and end as the semantic conventions' events; emitted after
// the manager has settled (emitting inside its callback would ask it for the session it is making).
sessions.addObserver({
  onSessionStarted(session, previous) {
    setTimeout(() => events.emit({ eventName: "session.start", attributes: previous ? { "session.previous_id": previous.id } : {} }), 0);
  },
  onSessionEnded(session) {
    events.emit({ eventName: "session.end", attributes: { "session.id": session.id } });
  },
});

const tracerProvider = new WebTracerProvider({
  resource,
  spanProcessors: [
    createSessionSpanProcessor(sessions),
    new BatchSpanProcessor(new OTLPTraceExporter({ url: cfg.endpoint + "/v1/traces", headers }), { scheduledDelayMillis: 200 }),
  ],
});
tracerProvider.register();

registerInstrumentations({
  instrumentations: [
    new DocumentLoadInstrumentation(),
    new FetchInstrumentation({ ignoreUrls: [/\/v1\/(traces|logs)$/] }),
    new UserInteractionInstrumentation(),
  ],
});

// Web vitals (Google's web-vitals) as the semantic conventions' browser.web_vital events.
const vital = (m) =>
  events.emit({
    eventName: "browser.web_vital",
    attributes: { name: m.name, value: m.value, delta: m.delta, id: m.id, rating: m.rating, "url.full": location.href },
  });
for (const on of [onTTFB, onFCP, onLCP, onCLS, onINP]) on(vital, { reportAllChanges: true });

// What the page does: three requests once it has loaded, one on a click, an error on another.
async function call(url, init) {
  try {
    const r = await fetch(url, init);
    await r.text();
  } catch {
    /* a network failure: the fetch span records it */
  }
}

window.otelShop = {
  sessionId: () => sessions.getSessionId(),
  flush: () => Promise.all([tracerProvider.forceFlush(), loggerProvider.forceFlush()]),
};

const afterLoad = (fn) => (document.readyState === "complete" ? setTimeout(fn, 0) : addEventListener("load", () => setTimeout(fn, 0)));

sessions.start().then(() => {
  afterLoad(async () => {
    await call(cfg.partner + "/otel/api/stock?sku=1");
    await call("/otel/api/price?id=1");
    await call(cfg.unreachable, { method: "POST", body: "{}" });
    document.body.dataset.loaded = "1";
  });
  document.getElementById("buy").addEventListener("click", () => {
    call("/otel/api/price?id=2");
  });
  document.getElementById("oops").addEventListener("click", () => {
    try {
      null.price();
    } catch (e) {
      events.emit({
        eventName: "exception",
        severityNumber: 17,
        attributes: { "exception.type": e.name, "exception.message": e.message, "exception.stacktrace": e.stack },
      });
    }
  });
});
