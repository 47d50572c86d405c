import type { Problem } from "@w2meet/contracts";
import { ProblemError, problemStatus, type ProblemCode } from "./errors.ts";
import { callService, createServiceClient, type ServiceClientOptions } from "./http-client.ts";

/** An answer of another service: its body on success, its problem details otherwise. */
export type RelayedAnswer<T> = { ok: true; status: number; body: T } | { ok: false; status: number; problem: Problem };

const isProblem = (body: unknown): body is Problem =>
  typeof body === "object" && body !== null && typeof (body as Problem).status === "number" && typeof (body as Problem).detail === "string";

/**
 * A JSON client of another W2Meet service for callers that pass its problems on: like
 * `createServiceClient` (case id, keep-alive, timeout, unreachable or too slow → 503 problem), except
 * that an error answer in problem details is returned with its status, 5xx included, rather than
 * folded into a 502. An error answer that is not problem details is a 502 problem.
 */
export function createRelayingClient(options: ServiceClientOptions) {
  const client = createServiceClient(options);
  const badGateway = (status: number, why = "") => new ProblemError("bad_gateway", `The ${options.name} service answered ${status}${why}`);
  const parse = (status: number, text: string): unknown => {
    try {
      return JSON.parse(text);
    } catch {
      throw badGateway(status, " with a body that is not JSON");
    }
  };
  /**
   * A success as the JSON text it came as, unparsed, for a caller that passes it on; an error answer
   * parsed as problem details all the same.
   */
  const getText = (path: string, caseId: string): Promise<RelayedAnswer<string>> =>
    callService(
      client.target,
      path,
      async (response): Promise<RelayedAnswer<string>> => {
        const text = await response.text();
        if (response.ok) return { ok: true, status: response.status, body: text };
        const body = parse(response.status, text);
        if (!isProblem(body)) throw badGateway(response.status);
        return { ok: false, status: response.status, problem: body };
      },
      caseId,
    );
  return {
    ...client,
    getText,
    async get<T>(path: string, caseId: string): Promise<RelayedAnswer<T>> {
      const answer = await getText(path, caseId);
      return answer.ok ? { ...answer, body: parse(answer.status, answer.body) as T } : answer;
    },
  };
}
export type RelayingClient = ReturnType<typeof createRelayingClient>;

const codeOfStatus = new Map(Object.entries(problemStatus).map(([code, status]) => [status as number, code as ProblemCode]));

/**
 * The same problem for our own caller: the downstream's status, detail and `missing`/`errors`,
 * rendered with this request's case id. A status outside the W2Meet family becomes a 502.
 */
export function relayProblem(service: string, answer: { status: number; problem: Problem }): ProblemError {
  const code = codeOfStatus.get(answer.status);
  if (!code || code === "internal") return new ProblemError("bad_gateway", `The ${service} service answered ${answer.status}`);
  const { missing, errors } = answer.problem;
  return new ProblemError(code, answer.problem.detail, { ...(missing && { missing }), ...(errors && { errors }) });
}
