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
    expect(() => ruleMatches("Header(`X-Test`, `1`) && PathPrefix(`/`)", "/")).toThrow("Header");
  });

  test("matches Host against the request's host name, localhost unless given, ignoring case", () => {
    const rule = "!Host(`localhost`) && !Host(`127.0.0.1`)";
    expect(ruleMatches(rule, "/")).toBe(false);
    expect(ruleMatches(rule, "/", "127.0.0.1")).toBe(false);
    expect(ruleMatches(rule, "/", "W2Meet.example.com")).toBe(true);
    expect(ruleMatches("Host(`w2meet.example.com`)", "/", "W2Meet.example.com")).toBe(true);
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
        fallback: {
          labels: {
            "traefik.enable": "true",
            "traefik.http.routers.rest.rule": "PathPrefix(`/`)",
            "traefik.http.routers.rest.priority": "1",
            "traefik.http.routers.rest.entrypoints": "web",
            "traefik.http.routers.rest.service": "fallback",
            "traefik.http.routers.rest.middlewares": "under-rest",
            "traefik.http.middlewares.under-rest.replacepathregex.regex": "^/(.*)",
            "traefik.http.middlewares.under-rest.replacepathregex.replacement": "/rest/$1",
            "traefik.http.routers.status.rule": "Path(`/api/status`)",
            "traefik.http.routers.status.entrypoints": "web",
            "traefik.http.routers.status.service": "fallback",
            "traefik.http.routers.status.middlewares": "status-path",
            "traefik.http.middlewares.status-path.replacepath.path": "/status",
            "traefik.http.middlewares.pages.errors.status": "429,599",
            "traefik.http.middlewares.pages.errors.statusrewrites.599": "503",
          },
        },
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

  test("ignores containers that do not opt in with traefik.enable, leaving their paths to the lowest router", () => {
    expect(route(gateway, "/anything")).toMatchObject({ router: { name: "rest@docker" }, upstreamPath: "/rest/anything" });
  });

  test("replaces the path as replacePath and replacePathRegex do", () => {
    expect(route(gateway, "/api/status")).toMatchObject({ router: { name: "status@docker" }, upstreamPath: "/status" });
    expect(route(gateway, "/api/other")).toMatchObject({ router: { name: "rest@docker" }, upstreamPath: "/rest/api/other" });
  });

  test("reads a label's map option, such as the errors middleware's status rewrites, as a map", () => {
    expect(gateway.middlewares.get("pages@docker")).toEqual({ errors: { status: "429,599", statusrewrites: { "599": "503" } } });
  });
});

test("durationSeconds reads Go durations", () => {
  expect(durationSeconds("60s")).toBe(60);
  expect(durationSeconds("1m30s")).toBe(90);
  expect(durationSeconds("250ms")).toBe(0.25);
  expect(() => durationSeconds("60")).toThrow();
});
