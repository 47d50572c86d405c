import { cors } from "@elysiajs/cors";
import { openapi } from "@elysiajs/openapi";
import { Health, Liveness } from "@w2meet/contracts";
import { Elysia } from "elysia";
import { CASE_ID_HEADER, resolveCaseId } from "./case-id.ts";
import { ProblemError, problemResponse, invalid, PROBLEM_CONTENT_TYPE } from "./errors.ts";
import { createHealthCheck, type DependencyCheck } from "./health.ts";
import { errorFields, type Logger } from "./logger.ts";
import { createMetrics } from "./metrics.ts";
import { fieldErrors } from "./validation.ts";
import { useFastFormats } from "./formats.ts";

/** Requests with a larger body are refused with 413. */
export const BODY_LIMIT_BYTES = 64 * 1024;

export type ServiceOptions = {
  name: string;
  description: string;
  version?: string;
  logger: Logger;
  /** Dependencies reported by `/health`. */
  dependencies?: Record<string, DependencyCheck>;
  /** Origins allowed by CORS; none by default. */
  corsOrigins?: readonly string[];
  /** Turns a dependency's own error (e.g. a refused connection) into a problem; undefined leaves it unknown. */
  mapError?: (error: unknown) => ProblemError | undefined;
  /** OpenAPI tags of the service's routes. */
  tags?: { name: string; description: string }[];
};

const started = new WeakMap<Request, number>();

/** The case id of the request being handled, set by the kit on every request. */
export const caseIdOf = (set: { headers: Record<string, unknown> }) => set.headers[CASE_ID_HEADER] as string;

/**
 * The Elysia app every W2Meet service starts from: case ids, one JSON log line per request,
 * problem-details errors, a body limit, health, Swagger UI at /docs, Prometheus /metrics and CORS.
 */
export function createService(options: ServiceOptions) {
  const { name, logger } = options;
  useFastFormats();
  const metrics = createMetrics(name);
  const health = createHealthCheck(name, options.dependencies ?? {});

  const toProblem = (code: string | number, error: unknown, request: Request): ProblemError => {
    if (error instanceof ProblemError) return error;
    if (code === "VALIDATION" && error && typeof error === "object" && "all" in error) {
      const where = (error as { type?: string }).type;
      if (where !== "response") {
        // Elysia reports a query parameter checked on its own as a "property" error.
        const query = where === "query" || where === "property" ? new URL(request.url).searchParams : undefined;
        const { all, value } = error as unknown as { all: never[]; value: unknown };
        return invalid(fieldErrors(all, query, value), `The request ${where === "property" ? "query" : (where ?? "input")} has invalid fields`);
      }
    }
    if (code === "PARSE") return invalid([{ path: "(body)", message: "The body is not valid JSON" }], "The request body could not be parsed");
    if (code === "NOT_FOUND") return new ProblemError("not_found", "No route matches this method and path");
    return options.mapError?.(error) ?? new ProblemError("internal", "An unexpected error occurred; quote the case id when reporting it");
  };

  const app = new Elysia({ name: `service.${name}`, normalize: false })
    .use(
      openapi({
        path: "/docs",
        provider: "swagger-ui",
        // staticFile: false keeps routes with a dot in their path (e.g. invite.ics) in the document.
        exclude: { paths: ["/metrics", "/docs", "/docs/json"], staticFile: false },
        documentation: {
          info: { title: `W2Meet ${name}`, description: options.description, version: options.version ?? "1.0.0" },
          servers: [
            { url: "/api", description: "Through the gateway" },
            { url: "/", description: "The service itself" },
          ],
          tags: [...(options.tags ?? []), { name: "operations", description: "Health of the service" }],
        },
      }),
    )
    .onRequest(({ request, set }) => {
      started.set(request, performance.now());
      set.headers[CASE_ID_HEADER] = resolveCaseId(request.headers.get(CASE_ID_HEADER));
      const length = Number(request.headers.get("content-length") ?? 0);
      if (length > BODY_LIMIT_BYTES) {
        const problem = new ProblemError("payload_too_large", `The body is larger than ${BODY_LIMIT_BYTES} bytes`);
        return problemResponse(problem.toProblem(caseIdOf(set)), { [CASE_ID_HEADER]: caseIdOf(set) });
      }
    })
    .onError({ as: "global" }, ({ code, error, set, request }) => {
      const problem = toProblem(code, error, request);
      const caseId = caseIdOf(set) ?? resolveCaseId(null);
      if (problem.status >= 500 && problem.code === "internal") {
        logger.error("unexpected error", { case_id: caseId, method: request.method, ...errorFields(error) });
      }
      set.status = problem.status;
      set.headers["content-type"] = PROBLEM_CONTENT_TYPE;
      return problem.toProblem(caseId);
    })
    .onAfterResponse({ as: "global" }, ({ request, set, route, responseValue }) => {
      const status = responseValue instanceof Response ? responseValue.status : Number(set.status ?? 200);
      const start = started.get(request);
      const durationMs = start === undefined ? 0 : performance.now() - start;
      const routeLabel = route || "unmatched";
      metrics.observe(request.method, routeLabel, status, durationMs / 1000);
      logger.info("request", {
        case_id: caseIdOf(set),
        method: request.method,
        route: routeLabel,
        status,
        duration_ms: Math.round(durationMs * 1000) / 1000,
        ...(status >= 400 && responseValue && typeof responseValue === "object" && "type" in responseValue
          ? { error_code: String((responseValue as { type: string }).type).split(":").pop() }
          : {}),
      });
    })
    .get(
      "/health",
      async ({ set }) => {
        const answer = await health();
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
    })
    .get(
      "/metrics",
      async () =>
        new Response(await metrics.registry.metrics(), { headers: { "content-type": metrics.registry.contentType } }),
    );

  const origins = options.corsOrigins ?? [];
  if (origins.length) app.use(cors({ origin: [...origins], exposeHeaders: [CASE_ID_HEADER, "x-cache"] }));
  return app;
}
