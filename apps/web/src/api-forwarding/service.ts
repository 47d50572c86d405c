import { CASE_ID_HEADER, ProblemError } from "@w2meet/kit";
import type { WebConfig } from "../config.ts";

/** A public path prefix under `/api` and the service base URL it is forwarded to. */
export type ApiTarget = { prefix: string; baseUrl: string };

/** The prefixes Traefik routes to each service (as traefik/ and compose.yml do), for those whose URL is set. */
export function apiTargets(config: WebConfig): ApiTarget[] {
  const routes: [string, string][] = [
    ["/api/users", config.USERS_URL],
    ["/api/auth", config.USERS_URL],
    ["/api/availability", config.AVAILABILITY_URL],
    ["/api/suggestions", config.SUGGESTIONS_URL],
    ["/api/tasks", config.WORKER_URL],
  ];
  return routes.filter(([, baseUrl]) => baseUrl).map(([prefix, baseUrl]) => ({ prefix, baseUrl: baseUrl.replace(/\/$/, "") }));
}

const PASSED_REQUEST_HEADERS = ["authorization", "idempotency-key", "content-type", "accept", "if-none-match"];
const PASSED_ANSWER_HEADERS = [
  "content-type",
  "content-disposition",
  "etag",
  "cache-control",
  "location",
  "retry-after",
  "www-authenticate",
];

/**
 * Forwards one `/api/…` request to its service with `/api` stripped, and its answer back. A service
 * that cannot be reached or does not answer within `timeoutMs` is a 503, never a hang.
 */
export async function forwardApi(
  request: Request,
  body: string | undefined,
  call: { caseId: string; targets: ApiTarget[]; timeoutMs: number },
): Promise<Response | undefined> {
  const url = new URL(request.url);
  const target = call.targets.find(({ prefix }) => url.pathname === prefix || url.pathname.startsWith(`${prefix}/`));
  if (!target) return undefined;
  const headers = new Headers({ [CASE_ID_HEADER]: call.caseId });
  for (const name of PASSED_REQUEST_HEADERS) {
    const value = request.headers.get(name);
    if (value) headers.set(name, value);
  }
  let answer: Response;
  try {
    answer = await fetch(`${target.baseUrl}${url.pathname.slice("/api".length)}${url.search}`, {
      method: request.method,
      headers,
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(call.timeoutMs),
    });
  } catch {
    throw new ProblemError(
      "unavailable",
      `The service behind ${target.prefix} cannot be reached now; try again shortly`,
      {},
      {
        "retry-after": "1",
      },
    );
  }
  const passed = new Headers();
  for (const name of PASSED_ANSWER_HEADERS) {
    const value = answer.headers.get(name);
    if (value) passed.set(name, value);
  }
  return new Response(await answer.arrayBuffer(), { status: answer.status, headers: passed });
}
