import { Elysia } from "elysia";
import { bearerAuth, type TokenVerifier } from "./auth.ts";
import { BODY_LIMIT_BYTES } from "./body.ts";
import type { ProblemError } from "./errors.ts";
import { useFastFormats } from "./formats.ts";
import type { DependencyCheck } from "./health.ts";
import type { Logger } from "./logger.ts";
import { bodyLimits } from "./plugins/body-limits.ts";
import { caseId } from "./plugins/case-id.ts";
import { corsPolicy, type CorsPolicy } from "./plugins/cors.ts";
import { docs } from "./plugins/docs.ts";
import { health } from "./plugins/health.ts";
import { metrics } from "./plugins/metrics.ts";
import { problemDetails } from "./plugins/problem-details.ts";
import { requestLog } from "./plugins/request-log.ts";

export type ServiceOptions = {
  name: string;
  description: string;
  version?: string;
  logger: Logger;
  /** Dependencies reported by `/health`. */
  dependencies?: Record<string, DependencyCheck>;
  /** Origins allowed by CORS (none by default), and whether they may send credentials (not by default). */
  cors?: CorsPolicy;
  /** Turns a dependency's own error (e.g. a refused connection) into a problem; undefined leaves it unknown. */
  mapError?: (error: unknown) => ProblemError | undefined;
  /** OpenAPI tags of the service's routes. */
  tags?: { name: string; description: string }[];
  /** False for a service none of whose routes takes a body: bodies are then never read at all. */
  takesBodies?: boolean;
  /** Verifies bearer tokens (`createTokenVerifier`): a request carrying one that does not verify is a 401 on any route. */
  verifyTokens?: TokenVerifier;
};

/**
 * The Elysia app every W2Meet service starts from: the kit's plugins, in the order their hooks must run
 * (the request is timed, then given its case id, before a body is checked or an error rendered). A
 * service that wants fewer composes the plugins itself.
 */
export function createService(options: ServiceOptions) {
  const { name, logger } = options;
  useFastFormats();
  return new Elysia({ name: `service.${name}`, normalize: false })
    .use(requestLog({ logger }))
    .use(caseId())
    .use(problemDetails({ logger, mapError: options.mapError }))
    .use(options.takesBodies === false ? new Elysia({ name: "kit.no-bodies" }) : bodyLimits())
    .use(
      docs({
        name,
        description: options.description,
        version: options.version,
        tags: options.tags,
        bodyLimitBytes: BODY_LIMIT_BYTES,
        excludePaths: ["/metrics"],
      }),
    )
    .use(options.verifyTokens ? bearerAuth(options.verifyTokens) : new Elysia({ name: "kit.no-tokens" }))
    .use(health({ service: name, dependencies: options.dependencies }))
    .use(metrics({ service: name }))
    .use(corsPolicy(options.cors));
}
