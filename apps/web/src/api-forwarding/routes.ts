import { caseIdOf, notFound } from "@w2meet/kit";
import { Elysia } from "elysia";
import { type ApiTarget, forwardApi } from "./service.ts";

/**
 * `/api/…` forwarded to the services, for running natively without Traefik (in compose and Helm the
 * settings are unset and Traefik routes `/api` before it reaches this app).
 */
export const apiForwardingRoutes = (options: { targets: ApiTarget[]; timeoutMs: number }) =>
  new Elysia({ name: "web.api-forwarding" }).all(
    "/api/*",
    async ({ request, body, set }) => {
      // The kit has parsed (and bounded) a JSON body already; it is sent on as JSON.
      const text = body === undefined || body === null ? undefined : JSON.stringify(body);
      const answer = await forwardApi(request, text, { caseId: caseIdOf(set), targets: options.targets, timeoutMs: options.timeoutMs });
      if (!answer) throw notFound("No API is forwarded at this path here");
      return answer;
    },
    { detail: { hide: true, summary: "The API, forwarded (development only)" } },
  );
