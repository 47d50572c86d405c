import type { Health, Task, TaskAccepted } from "@w2meet/contracts";
import { startService, waitFor, type RunningService, bodyOf } from "@w2meet/testing";

/** The worker's entry point, started as a real process by the cross-process tests. */
export const WORKER_ENTRY = new URL("../src/index.ts", import.meta.url).pathname;

/** Starts a worker process; its log lines (info and up) are kept for assertions. */
export async function startWorkerProcess(env: Record<string, string>, port?: number) {
  const service = await startService(WORKER_ENTRY, { LOG_LEVEL: "info", RETRY_BASE_MS: "100", OUTBOX_POLL_MS: "100", ...env }, port);
  return {
    ...service,
    /** The complete JSON log lines written so far (a line still being written is left for later). */
    lines: () =>
      service
        .logs()
        .split("\n")
        .slice(0, -1)
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    task: async (taskId: string) => bodyOf<Task>(await fetch(`${service.url}/tasks/${taskId}`)),
    health: async () => bodyOf<Health>(await fetch(`${service.url}/health`)),
    post: async (body: unknown, headers: Record<string, string> = {}) => {
      const response = await fetch(`${service.url}/tasks`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(body),
      });
      if (response.status !== 202) throw new Error(`POST /tasks answered ${response.status}: ${await response.text()}`);
      return bodyOf<TaskAccepted>(response);
    },
    /** Polls the task through this process until its status is `status`. */
    waitForStatus: (taskId: string, status: string, timeoutMs = 20_000) =>
      waitFor(
        async () => {
          const task = await bodyOf<Task>(await fetch(`${service.url}/tasks/${taskId}`));
          return task.status === status ? task : null;
        },
        { timeoutMs, what: `task ${taskId} to be ${status}` },
      ),
  };
}
export type WorkerProcess = Awaited<ReturnType<typeof startWorkerProcess>> & RunningService;
