import { describe, expect, test } from "bun:test";
import { createLogger } from "@w2meet/kit";
import { buildGatewayApp } from "../app.ts";
import { loadGatewayConfig } from "../config.ts";
import { BREAKER_OPEN_STATUS } from "./service.ts";

const app = buildGatewayApp(loadGatewayConfig({}), createLogger({ service: "gateway", level: "error", sink: () => {} }));

/** A request as Traefik makes it: the errors middleware's page, or the lowest router's rewritten path. */
async function ask(path: string, init: RequestInit & { caseId?: string } = {}) {
  const headers = new Headers(init.headers);
  if (init.caseId) headers.set("case-id", init.caseId);
  const response = await app.handle(new Request(`http://localhost${path}`, { ...init, headers }));
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}
const pageFor = (status: number, original: number, url: string) => `/errors/${status}?from=${original}&url=${encodeURIComponent(url)}`;

describe("the errors middleware's page", () => {
  test("answers a rate limit with a 429 problem, Retry-After and the request's case id, naming the service", async () => {
    const { status, headers, body } = await ask(pageFor(429, 429, "http://localhost:8080/api/users/ada@example.com"), {
      caseId: "limit-1",
    });
    expect(status).toBe(429);
    expect(headers.get("content-type")).toBe("application/problem+json");
    expect(headers.get("retry-after")).toBe("1");
    expect(headers.get("case-id")).toBe("limit-1");
    expect(body).toMatchObject({ status: 429, title: "Too many requests", case_id: "limit-1" });
    expect(body.detail).toContain("users service");
  });

  test("tells an open circuit breaker (caught as 599) from a service with no ready replica, both 503 with Retry-After", async () => {
    const breaker = await ask(pageFor(503, BREAKER_OPEN_STATUS, "https://w2meet.example.com/api/tasks/x"));
    expect(breaker.status).toBe(503);
    expect(breaker.headers.get("retry-after")).toBe("2");
    expect(breaker.body.detail).toContain("stopped sending requests to the worker service");
    const none = await ask(pageFor(503, 503, "http://localhost:8080/api/suggestions?users=a,b"));
    expect(none.headers.get("retry-after")).toBe("5");
    expect(none.body.detail).toBe("No replica of the suggestions service is ready");
  });

  test("answers an unreachable replica 502 and a late one 504, as problems naming the service", async () => {
    const unreachable = await ask(pageFor(502, 502, "http://localhost:8080/api/availability/heatmap?users=a,b"), { caseId: "c-502" });
    expect(unreachable).toMatchObject({ status: 502, body: { type: "urn:w2meet:problem:bad-gateway", case_id: "c-502" } });
    expect(unreachable.body.detail).toBe("The gateway could not reach the availability service");
    const late = await ask(pageFor(504, 504, "http://localhost:8080/users/health"));
    expect(late).toMatchObject({ status: 504, body: { type: "urn:w2meet:problem:gateway-timeout" } });
    expect(late.body.detail).toBe("The users service did not answer the gateway in time");
  });

  test("names the service from the URL Traefik gives and the prefix its router stripped from it", async () => {
    const api = await ask(pageFor(502, 502, "http://localhost:8080/users/ada@example.com"), { headers: { "x-forwarded-prefix": "/api" } });
    expect(api.body.detail).toBe("The gateway could not reach the users service");
    const ops = await ask(pageFor(502, 502, "http://localhost:8080/health"), { headers: { "x-forwarded-prefix": "/worker" } });
    expect(ops.body.detail).toBe("The gateway could not reach the worker service");
  });

  test("still answers a problem without the request's URL, or for a status it has no words for", async () => {
    expect((await ask("/errors/502")).body.detail).toBe("The gateway could not reach the service");
    expect(await ask("/errors/418")).toMatchObject({ status: 418, body: { title: "I'm a Teapot", status: 418 } });
  });
});

describe("a request no router took", () => {
  test("answers 404 for a path no service answers, whatever the method and body", async () => {
    for (const method of ["GET", "POST", "DELETE"]) {
      const { status, headers, body } = await ask("/unrouted/api/nope", {
        method,
        body: method === "POST" ? "{not json" : undefined,
        caseId: "lost-1",
      });
      expect(status).toBe(404);
      expect(headers.get("content-type")).toBe("application/problem+json");
      expect(body).toMatchObject({ status: 404, case_id: "lost-1", detail: "The gateway has no route for this method and path" });
    }
    expect((await ask("/unrouted/users/metrics")).status).toBe(404);
    expect((await ask("/unrouted/groups")).status).toBe(404);
  });

  test("answers 503 with Retry-After for a service's path while the service has no ready replica", async () => {
    const paths = {
      "/api/users/ada@example.com": "users",
      "/api/tasks": "worker",
      "/suggestions/docs/json": "suggestions",
      "/availability/health": "availability",
      "/": "web",
      "/group": "web",
      "/assets/week-abc123.js": "web",
    };
    for (const [path, service] of Object.entries(paths)) {
      const { status, headers, body } = await ask(`/unrouted${path}`, { method: "POST", body: "{not json" });
      expect(status, path).toBe(503);
      expect(headers.get("retry-after")).toBe("5");
      expect(body.detail).toBe(`No replica of the ${service} service is ready`);
    }
  });
});
