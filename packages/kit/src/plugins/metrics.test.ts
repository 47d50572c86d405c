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
    expect(text).toContain('http_request_duration_seconds_count{service="counted",method="GET",route="/things/:id",status="200"} 3');
    expect(text).toContain("process_cpu_seconds_total");
  });

  test("keeps each service's registry apart in one process", async () => {
    const one = new Elysia().use(metrics({ service: "one" })).get("/a", () => "a");
    const two = new Elysia().use(metrics({ service: "two" }));
    await one.handle(new Request("http://localhost/a"));
    await waitFor(async () => (await (await one.handle(new Request("http://localhost/metrics"))).text()).includes('route="/a"'));
    expect(await (await two.handle(new Request("http://localhost/metrics"))).text()).not.toContain('route="/a"');
  });
});
