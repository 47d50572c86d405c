import { Problem } from "@w2meet/contracts";
import { caseIdOf } from "@w2meet/kit";
import { forwardedPrefix } from "@w2meet/kit/public-url";
import { Elysia, t } from "elysia";
import { gatewayProblem, unroutedProblem } from "./service.ts";

const problems = (...statuses: number[]) => Object.fromEntries(statuses.map((status) => [status, Problem]));

/**
 * Problem details for the errors Traefik makes itself, whose own bodies are short plain text:
 * `/errors/{status}` is the page of its errors middleware, `/unrouted/*` the target of its lowest
 * router, which takes every request no service's router does.
 */
export const gatewayErrorRoutes = () =>
  new Elysia({ name: "gateway.errors" })
    .get(
      "/errors/:status",
      ({ params, query, request, set }) =>
        gatewayProblem(
          { status: params.status, original: query.from ?? params.status, url: query.url, strippedPrefix: forwardedPrefix(request) },
          caseIdOf(set),
        ),
      {
        params: t.Object({ status: t.Integer({ minimum: 400, maximum: 599 }) }),
        query: t.Object({
          from: t.Optional(t.Integer({ minimum: 100, maximum: 999, description: "The status Traefik caught, before any rewrite" })),
          url: t.Optional(
            t.String({
              maxLength: 8192,
              description:
                "The URL of the request that failed, as the router's middlewares left it (its X-Forwarded-Prefix says what they stripped)",
            }),
          ),
        }),
        response: problems(429, 502, 503, 504),
        detail: {
          tags: ["gateway"],
          summary: "Problem details for an error the gateway made",
          description:
            "The page of Traefik's errors middleware: a rate limit (429, with Retry-After), an open circuit breaker " +
            "(caught as 599, answered 503 with Retry-After), a replica that could not be reached (502) or did not " +
            "answer in time (504). The answer takes the status Traefik gives it.",
        },
      },
    )
    .all("/unrouted/*", ({ params, set }) => unroutedProblem(`/${params["*"]}`, caseIdOf(set)), {
      response: problems(404, 503),
      detail: {
        tags: ["gateway"],
        summary: "Problem details for a request no router took",
        description:
          "Traefik's lowest-priority router sends every request no service's router takes here, its path under " +
          "/unrouted. A service's path means it has no ready replica (503, with Retry-After); any other is 404.",
      },
    });
