import { describe, expect, test } from "bun:test";
import { durationSeconds, gatewayOf, route, ruleMatches } from "./traefik.ts";

describe("ruleMatches", () => {
  test("evaluates path matchers with &&, || and ! in Traefik's precedence", () => {
    expect(ruleMatches("PathPrefix(`/api/users`)", "/api/users/x")).toBe(true);
    expect(ruleMatches("Path(`/a`) || Path(`/b`) && Path(`/c`)", "/a")).toBe(true);
    expect(ruleMatches("(Path(`/a`) || Path(`/b`)) && Path(`/c`)", "/a")).toBe(false);
    expect(ruleMatches("PathPrefix(`/a`) && !Path(`/a/b`)", "/a/b")).toBe(false);
    expect(ruleMatches("PathRegexp(`^/x/[0-9]+$`)", "/x/42")).toBe(true);
  });

  test("refuses a matcher it cannot evaluate rather than ignoring it", () => {
    expect(() => ruleMatches("Host(`example.com`) && PathPrefix(`/`)", "/")).toThrow("Host");
  });
});

describe("route", () => {
  const gateway = gatewayOf(
    {
      services: {
        users: {
          labels: {
            "traefik.enable": "true",
            "traefik.http.routers.users.rule": "PathPrefix(`/api/users`)",
            "traefik.http.routers.users.entrypoints": "web",
            "traefik.http.routers.users.service": "users",
            "traefik.http.routers.users.middlewares": "strip-api@file",
            "traefik.http.services.users.loadbalancer.server.port": "3001",
          },
        },
        hidden: { labels: { "traefik.http.routers.hidden.rule": "PathPrefix(`/`)" } },
      },
    },
    {
      http: {
        routers: { health: { rule: "Path(`/health`)", entryPoints: ["web"], service: "ping@internal" } },
        middlewares: { "strip-api": { stripPrefix: { prefixes: ["/api"] } } },
      },
    },
  );

  test("picks the router whose rule matches and strips its prefixes", () => {
    expect(route(gateway, "/api/users/x")).toMatchObject({ router: { name: "users@docker" }, upstreamPath: "/users/x" });
    expect(route(gateway, "/health")?.router.service).toBe("ping@internal");
    expect(gateway.services.get("users@docker")?.port).toBe(3001);
  });

  test("ignores containers that do not opt in with traefik.enable", () => {
    expect(route(gateway, "/anything")).toBeUndefined();
  });
});

test("durationSeconds reads Go durations", () => {
  expect(durationSeconds("60s")).toBe(60);
  expect(durationSeconds("1m30s")).toBe(90);
  expect(durationSeconds("250ms")).toBe(0.25);
  expect(() => durationSeconds("60")).toThrow();
});
