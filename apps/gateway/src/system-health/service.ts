import type { HealthStatus, ReplicaHealth, ServiceHealth, SystemHealth } from "@w2meet/contracts";
import { CASE_ID_HEADER, type ServiceClient } from "@w2meet/kit";

export type SystemHealthDeps = { services: Record<string, ServiceClient>; timeoutMs: number };

const elapsed = (started: number) => Math.round((performance.now() - started) * 100) / 100;

/** One replica's own `/health`, or why it could not be read. */
async function replicaHealth(client: ServiceClient, address: string, timeoutMs: number, caseId: string): Promise<ReplicaHealth> {
  const started = performance.now();
  try {
    const response = await fetch(client.target.urlAt(address, "/health"), {
      headers: { host: client.target.host, accept: "application/json", [CASE_ID_HEADER]: caseId },
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = (await response.json().catch(() => undefined)) as
      | { status?: HealthStatus; dependencies?: ReplicaHealth["dependencies"] }
      | undefined;
    const known = body?.status === "healthy" || body?.status === "degraded" || body?.status === "unhealthy";
    if (!known)
      return {
        address,
        status: "unhealthy",
        response_time_ms: elapsed(started),
        detail: `It answered ${response.status} without a health report`,
      };
    return {
      address,
      status: body.status!,
      response_time_ms: elapsed(started),
      ...(body.dependencies && { dependencies: body.dependencies }),
    };
  } catch (error) {
    const timedOut = error instanceof Error && error.name === "TimeoutError";
    return {
      address,
      status: "unhealthy",
      response_time_ms: elapsed(started),
      detail: timedOut ? `It did not answer within ${timeoutMs} ms` : "It could not be reached",
    };
  }
}

/** A service is healthy when every replica is, degraded while some still serve, unhealthy when none does. */
function serviceStatus(replicas: ReplicaHealth[]): HealthStatus {
  if (replicas.length > 0 && replicas.every((replica) => replica.status === "healthy")) return "healthy";
  return replicas.some((replica) => replica.status !== "unhealthy") ? "degraded" : "unhealthy";
}

async function serviceHealth(client: ServiceClient, timeoutMs: number, caseId: string): Promise<ServiceHealth> {
  let addresses: string[];
  try {
    addresses = await client.target.replicas.all();
  } catch {
    return { status: "unhealthy", replicas: [], detail: `The ${client.name} service's host name does not resolve` };
  }
  const replicas = await Promise.all(addresses.map((address) => replicaHealth(client, address, timeoutMs, caseId)));
  return { status: serviceStatus(replicas), replicas };
}

/** Every service's health, each replica asked on its own, at once; unhealthy when any service is. */
export async function systemHealth(deps: SystemHealthDeps, caseId: string): Promise<SystemHealth> {
  const names = Object.keys(deps.services);
  const answers = await Promise.all(names.map((name) => serviceHealth(deps.services[name]!, deps.timeoutMs, caseId)));
  const services = Object.fromEntries(names.map((name, i) => [name, answers[i]!]));
  const status = answers.some((s) => s.status === "unhealthy")
    ? "unhealthy"
    : answers.some((s) => s.status === "degraded")
      ? "degraded"
      : "healthy";
  return { status, services };
}
