import { Elysia } from "elysia";
import { collectDefaultMetrics, type Metric, Registry } from "prom-client";
import { answerOf, requestTiming } from "./request-timing.ts";

/** Upper bounds (seconds) of the request-duration buckets. */
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** The requests answered with one method, route and status: how many, their total time, and how many fell in each bucket. */
type Series = { labels: { method: string; route: string; status: string }; count: number; sum: number; buckets: number[] };

/**
 * `http_requests_total` and `http_request_duration_seconds`, kept per method, route and status in plain
 * counters and handed to prom-client's registry as its own metric objects (`get()` at scrape time).
 * prom-client's Counter and Histogram hash and validate the labels on every observation, which on a
 * request that is otherwise a few fetches was a tenth of the framework's cost per hop (BENCHMARKS.md,
 * "Per-hop cost against the floor"); here one observation is three map lookups and three additions.
 */
function requestMetrics(registry: Registry) {
  // Looked up by route, then status, then method: no key string built per observation.
  const byRoute = new Map<string, Map<number, Map<string, Series>>>();
  const values = (pick: (one: Series) => { labels: object; value: number; metricName?: string }[]) =>
    [...byRoute.values()].flatMap((byStatus) => [...byStatus.values()].flatMap((byMethod) => [...byMethod.values()].flatMap(pick)));
  const requests = {
    name: "http_requests_total",
    help: "HTTP requests answered",
    type: "counter",
    aggregator: "sum",
    get: async () => ({ ...requests, values: values((one) => [{ labels: one.labels, value: one.count }]) }),
    reset: () => byRoute.clear(),
  };
  const name = "http_request_duration_seconds";
  const duration = {
    name,
    help: "Time to answer an HTTP request",
    type: "histogram",
    aggregator: "sum",
    get: async () => ({
      ...duration,
      values: values((one) => {
        let cumulative = 0;
        return [
          ...BUCKETS.map((le, i) => {
            cumulative += one.buckets[i]!;
            return { labels: { ...one.labels, le }, value: cumulative, metricName: `${name}_bucket` };
          }),
          { labels: { ...one.labels, le: "+Inf" }, value: one.count, metricName: `${name}_bucket` },
          { labels: one.labels, value: one.sum, metricName: `${name}_sum` },
          { labels: one.labels, value: one.count, metricName: `${name}_count` },
        ];
      }),
    }),
    reset: () => byRoute.clear(),
  };
  registry.registerMetric(requests as unknown as Metric);
  registry.registerMetric(duration as unknown as Metric);
  return (method: string, route: string, status: number, seconds: number) => {
    let byStatus = byRoute.get(route);
    if (!byStatus) {
      byStatus = new Map();
      byRoute.set(route, byStatus);
    }
    let byMethod = byStatus.get(status);
    if (!byMethod) {
      byMethod = new Map();
      byStatus.set(status, byMethod);
    }
    let one = byMethod.get(method);
    if (!one) {
      one = { labels: { method, route, status: String(status) }, count: 0, sum: 0, buckets: BUCKETS.map(() => 0) };
      byMethod.set(method, one);
    }
    one.count++;
    one.sum += seconds;
    for (let i = 0; i < BUCKETS.length; i++) {
      if (seconds <= BUCKETS[i]!) {
        one.buckets[i]!++;
        break;
      }
    }
  };
}

/**
 * Prometheus metrics at `GET /metrics` (not routed by the gateway): requests counted and timed by method,
 * route and status, and the process's own metrics (prom-client's defaults), in one registry per service
 * so several apps can live in one process.
 */
export function metrics(options: { service: string }) {
  const registry = new Registry();
  registry.setDefaultLabels({ service: options.service });
  collectDefaultMetrics({ register: registry });
  const observe = requestMetrics(registry);
  return (
    new Elysia({ name: "kit.metrics", seed: options.service })
      .use(requestTiming())
      // Names what it reads, so Elysia prepares no more than that (see the request log).
      .onAfterResponse({ as: "global" }, ({ request, set, route: matched, responseValue }) => {
        const { status, route, durationMs } = answerOf({ set, route: matched, responseValue });
        observe(request.method, route, status, durationMs / 1000);
      })
      .get("/metrics", async () => new Response(await registry.metrics(), { headers: { "content-type": registry.contentType } }), {
        detail: { hide: true },
      })
  );
}
