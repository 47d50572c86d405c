import type { DependencyHealth, Health } from "@w2meet/contracts";

/** A dependency a service reports on in `/health`. */
export type DependencyCheck = {
  /** Resolves when the dependency answers (with `{ detail }` to report more, e.g. a backlog); rejects or times out otherwise. */
  check: () => Promise<unknown>;
  /** Whether the service cannot work without it (down → 503 unhealthy; otherwise degraded). */
  required: boolean;
  /** Reuse a result this long, so health checks never fan out into storms. */
  cacheMs?: number;
};

const CHECK_TIMEOUT_MS = 1500;

/** Rejects with `reason` when `promise` takes longer than `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, reason: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(reason)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function probe(name: string, dependency: DependencyCheck): Promise<DependencyHealth> {
  const started = performance.now();
  try {
    const answer = await withTimeout(dependency.check(), CHECK_TIMEOUT_MS, `${name} did not answer within ${CHECK_TIMEOUT_MS} ms`);
    const detail = (answer as { detail?: unknown } | null)?.detail;
    return {
      status: "up",
      response_time_ms: elapsed(started),
      required: dependency.required,
      ...(typeof detail === "string" && { detail }),
    };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { status: "down", response_time_ms: elapsed(started), required: dependency.required, detail };
  }
}

const elapsed = (started: number) => Math.round((performance.now() - started) * 100) / 100;

/** Checks every dependency at once and folds them into one health answer. */
export function createHealthCheck(service: string, dependencies: Record<string, DependencyCheck>) {
  const cache = new Map<string, { at: number; result: Promise<DependencyHealth> }>();
  const checkOne = (name: string, dependency: DependencyCheck) => {
    const ttl = dependency.cacheMs ?? 0;
    const hit = cache.get(name);
    if (hit && performance.now() - hit.at < ttl) return hit.result;
    const result = probe(name, dependency);
    if (ttl > 0) cache.set(name, { at: performance.now(), result });
    return result;
  };
  return async (): Promise<Health> => {
    const names = Object.keys(dependencies);
    const results = await Promise.all(names.map((name) => checkOne(name, dependencies[name]!)));
    const entries = Object.fromEntries(names.map((name, i) => [name, results[i]!]));
    const down = results.filter((r) => r.status === "down");
    const status = down.some((r) => r.required) ? "unhealthy" : down.length ? "degraded" : "healthy";
    return { service, status, dependencies: entries };
  };
}
