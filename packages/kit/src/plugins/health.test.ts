import { describe, expect, test } from "bun:test";
import { Elysia } from "elysia";
import { health } from "./health.ts";

const answerOf = async (app: { handle: (request: Request) => Promise<Response> }, path = "/health") => {
  const response = await app.handle(new Request(`http://localhost${path}`));
  return { status: response.status, body: (await response.json()) as Record<string, any> };
};
const up = async () => {};
const down = async () => {
  throw new Error("refused");
};

describe("health", () => {
  test("is healthy with every dependency up, each with its response time", async () => {
    const app = new Elysia().use(health({ service: "svc", dependencies: { db: { required: true, check: up } } }));
    expect(await answerOf(app)).toEqual({
      status: 200,
      body: {
        service: "svc",
        status: "healthy",
        dependencies: { db: { status: "up", required: true, response_time_ms: expect.any(Number) } },
      },
    });
  });

  test("is degraded, still 200, when an optional dependency is down, saying why", async () => {
    const app = new Elysia().use(
      health({ service: "svc", dependencies: { db: { required: true, check: up }, cache: { required: false, check: down } } }),
    );
    const { status, body } = await answerOf(app);
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: "degraded", dependencies: { cache: { status: "down", detail: "refused" } } });
  });

  test("is unhealthy with 503 when a required dependency is down, while /health/live still answers", async () => {
    const app = new Elysia().use(health({ service: "svc", dependencies: { db: { required: true, check: down } } }));
    expect(await answerOf(app)).toMatchObject({ status: 503, body: { status: "unhealthy" } });
    expect(await answerOf(app, "/health/live")).toEqual({ status: 200, body: { status: "alive" } });
  });
});
