import type { FieldError, Problem } from "@w2meet/contracts";

/** The codes of the problems W2Meet answers with; each names its status. */
export const problemStatus = {
  validation: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_requests: 429,
  bad_gateway: 502,
  unavailable: 503,
  gateway_timeout: 504,
  internal: 500,
} as const;
export type ProblemCode = keyof typeof problemStatus;

const titles: Record<ProblemCode, string> = {
  validation: "Invalid request",
  unauthorized: "Unauthorized",
  forbidden: "Forbidden",
  not_found: "Not found",
  conflict: "Conflict",
  payload_too_large: "Payload too large",
  unsupported_media_type: "Unsupported media type",
  too_many_requests: "Too many requests",
  bad_gateway: "Bad gateway",
  unavailable: "Service unavailable",
  gateway_timeout: "Gateway timeout",
  internal: "Internal server error",
};

/** Extra members a problem may carry beyond the RFC 9457 ones. */
export type ProblemExtras = { errors?: FieldError[]; missing?: string[] };

/**
 * The one error family of W2Meet: an expected failure with a code and an HTTP status.
 * Thrown from services and rendered as problem details by the kit's error handler.
 */
export class ProblemError extends Error {
  readonly status: number;
  constructor(
    readonly code: ProblemCode,
    detail: string,
    readonly extras: ProblemExtras = {},
    /** Headers the answer carries besides the problem (`WWW-Authenticate`, `Retry-After`). */
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = "ProblemError";
    this.status = problemStatus[code];
  }

  /** The RFC 9457 body of this problem for one request. */
  toProblem(caseId: string): Problem {
    return {
      type: `urn:w2meet:problem:${this.code.replaceAll("_", "-")}`,
      title: titles[this.code],
      status: this.status,
      detail: this.message,
      case_id: caseId,
      ...this.extras,
    };
  }
}

/** A 400 naming every offending field. */
export const invalid = (errors: FieldError[], detail = "The request has invalid fields") =>
  new ProblemError("validation", detail, { errors });
export const notFound = (detail: string, extras?: ProblemExtras) => new ProblemError("not_found", detail, extras);
export const conflict = (detail: string) => new ProblemError("conflict", detail);

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** Renders a problem as an HTTP response. */
export function problemResponse(problem: Problem, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { ...headers, "content-type": PROBLEM_CONTENT_TYPE },
  });
}

/** A 200 answer whose body is already JSON text (e.g. straight from a cache). */
export function jsonResponse(json: string, headers: Record<string, string> = {}): Response {
  return new Response(json, { headers: { ...headers, "content-type": "application/json" } });
}
