// The worker benchmark's load generator: POST /tasks at a constant arrival rate from the bench process.
// Not k6: k6 spends ~0.4 ms of CPU a request on this 2-core box, which at 300 tasks/s is 6 % of the machine
// taken from the services it measures, and k6 cannot see when a task is done without polling the worker.
// Bun's fetch over keep-alive costs about a quarter of that; completion is read from Postgres afterwards.

/** What one run of offered load did: the ids of the accepted tasks, and how the POSTs went. */
export type OfferedLoad = {
  accepted: string[];
  /** POSTs answered other than 202, by status (0: no answer). */
  refused: Record<string, number>;
  /** Arrivals dropped because `maxInFlight` POSTs were already waiting: the worker was not keeping up. */
  skipped: number;
  /** Client-side latency of each accepted POST, in ms. */
  postMs: number[];
  seconds: number;
};

/**
 * Offers `rate` POSTs a second for `seconds` (open model: arrivals do not wait for answers), with at
 * most `maxInFlight` waiting at once. Each body comes from `body(i)`.
 */
export async function offerTasks(options: {
  url: string;
  rate: number;
  seconds: number;
  body: (index: number) => unknown;
  /** Sent with every POST, e.g. the organizer's Authorization. */
  headers?: Record<string, string>;
  maxInFlight?: number;
}): Promise<OfferedLoad> {
  const maxInFlight = options.maxInFlight ?? 256;
  const total = Math.round(options.rate * options.seconds);
  const result: OfferedLoad = { accepted: [], refused: {}, skipped: 0, postMs: [], seconds: 0 };
  const pending = new Set<Promise<void>>();
  const started = performance.now();

  const post = async (index: number) => {
    const sent = performance.now();
    try {
      const response = await fetch(`${options.url}/tasks`, {
        method: "POST",
        headers: { "content-type": "application/json", ...options.headers },
        body: JSON.stringify(options.body(index)),
      });
      if (response.status === 202) {
        const { task_id } = (await response.json()) as { task_id: string };
        result.accepted.push(task_id);
        result.postMs.push(performance.now() - sent);
      } else {
        await response.body?.cancel();
        result.refused[response.status] = (result.refused[response.status] ?? 0) + 1;
      }
    } catch {
      result.refused["0"] = (result.refused["0"] ?? 0) + 1;
    }
  };

  for (let offered = 0; offered < total; ) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * options.rate));
    for (; offered < due; offered++) {
      if (pending.size >= maxInFlight) {
        result.skipped += 1;
        continue;
      }
      const work = post(offered).finally(() => pending.delete(work));
      pending.add(work);
    }
    await Bun.sleep(1);
  }
  await Promise.all(pending);
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

/** The value below which `p` of `values` fall (nearest rank); NaN for none. */
export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * p) - 1))]!;
}
