import { CASE_ID_HEADER } from "./plugins/case-id.ts";
import { ProblemError } from "./errors.ts";
import { createReplicaSet, type Resolver } from "./replicas.ts";

export type ServiceAnswer<T> = { status: number; body: T };

/** What a client needs to reach another service, given to it once. */
export type ServiceClientOptions = {
  name: string;
  baseUrl: string;
  timeoutMs?: number;
  /** Every address of the base URL's host; the system's DNS unless a test passes its own. */
  resolve?: Resolver;
  /** How often the addresses are asked for again. */
  refreshMs?: number;
};

/**
 * Another service behind one base URL, spread over every replica its host name resolves to. Plain
 * http only: an https base keeps its host name, which TLS needs, and goes to whatever it resolves to.
 */
function serviceTarget(options: ServiceClientOptions) {
  const url = new URL(options.baseUrl);
  const prefix = url.pathname.replace(/\/+$/, "");
  const port = url.port ? `:${url.port}` : "";
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const spread = url.protocol === "http:";
  const replicas = createReplicaSet(host, {
    resolve: spread ? options.resolve : async () => [host],
    refreshMs: options.refreshMs,
  });
  return {
    name: options.name,
    timeoutMs: options.timeoutMs ?? 2000,
    /** The base URL's host:port, sent as Host when a call goes to one of the host's addresses. */
    host: url.host,
    /** The base URL's host name without brackets: the one replica address there is when it is an IP literal. */
    hostname: host,
    replicas,
    urlAt: (address: string, path: string) => `${url.protocol}//${address.includes(":") ? `[${address}]` : address}${port}${prefix}${path}`,
  };
}
type ServiceTarget = ReturnType<typeof serviceTarget>;

/** A JSON body to POST, with headers of its own; only a POST with an idempotency key may be sent to a second replica. */
type Posted = { body: string; headers: Record<string, string>; idempotent: boolean };

/**
 * One GET (or, given `posted`, one POST) to another service with the case id, through Bun's pooled
 * keep-alive fetch (one pool per replica address), its answer handed to `read`, and a timeout for the
 * whole call, reading included. The replica is the one with the fewest calls under way; one that cannot
 * be connected to is left out and the call goes to the next (a POST only when it carries an idempotency
 * key, so the callee can tell a repeat). Unreachable (no replica answers) or too slow → 503 problem
 * naming the service. A timeout is not retried: the callee may still be working on it.
 */
export async function callService<T>(
  target: ServiceTarget,
  path: string,
  read: (response: Response) => Promise<T>,
  caseId?: string,
  posted?: Posted,
): Promise<T> {
  const signal = AbortSignal.timeout(target.timeoutMs);
  let tried: Set<string> | undefined;
  for (;;) {
    const address = target.replicas.pickKnown(tried) ?? (await target.replicas.pick(tried).catch(() => undefined));
    if (address === undefined) throw unreachable(target);
    let response: Response;
    try {
      response = await fetch(target.urlAt(address, path), requestInit(target, address, signal, caseId, posted));
    } catch (error) {
      if (timedOut(signal, error)) throw tooSlow(target);
      await target.replicas.failedToConnect(address);
      // The connection may have failed after the body went out: without a key the callee could do it twice.
      if (posted && !posted.idempotent) throw unreachable(target);
      // A GET that failed before any answer is safe to send to another replica.
      tried ??= new Set();
      tried.add(address);
      continue;
    } finally {
      target.replicas.done(address);
    }
    try {
      return await read(response);
    } catch (error) {
      if (timedOut(signal, error)) throw tooSlow(target);
      throw error;
    }
  }
}

/**
 * A call's method, headers and body. Host names the base URL's host when the call goes to one of its
 * addresses (a URL naming the host itself carries it already); the case id goes on every call.
 */
function requestInit(target: ServiceTarget, address: string, signal: AbortSignal, caseId?: string, posted?: Posted): RequestInit {
  const headers: Record<string, string> = { accept: "application/json" };
  if (address !== target.hostname) headers.host = target.host;
  if (caseId) headers[CASE_ID_HEADER] = caseId;
  if (!posted) return { method: "GET", headers, signal };
  return { method: "POST", headers: { ...headers, "content-type": "application/json", ...posted.headers }, body: posted.body, signal };
}

const timedOut = (signal: AbortSignal, error: unknown) => signal.aborted || (error instanceof Error && error.name === "TimeoutError");
const tooSlow = (target: ServiceTarget) =>
  new ProblemError("unavailable", `The ${target.name} service did not answer within ${target.timeoutMs} ms`);
const unreachable = (target: ServiceTarget) => new ProblemError("unavailable", `The ${target.name} service is unreachable`);

/**
 * A JSON client of another W2Meet service: keep-alive (Bun's pooled fetch), calls spread over every
 * replica, a timeout, and the case id on every call. Unreachable or too slow → 503 problem; a 5xx
 * answer → 502 problem; any other answer is returned for the caller to interpret.
 */
export function createServiceClient(options: ServiceClientOptions) {
  const target = serviceTarget(options);
  /** A 5xx → 502 problem; any other answer, its status and JSON body (with `empty`, no body is `undefined`). */
  const jsonAnswer =
    <T>(empty: boolean) =>
    async (response: Response): Promise<ServiceAnswer<T>> => {
      if (response.status >= 500) {
        await response.body?.cancel();
        throw new ProblemError("bad_gateway", `The ${options.name} service answered ${response.status}`);
      }
      const text = await response.text();
      if (empty && !text) return { status: response.status, body: undefined as T };
      try {
        return { status: response.status, body: JSON.parse(text) as T };
      } catch {
        throw new ProblemError("bad_gateway", `The ${options.name} service answered with a body that is not JSON`);
      }
    };
  return {
    name: options.name,
    target,
    get<T>(path: string, caseId: string): Promise<ServiceAnswer<T>> {
      return callService(target, path, jsonAnswer<T>(false), caseId);
    },
    /**
     * POSTs `body` as JSON with `headers` (an `Authorization`, say). With `idempotencyKey` (sent as
     * `Idempotency-Key`) a call that could not connect goes to the next replica; without, it is a 503 at
     * once. An answer without a body is `undefined`.
     */
    post<T>(
      path: string,
      body: unknown,
      call: { caseId: string; headers?: Record<string, string>; idempotencyKey?: string },
    ): Promise<ServiceAnswer<T | undefined>> {
      const headers = { ...call.headers, ...(call.idempotencyKey && { "idempotency-key": call.idempotencyKey }) };
      const posted = { body: JSON.stringify(body), headers, idempotent: call.idempotencyKey !== undefined };
      return callService(target, path, jsonAnswer<T | undefined>(true), call.caseId, posted);
    },
    /** Resolves when a replica's liveness route answers 200; for health checks. */
    live(): Promise<void> {
      return callService(target, "/health/live", async (response) => {
        await response.body?.cancel();
        if (!response.ok) throw new Error(`${options.name} answered ${response.status}`);
      });
    },
  };
}
export type ServiceClient = ReturnType<typeof createServiceClient>;
