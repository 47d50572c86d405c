import { SystemHealth } from "@w2meet/contracts";
import { caseIdOf } from "@w2meet/kit";
import { Elysia } from "elysia";
import { systemHealth, type SystemHealthDeps } from "./service.ts";

/** `GET /health/system`, routed as the gateway's `/api/health`: every service and replica in one answer. */
export const systemHealthRoutes = (deps: SystemHealthDeps) =>
  new Elysia({ name: "gateway.system-health" }).get(
    "/health/system",
    async ({ set }) => {
      const answer = await systemHealth(deps, caseIdOf(set));
      if (answer.status === "unhealthy") set.status = 503;
      return answer;
    },
    {
      response: { 200: SystemHealth, 503: SystemHealth },
      detail: {
        // An operations route: through the gateway it is beside the docs (/gateway/health/system) as well as /api/health.
        tags: ["operations"],
        summary: "Health of every service, replica by replica",
        description:
          "Asks each replica of each service (every address its host name resolves to) for its own /health, at once. " +
          "A service is healthy when all its replicas are, degraded while some serve, unhealthy when none does; " +
          "the answer is 503 when any service is unhealthy.",
      },
    },
  );
