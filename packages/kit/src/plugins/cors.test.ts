import { describe, expect, test } from "bun:test";
import { Elysia } from "elysia";
import { corsPolicy } from "./cors.ts";

const appWith = (policy?: Parameters<typeof corsPolicy>[0]) => new Elysia().use(corsPolicy(policy)).get("/thing", () => "ok");
const preflight = (origin: string) =>
  new Request("http://localhost/thing", { method: "OPTIONS", headers: { origin, "access-control-request-method": "GET" } });

describe("corsPolicy", () => {
  test("allows only the configured origins, without credentials unless configured", async () => {
    const app = appWith({ origins: ["https://app.example"] });
    const allowed = await app.handle(preflight("https://app.example"));
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://app.example");
    expect(allowed.headers.get("access-control-allow-credentials")).toBeNull();
    const simple = await app.handle(new Request("http://localhost/thing", { headers: { origin: "https://app.example" } }));
    expect(simple.headers.get("access-control-allow-credentials")).toBeNull();
    expect(simple.headers.get("access-control-expose-headers")).toContain("case-id");
    const refused = await app.handle(preflight("https://evil.example"));
    expect(refused.headers.get("access-control-allow-origin")).not.toBe("https://evil.example");
  });

  test("allows credentials from the configured origins when configured", async () => {
    const allowed = await appWith({ origins: ["https://app.example"], credentials: true }).handle(preflight("https://app.example"));
    expect(allowed.headers.get("access-control-allow-credentials")).toBe("true");
  });

  test("sends no CORS headers when no origin is configured", async () => {
    const response = await appWith().handle(new Request("http://localhost/thing", { headers: { origin: "https://app.example" } }));
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });
});
