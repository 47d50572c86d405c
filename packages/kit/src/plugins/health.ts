import { Health, Liveness } from "@w2meet/contracts";
import { Elysia } from "elysia";
import { createHealthCheck, type DependencyCheck } from "../health.ts";

/**
 * `GET /health`: each dependency's state and response time, folded into healthy, degraded (an optional
 * one is down) or 503 unhealthy (a required one is); `GET /health/live`: 200 while the process serves.
 */
export function health(options: { service: string; dependencies?: Record<string, DependencyCheck> }) {
  const check = createHealthCheck(options.service, options.dependencies ?? {});
  return new Elysia({ name: "kit.health", seed: options.service })
    .get(
      "/health",
      async ({ set }) => {
        const answer = await check();
        if (answer.status === "unhealthy") set.status = 503;
        return answer;
      },
      {
        response: { 200: Health, 503: Health },
        detail: { tags: ["operations"], summary: "Health of the service and its dependencies" },
      },
    )
    .get("/health/live", () => ({ status: "alive" as const }), {
      response: { 200: Liveness },
      detail: { tags: ["operations"], summary: "200 while the process serves" },
    });
}
