import { describe, expect, test } from "bun:test";
import { Type } from "@sinclair/typebox";
import { createService } from "./service.ts";
import { capturedLogger, waitFor } from "@w2meet/testing";

describe("createService", () => {
  const { logger, lines } = capturedLogger("svc");
  const app = createService({ name: "svc", description: "A service", logger, cors: { origins: ["https://app.example"] } }).post(
    "/things",
    ({ body }) => body,
    { body: Type.Object({ name: Type.String() }, { additionalProperties: false }) },
  );
  const call = (path: string, init: RequestInit = {}) => app.handle(new Request(`http://localhost${path}`, init));

  test("composes every kit plugin: case id, problems, body limits, docs, health, metrics, CORS and the request log", async () => {
    const refused = await call("/things", {
      method: "POST",
      headers: { "content-type": "application/json", "case-id": "c-1", origin: "https://app.example" },
      body: "{}",
    });
    expect(refused.status).toBe(400);
    expect(refused.headers.get("case-id")).toBe("c-1");
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
    expect(refused.headers.get("access-control-allow-origin")).toBe("https://app.example");

    const tooLarge = await call("/things", {
      method: "POST",
      headers: { "content-type": "application/json", "content-length": String(70_000) },
      body: "x".repeat(70_000),
    });
    expect(tooLarge.status).toBe(413);

    expect((await call("/health")).status).toBe(200);
    expect((await call("/health/live")).status).toBe(200);
    expect((await call("/docs")).headers.get("content-type")).toContain("text/html");
    const document = (await (await call("/docs/json")).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(["/things", "/health"]));
    expect(Object.keys(document.paths)).not.toContain("/metrics");
    await waitFor(async () => (await (await call("/metrics")).text()).includes('route="/things"'), { what: "the metrics" });
    expect(await waitFor(() => lines.find((line) => line.case_id === "c-1"))).toMatchObject({ status: 400, route: "/things" });
  });
});
