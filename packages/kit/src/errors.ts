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

/**
 * A 200 answer whose body is already JSON text (e.g. straight from a cache), with `headers` and the
 * headers the request's hooks have set so far (its case id): those move from `set` into the answer. Elysia
 * hands a Response to the server untouched only while `set.headers` is empty; otherwise it makes a new
 * one around the body as a stream, with every header copied, which cost a quarter of a cache hit's
 * server time (BENCHMARKS.md, "Per-hop cost against the floor"). A hook that adds headers after the
 * handler still gets them sent, Elysia merging them as before.
 */
export function jsonResponse(json: string, set: { headers: Record<string, unknown> }, headers: Record<string, string> = {}): Response {
  const all: Record<string, string> = {};
  for (const name in set.headers) all[name] = String(set.headers[name]);
  set.headers = {};
  for (const name in headers) all[name] = headers[name]!;
  all["content-type"] = "application/json";
  return new Response(json, { headers: all });
}
