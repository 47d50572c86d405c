import { CASE_ID_HEADER } from "./case-id.ts";
import { ProblemError } from "./errors.ts";

export type ServiceAnswer<T> = { status: number; body: T };

/**
 * One GET to another service with the case id, through Bun's pooled keep-alive fetch and a timeout.
 * Unreachable or too slow → 503 problem naming the service.
 */
export async function callService(
  target: { name: string; base: string; timeoutMs: number },
  path: string,
  caseId: string,
): Promise<Response> {
  try {
    return await fetch(target.base + path, {
      headers: { [CASE_ID_HEADER]: caseId, accept: "application/json" },
      signal: AbortSignal.timeout(target.timeoutMs),
    });
  } catch (error) {
    const reason = error instanceof Error && error.name === "TimeoutError" ? `did not answer within ${target.timeoutMs} ms` : "is unreachable";
    throw new ProblemError("unavailable", `The ${target.name} service ${reason}`);
  }
}

/**
 * A JSON client of another W2Meet service: keep-alive (Bun's pooled fetch), a timeout, and the
 * case id on every call. Unreachable or too slow → 503 problem; a 5xx answer → 502 problem;
 * any other answer is returned for the caller to interpret.
 */
export function createServiceClient(options: { name: string; baseUrl: string; timeoutMs?: number }) {
  const base = options.baseUrl.replace(/\/+$/, "");
  const timeoutMs = options.timeoutMs ?? 2000;
  const target = { name: options.name, base, timeoutMs };
  return {
    name: options.name,
    target,
    async get<T>(path: string, caseId: string): Promise<ServiceAnswer<T>> {
      const response = await callService(target, path, caseId);
      if (response.status >= 500) {
        await response.body?.cancel();
        throw new ProblemError("bad_gateway", `The ${options.name} service answered ${response.status}`);
      }
      try {
        return { status: response.status, body: (await response.json()) as T };
      } catch {
        throw new ProblemError("bad_gateway", `The ${options.name} service answered with a body that is not JSON`);
      }
    },
    /** Resolves when the service's liveness route answers 200; for health checks. */
    async live(): Promise<void> {
      const response = await fetch(`${base}/health/live`, { signal: AbortSignal.timeout(timeoutMs) });
      await response.body?.cancel();
      if (!response.ok) throw new Error(`${options.name} answered ${response.status}`);
    },
  };
}
export type ServiceClient = ReturnType<typeof createServiceClient>;
