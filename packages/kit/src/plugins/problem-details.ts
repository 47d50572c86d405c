import { Elysia } from "elysia";
import { invalid, ProblemError, PROBLEM_CONTENT_TYPE } from "../errors.ts";
import { errorFields, type Logger } from "../logger.ts";
import { fieldErrors } from "../validation.ts";
import { caseIdOf, resolveCaseId } from "./case-id.ts";

export type ProblemDetailsOptions = {
  logger: Logger;
  /** Turns a dependency's own error (e.g. a refused connection) into a problem; undefined leaves it unknown. */
  mapError?: (error: unknown) => ProblemError | undefined;
};

// Not `new URL(...)`: an HTTP/1.0 request without a Host header reaches the app with a relative URL.
const queryOf = (url: string) => {
  const start = url.indexOf("?");
  return new URLSearchParams(start === -1 ? "" : url.slice(start + 1));
};

const rendered = new WeakMap<Request, string>();

/** The code of the problem a request was answered with (`not_found`), for its log line; none on success. */
export const problemCodeOf = (request: Request) => rendered.get(request);

const unexpected = () => new ProblemError("internal", "An unexpected error occurred; quote the case id when reporting it");

/** The problem an error thrown while handling a request stands for. */
function problemOf(code: string | number, error: unknown, request: Request, options: ProblemDetailsOptions): ProblemError {
  if (error instanceof ProblemError) return error;
  if (code === "VALIDATION" && error && typeof error === "object" && "all" in error) {
    const where = (error as { type?: string }).type;
    // An answer of our own that breaks its schema is our fault: a 500, below.
    if (where !== "response") {
      // Elysia reports a query parameter checked on its own as a "property" error.
      const query = where === "query" || where === "property" ? queryOf(request.url) : undefined;
      const { all, value } = error as unknown as { all: never[]; value: unknown };
      return invalid(
        fieldErrors(all, query, value),
        `The request ${where === "property" ? "query" : (where ?? "input")} has invalid fields`,
      );
    }
  }
  // The kit's body parser throws its own problems (413, 415, a 400 naming the place); Elysia wraps them.
  if (code === "PARSE" && (error as Error).cause instanceof ProblemError) return (error as Error).cause as ProblemError;
  if (code === "PARSE") return invalid([{ path: "(body)", message: "The body is not valid JSON" }], "The request body could not be parsed");
  if (code === "NOT_FOUND") return new ProblemError("not_found", "No route matches this method and path");
  return options.mapError?.(error) ?? unexpected();
}

/**
 * Every error as RFC 9457 problem details (`application/problem+json`) with the request's case id: the
 * kit's ProblemErrors as they are, invalid input as a 400 naming every field, and anything unexpected as a
 * 500 that shows no internals (its stack goes to the log).
 */
export const problemDetails = (options: ProblemDetailsOptions) =>
  new Elysia({ name: "kit.problem-details" }).onError({ as: "global" }, ({ code, error, set, request }) => {
    const problem = problemOf(code, error, request, options);
    const caseId = caseIdOf(set) ?? resolveCaseId(null);
    if (problem.code === "internal") {
      options.logger.error("unexpected error", { case_id: caseId, method: request.method, ...errorFields(error) });
    }
    rendered.set(request, problem.code);
    Object.assign(set.headers, problem.headers);
    set.status = problem.status;
    set.headers["content-type"] = PROBLEM_CONTENT_TYPE;
    return problem.toProblem(caseId);
  });
