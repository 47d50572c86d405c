import { describe, expect, test } from "bun:test";
import { Type } from "@sinclair/typebox";
import { createTokenVerifier } from "./auth.ts";
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

  test("answers a request with no token through no promise of its own: none of the kit's request hooks is async", async () => {
    // One async request hook (or one Elysia takes for async) makes its handler of every request async: a promise
    // and a turn of the event loop more per request, on every hop of a suggestion.
    const { logger } = capturedLogger("sync");
    const verifyTokens = createTokenVerifier({ keys: { keys: [] }, issuer: "i", audience: "a" });
    for (const takesBodies of [false, true]) {
      const service = createService({ name: "sync", description: "s", logger, verifyTokens, takesBodies }).get(
        "/plain/:id",
        ({ params }) => params.id,
      );
      const answer = service.fetch(new Request("http://localhost/plain/7"));
      if (!takesBodies) expect(answer).toBeInstanceOf(Response);
      expect(await (await answer).text()).toBe("7");
      // A token that does not verify is still refused before the route, with the kit's problem.
      const refused = await service.fetch(new Request("http://localhost/plain/7", { headers: { authorization: "Bearer a.b.c" } }));
      expect(refused.status).toBe(401);
      expect(((await refused.json()) as { case_id?: string }).case_id).toBeString();
      // Served on a socket, where Bun's own router calls Elysia's route handlers, the same.
      const server = service.listen({ port: 0, hostname: "127.0.0.1" }).server!;
      try {
        const base = `http://127.0.0.1:${server.port}/plain/7`;
        expect(await (await fetch(base)).text()).toBe("7");
        const refusedOnSocket = await fetch(base, { headers: { authorization: "Bearer a.b.c" } });
        expect(refusedOnSocket.status).toBe(401);
        expect(refusedOnSocket.headers.get("www-authenticate")).toContain('error="invalid_token"');
        expect((await fetch(base, { headers: { authorization: "Basic YWRhOnB3" } })).status).toBe(401);
      } finally {
        await server.stop(true);
      }
    }
  });
});
