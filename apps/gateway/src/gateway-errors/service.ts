import { STATUS_CODES } from "node:http";
import type { Problem } from "@w2meet/contracts";
import { ProblemError, problemResponse } from "@w2meet/kit";
import { serviceOfPath } from "../services.ts";

/**
 * The status Traefik's circuit breakers answer with while open (their `responseCode`): one no service
 * answers, so the gateway's errors middleware can tell the breaker's refusal from a service's own 503.
 * The middleware rewrites it to 503 before the page is asked for.
 */
export const BREAKER_OPEN_STATUS = 599;

/** How long a client should wait after a 429: the rate limiters refill a token at least every second. */
const RATE_LIMIT_RETRY_AFTER_S = 1;
/** The circuit breakers' fallback duration: how long they refuse before trying the service again. */
const BREAKER_RETRY_AFTER_S = 2;
/** How long a service with no ready replica is likely to need: about one health-check interval. */
const NO_REPLICA_RETRY_AFTER_S = 5;

/**
 * The service a failed request was for. Traefik gives its URL as the router's middlewares left it, so
 * without the prefix a stripPrefix took off (`/api`, `/users`), which comes back from `X-Forwarded-Prefix`.
 */
const serviceIn = (url: string | undefined, strippedPrefix: string | undefined) => {
  let path: string | undefined;
  try {
    path = url ? `${strippedPrefix ?? ""}${new URL(url).pathname}` : undefined;
  } catch {
    path = undefined;
  }
  const service = path && serviceOfPath(path);
  return service ? `the ${service} service` : "the service";
};

/** What Traefik's errors middleware says of the request that failed. */
export type FailedRequest = { status: number; original: number; url?: string; strippedPrefix?: string };

/**
 * The problem for an error the gateway made itself rather than a service: a rate limit, an open
 * circuit breaker, a replica that could not be reached or did not answer in time. `status` is the one
 * the client gets, `original` the one Traefik caught.
 */
export function gatewayProblem({ status, original, url, strippedPrefix }: FailedRequest, caseId: string): Response {
  const service = serviceIn(url, strippedPrefix);
  switch (status) {
    case 429:
      return problemResponse(
        new ProblemError(
          "too_many_requests",
          `Too many requests to ${service} through the gateway; try again after Retry-After seconds`,
        ).toProblem(caseId),
        { "retry-after": String(RATE_LIMIT_RETRY_AFTER_S) },
      );
    case 502:
      return problemResponse(new ProblemError("bad_gateway", `The gateway could not reach ${service}`).toProblem(caseId));
    case 503:
      return original === BREAKER_OPEN_STATUS
        ? problemResponse(
            new ProblemError(
              "unavailable",
              `The gateway stopped sending requests to ${service} for a moment after it could not be reached`,
            ).toProblem(caseId),
            { "retry-after": String(BREAKER_RETRY_AFTER_S) },
          )
        : problemResponse(new ProblemError("unavailable", `No replica of ${service} is ready`).toProblem(caseId), {
            "retry-after": String(NO_REPLICA_RETRY_AFTER_S),
          });
    case 504:
      return problemResponse(
        new ProblemError("gateway_timeout", `${capitalized(service)} did not answer the gateway in time`).toProblem(caseId),
      );
    default: {
      const title = STATUS_CODES[status] ?? "Error";
      const problem: Problem = { type: "about:blank", title, status, detail: `The gateway answered ${status} ${title}`, case_id: caseId };
      return problemResponse(problem);
    }
  }
}

const capitalized = (text: string) => text[0]!.toUpperCase() + text.slice(1);

/** The problem for a request no router took: a service's path while it has no ready replica, else no route. */
export function unroutedProblem(path: string, caseId: string): Response {
  const service = serviceOfPath(path);
  if (service) {
    return problemResponse(new ProblemError("unavailable", `No replica of the ${service} service is ready`).toProblem(caseId), {
      "retry-after": String(NO_REPLICA_RETRY_AFTER_S),
    });
  }
  return problemResponse(new ProblemError("not_found", "The gateway has no route for this method and path").toProblem(caseId));
}
