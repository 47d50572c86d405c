import { Elysia } from "elysia";
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { answerOf, requestTiming } from "./request-timing.ts";

/** Prometheus metrics of one service: its own registry, so several apps can live in one process. */
function createMetrics(service: string) {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  const labelNames = ["method", "route", "status"] as const;
  const requests = new Counter({ name: "http_requests_total", help: "HTTP requests answered", labelNames, registers: [registry] });
  const duration = new Histogram({
    name: "http_request_duration_seconds",
    help: "Time to answer an HTTP request",
    labelNames,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  return {
    registry,
    observe(method: string, route: string, status: number, seconds: number) {
      const labels = { method, route, status: String(status) };
      requests.inc(labels);
      duration.observe(labels, seconds);
    },
  };
}

/**
 * Prometheus metrics at `GET /metrics` (not routed by the gateway): requests counted and timed by method,
 * route and status, and the process's own metrics.
 */
export function metrics(options: { service: string }) {
  const { registry, observe } = createMetrics(options.service);
  return (
    new Elysia({ name: "kit.metrics", seed: options.service })
      .use(requestTiming())
      // Names what it reads, so Elysia prepares no more than that (see the request log).
      .onAfterResponse({ as: "global" }, ({ request, set, route: matched, responseValue }) => {
        const { status, route, durationMs } = answerOf({ request, set, route: matched, responseValue });
        observe(request.method, route, status, durationMs / 1000);
      })
      .get("/metrics", async () => new Response(await registry.metrics(), { headers: { "content-type": registry.contentType } }), {
        detail: { hide: true },
      })
  );
}
