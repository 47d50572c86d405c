import { afterAll, describe, expect, test } from "bun:test";
import type { Health } from "@w2meet/contracts";
import { createLogger } from "@w2meet/kit";
import { closedPortUrl, freePort, startFakeService } from "@w2meet/testing";
import { buildGatewayApp } from "../app.ts";
import { loadGatewayConfig } from "../config.ts";

const quiet = createLogger({ service: "gateway", level: "error", sink: () => {} });
const report = (service: string, status: Health["status"], down?: string): Health => ({
  service,
  status,
  dependencies: { postgres: { status: down === "postgres" ? "down" : "up", response_time_ms: 1, required: true } },
});

/** A replica answering `/health` with `health`, on `hostname` (replicas of one service share a port). */
const replica = (health: Health, hostname?: string, port?: number) =>
  startFakeService({
    path: "/health",
    answer: () => Response.json(health, { status: health.status === "unhealthy" ? 503 : 200 }),
    hostname,
    port,
  });

const started: { stop: () => unknown }[] = [];
afterAll(() => Promise.all(started.map((server) => server.stop())));

/** The gateway with each service at the given base URL; the rest healthy on fakes of their own. */
function gatewayWith(
  urls: Partial<Record<"USERS_URL" | "AVAILABILITY_URL" | "SUGGESTIONS_URL" | "WORKER_URL" | "WEB_URL", string>>,
  env: Record<string, string> = {},
  resolve?: (host: string) => Promise<string[]>,
) {
  const base: Record<string, string> = {};
  for (const [setting, service] of [
    ["USERS_URL", "users"],
    ["AVAILABILITY_URL", "availability"],
    ["SUGGESTIONS_URL", "suggestions"],
    ["WORKER_URL", "worker"],
    ["WEB_URL", "web"],
  ] as const) {
    if (urls[setting]) continue;
    const healthy = replica(report(service, "healthy"));
    started.push(healthy);
    base[setting] = healthy.url;
  }
  return buildGatewayApp(loadGatewayConfig({ ...base, ...urls, ...env }), quiet, { resolve });
}

async function systemHealth(app: ReturnType<typeof gatewayWith>, caseId = "sys-1") {
  const response = await app.handle(new Request("http://localhost/health/system", { headers: { "case-id": caseId } }));
  return { status: response.status, body: (await response.json()) as any };
}

describe("GET /health/system (the gateway's /api/health)", () => {
  test("is healthy with 200 when every replica of every service is, with each one's dependencies", async () => {
    const { status, body } = await systemHealth(gatewayWith({}));
    expect(status).toBe(200);
    expect(body.status).toBe("healthy");
    expect(Object.keys(body.services).sort()).toEqual(["availability", "suggestions", "users", "web", "worker"]);
    expect(body.services.users).toMatchObject({
      status: "healthy",
      replicas: [{ address: "127.0.0.1", status: "healthy", dependencies: { postgres: { status: "up" } } }],
    });
  });

  test("is degraded, still 200, when a service is degraded", async () => {
    const degraded = replica(report("users", "degraded"));
    started.push(degraded);
    const { status, body } = await systemHealth(gatewayWith({ USERS_URL: degraded.url }));
    expect(status).toBe(200);
    expect(body.status).toBe("degraded");
    expect(body.services.users.status).toBe("degraded");
  });

  test("is unhealthy with 503 when a service's only replica is unhealthy, passing the case id on", async () => {
    const sick = replica(report("worker", "unhealthy", "postgres"));
    started.push(sick);
    const { status, body } = await systemHealth(gatewayWith({ WORKER_URL: sick.url }), "sys-503");
    expect(status).toBe(503);
    expect(body.status).toBe("unhealthy");
    expect(body.services.worker.replicas[0].dependencies.postgres.status).toBe("down");
    expect(sick.calls.at(-1)?.caseId).toBe("sys-503");
  });

  test("is unhealthy when a service cannot be reached, or does not answer within HEALTH_TIMEOUT_MS", async () => {
    const unreachable = await systemHealth(gatewayWith({ SUGGESTIONS_URL: closedPortUrl("http") }));
    expect(unreachable.status).toBe(503);
    expect(unreachable.body.services.suggestions).toMatchObject({
      status: "unhealthy",
      replicas: [{ status: "unhealthy", detail: "It could not be reached" }],
    });

    const silent = replica(report("availability", "healthy"));
    started.push(silent);
    silent.hang();
    const startedAt = performance.now();
    const slow = await systemHealth(gatewayWith({ AVAILABILITY_URL: silent.url }, { HEALTH_TIMEOUT_MS: "300" }));
    expect(performance.now() - startedAt).toBeLessThan(2000);
    expect(slow.status).toBe(503);
    expect(slow.body.services.availability.replicas[0].detail).toBe("It did not answer within 300 ms");
  });

  test("asks every replica its host name resolves to, degraded while some still serve", async () => {
    const port = freePort();
    const first = replica(report("availability", "healthy"), "127.0.0.2", port);
    const second = replica(report("availability", "unhealthy", "postgres"), "127.0.0.3", port);
    started.push(first, second);
    const resolve = async (host: string) => (host === "availability.internal" ? ["127.0.0.2", "127.0.0.3"] : [host]);
    const { status, body } = await systemHealth(gatewayWith({ AVAILABILITY_URL: `http://availability.internal:${port}` }, {}, resolve));
    expect(status).toBe(200);
    expect(body.status).toBe("degraded");
    const replicas = body.services.availability.replicas.map((r: { address: string; status: string }) => `${r.address} ${r.status}`).sort();
    expect(replicas).toEqual(["127.0.0.2 healthy", "127.0.0.3 unhealthy"]);
    expect(body.services.availability.status).toBe("degraded");
  });
});
