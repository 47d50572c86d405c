import budgets from "../k6/budgets.json";
import type { Row } from "./report.ts";
import type { WorkerResult, WorkerScenario } from "./worker.ts";

/** The worker scenarios of a run: throughput with one and two processes (compute and ICS only), and mailed invitations. */
export function workerScenarios(smoke: boolean, rate: number, seconds: number): WorkerScenario[] {
  if (smoke) {
    return [
      { name: "worker-1", workers: 1, rate: 50, seconds: 3, notify: false },
      { name: "worker-2", workers: 2, rate: 50, seconds: 2, notify: false },
      { name: "worker-mail", workers: 1, rate: 20, seconds: 2, notify: true },
    ];
  }
  return [
    { name: "worker-1", workers: 1, rate, seconds, notify: false },
    { name: "worker-2", workers: 2, rate, seconds, notify: false },
    { name: "worker-mail", workers: 1, rate: 50, seconds: 10, notify: true },
  ];
}

const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : "n/a");

/** One table row per worker scenario, judged against k6/budgets.json's worker budget (smoke: only that nothing was lost). */
export function workerRows(results: WorkerResult[], smoke: boolean): Row[] {
  return results.map((r) => {
    const kept =
      r.lost === 0 && r.skipped === 0 && Object.keys(r.refused).length === 0 && (!r.mails || r.mails.received === r.mails.expected);
    const fast = r.notify || r.workers > 1 || (r.done_per_s >= budgets.worker.done_per_s * 0.98 && r.rate >= budgets.worker.done_per_s);
    const what = r.notify ? "mailed to 2 attendees each (local SMTP catcher)" : "notify false: suggestion + ICS, no mail";
    return {
      scenario: `worker, ${r.workers} process${r.workers > 1 ? "es" : ""}, ${r.rate} tasks/s offered for ${r.seconds} s, ${what}`,
      budget: r.notify || r.workers > 1 ? "0 lost (reported)" : `≥ ${budgets.worker.done_per_s} tasks/s done, 0 lost`,
      measured:
        `${r.accepted}/${r.offered} accepted (${fixed(r.accepted_per_s)}/s), ${r.statuses.done ?? 0} done (${fixed(r.done_per_s)}/s), ${r.lost} lost` +
        `${r.skipped ? `, ${r.skipped} not sent (generator full)` : ""}${Object.keys(r.refused).length ? `, refused ${JSON.stringify(r.refused)}` : ""}; ` +
        `POST→done p50 ${fixed(r.done_p50_ms)} ms, p95 ${fixed(r.done_p95_ms)} ms; POST p95 ${fixed(r.post_p95_ms, 2)} ms; ` +
        `${r.mails ? `mails ${r.mails.received}/${r.mails.expected}; ` : ""}RSS ${r.worker_rss_mb.map((mb) => `${mb} MB`).join(" + ")}`,
      verdict: smoke ? (kept ? "smoke ok" : "smoke FAIL") : kept && fast ? "pass" : "FAIL",
    };
  });
}

/** Where a task's CPU goes in each scenario: the worker(s), the suggestions chain, the load generator, the machine. */
export function workerProfileRows(results: WorkerResult[]): string[][] {
  return results.map((r) => [
    r.name,
    `${fixed(r.done_per_s)}/s`,
    r.worker_cpu_ms_per_task.map((ms) => fixed(ms, 3)).join(" + "),
    fixed(r.services_cpu_ms_per_task, 3),
    fixed(r.postgres_cpu_ms_per_task, 3),
    fixed(r.postgres_transactions_per_task, 1),
    fixed(r.rabbitmq_cpu_ms_per_task, 3),
    fixed(r.generator_cpu_ms_per_task, 3),
    `${Math.round(r.machine_busy * 100)} %`,
  ]);
}
