import { expect, test } from "bun:test";
import { createLogger } from "./logger.ts";
import { createService } from "./service.ts";
import { waitFor } from "./testing.ts";

const quiet = createLogger({ service: "test", level: "error" });
const preflight = (origin: string) =>
  new Request("http://localhost/health", {
    method: "OPTIONS",
    headers: { origin, "access-control-request-method": "GET" },
  });

test("allows only the configured origins", async () => {
  const app = createService({ name: "test", description: "t", logger: quiet, corsOrigins: ["https://app.example"] });
  const allowed = await app.handle(preflight("https://app.example"));
  expect(allowed.headers.get("access-control-allow-origin")).toBe("https://app.example");
  const refused = await app.handle(preflight("https://evil.example"));
  expect(refused.headers.get("access-control-allow-origin")).not.toBe("https://evil.example");
});

test("sends no CORS headers when no origin is configured", async () => {
  const app = createService({ name: "test", description: "t", logger: quiet });
  const response = await app.handle(new Request("http://localhost/health/live", { headers: { origin: "https://app.example" } }));
  expect(response.headers.get("access-control-allow-origin")).toBeNull();
});

test("logs one JSON line per request with the case id, route, status and duration", async () => {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ service: "test", sink: (line) => lines.push(JSON.parse(line)) });
  const app = createService({ name: "test", description: "t", logger });
  await app.handle(new Request("http://localhost/health/live", { headers: { "case-id": "line-1" } }));
  // The line is written once the response has been handed back.
  const line = await waitFor(() => lines.find((entry) => entry.case_id === "line-1"));
  expect(line).toMatchObject({ service: "test", method: "GET", route: "/health/live", status: 200, duration_ms: expect.any(Number) });
});
