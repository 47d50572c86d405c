import { describe, expect, test } from "bun:test";
import { Elysia } from "elysia";
import { waitFor } from "@w2meet/testing";
import { metrics } from "./metrics.ts";

describe("metrics", () => {
  test("counts and times requests by method, route and status in Prometheus format, with the process's own", async () => {
    const app = new Elysia().use(metrics({ service: "counted" })).get("/things/:id", () => "ok");
    for (const id of ["1", "2", "3"]) await app.handle(new Request(`http://localhost/things/${id}`));
    const scrape = async () => (await app.handle(new Request("http://localhost/metrics"))).text();
    // Observed once each response has been handed back.
    const text = await waitFor(async () => {
      const current = await scrape();
      return current.includes('http_requests_total{method="GET",route="/things/:id",status="200",service="counted"} 3') ? current : null;
    });
    const series = '{method="GET",route="/things/:id",status="200",service="counted"}';
    expect(text).toContain(`http_request_duration_seconds_count${series} 3`);
    expect(
      Number(text.match(/http_request_duration_seconds_sum\{method="GET",route="\/things\/:id"[^}]*\} ([\d.e-]+)/)?.[1]),
    ).toBeGreaterThan(0);
    // Buckets are cumulative, from the smallest bound up to +Inf, which holds every request.
    const buckets = [
      ...text.matchAll(
        /http_request_duration_seconds_bucket\{method="GET",route="\/things\/:id",status="200",le="([^"]+)",service="counted"\} (\d+)/g,
      ),
    ];
    expect(buckets.map(([, le]) => le)).toEqual([
      "0.0005",
      "0.001",
      "0.0025",
      "0.005",
      "0.01",
      "0.025",
      "0.05",
      "0.1",
      "0.25",
      "0.5",
      "1",
      "2.5",
      "+Inf",
    ]);
    const counts = buckets.map(([, , count]) => Number(count));
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(counts.at(-1)).toBe(3);
    expect(text).toContain("# TYPE http_request_duration_seconds histogram");
    expect(text).toContain("# TYPE http_requests_total counter");
    expect(text).toContain("process_cpu_seconds_total");
  });

  test("counts a request in the buckets at and above its duration only", async () => {
    const app = new Elysia().use(metrics({ service: "timed" })).get("/slow", async () => {
      await Bun.sleep(30);
      return "ok";
    });
    await app.handle(new Request("http://localhost/slow"));
    const bucket = async (le: string) => {
      const text = await (await app.handle(new Request("http://localhost/metrics"))).text();
      const line = new RegExp(
        `http_request_duration_seconds_bucket\\{method="GET",route="/slow",status="200",le="${le.replace("+", "\\+")}",service="timed"\\} (\\d+)`,
      );
      return Number(text.match(line)?.[1]);
    };
    await waitFor(async () => (await bucket("+Inf")) === 1);
    expect(await bucket("0.025")).toBe(0);
    expect(await bucket("2.5")).toBe(1);
  });

  test("keeps each service's registry apart in one process", async () => {
    const one = new Elysia().use(metrics({ service: "one" })).get("/a", () => "a");
    const two = new Elysia().use(metrics({ service: "two" }));
    await one.handle(new Request("http://localhost/a"));
    await waitFor(async () => (await (await one.handle(new Request("http://localhost/metrics"))).text()).includes('route="/a"'));
    expect(await (await two.handle(new Request("http://localhost/metrics"))).text()).not.toContain('route="/a"');
  });
});
