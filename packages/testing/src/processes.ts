import { freePort } from "./network.ts";
import { waitFor } from "./wait.ts";

/** A service started as a real process for cross-service tests; `stop()` kills it. */
export type RunningService = { url: string; port: number; process: Bun.Subprocess; logs: () => string; stop: () => Promise<void> };

/**
 * Starts `entry` with bun on a free port (on `env.HOST` if given) and waits until its liveness route answers.
 * Its output is kept for `logs()`; with `stdoutFile`, its standard output (the log lines) goes to that file
 * instead, as a log collector would take it, and only standard error is kept.
 */
export async function startService(
  entry: string,
  env: Record<string, string>,
  port = freePort(),
  options: { stdoutFile?: string } = {},
): Promise<RunningService> {
  let output = "";
  const child = Bun.spawn(["bun", entry], {
    env: { ...process.env, LOG_LEVEL: "warn", ...env, PORT: String(port) },
    stdout: options.stdoutFile ? Bun.file(options.stdoutFile) : "pipe",
    stderr: "pipe",
  });
  const collect = async (stream: ReadableStream<Uint8Array> | number | undefined) => {
    if (!(stream instanceof ReadableStream)) return;
    for await (const chunk of stream) output += new TextDecoder().decode(chunk);
  };
  const collected = Promise.all([collect(child.stdout), collect(child.stderr)]);
  const url = `http://${env.HOST ?? "127.0.0.1"}:${port}`;
  try {
    const exited = child.exited.then((code) => {
      throw new Error(`${entry} exited with code ${code} before it served`);
    });
    const live = waitFor(async () => (await fetch(`${url}/health/live`)).ok, { timeoutMs: 15_000, what: `${entry} to start` });
    await Promise.race([live, exited]);
  } catch (error) {
    child.kill();
    await collected.catch(() => {});
    throw new Error(`${String(error)}\n${output}`);
  }
  return {
    url,
    port,
    process: child,
    logs: () => output,
    stop: async () => {
      child.kill("SIGTERM");
      await child.exited;
      await collected;
    },
  };
}
