import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { watchProcesses, type Usage } from "./sampler.ts";

const ROOT = join(import.meta.dir, "..");
/** Where `bun run k6:install` puts the pinned k6. */
const LOCAL_K6 = join(ROOT, ".tools", "bin", "k6");

/** The k6 to run: $K6, else the project's pinned one (installed on first use), else one on PATH. */
export async function k6Binary(): Promise<string> {
  if (process.env.K6) return process.env.K6;
  if (!existsSync(LOCAL_K6)) {
    const install = Bun.spawn(["bash", join(ROOT, "scripts", "install-k6.sh")], { stdout: "inherit", stderr: "inherit" });
    if ((await install.exited) !== 0 && !Bun.which("k6")) throw new Error("k6 is not installed: run bun run k6:install");
  }
  return existsSync(LOCAL_K6) ? LOCAL_K6 : Bun.which("k6")!;
}

/** One k6 run: its exit code (99 = thresholds failed), the summary its handleSummary wrote, and what each process used. */
export type K6Run = { script: string; exitCode: number; passed: boolean; summary: any; usage: Record<string, Usage>; log: string };

/**
 * Runs `k6 run <script>` with `env` passed as -e flags, its output to <resultsDir>/<name>.log, while
 * watching the services' processes (and k6's own) for memory and CPU.
 */
export async function runK6(options: {
  k6: string;
  script: string;
  name: string;
  env: Record<string, string>;
  resultsDir: string;
  watch: Record<string, number>;
}): Promise<K6Run> {
  mkdirSync(options.resultsDir, { recursive: true });
  const log = join(options.resultsDir, `${options.name}.log`);
  const summaryPath = join(options.resultsDir, `${options.name}.json`);
  // A summary left by an earlier run must not pass for this one's if k6 dies before writing its own.
  rmSync(summaryPath, { force: true });
  rmSync(log, { force: true });
  const flags = Object.entries({ ...options.env, RESULTS_DIR: options.resultsDir }).flatMap(([key, value]) => ["-e", `${key}=${value}`]);
  const child = Bun.spawn([options.k6, "run", "--quiet", "--no-usage-report", "--no-color", ...flags, join(ROOT, "k6", options.script)], {
    cwd: ROOT,
    stdout: Bun.file(log),
    stderr: "pipe",
  });
  const watcher = watchProcesses({ ...options.watch, k6: child.pid });
  const [exitCode, errors] = await Promise.all([child.exited, new Response(child.stderr).text()]);
  const usage = watcher.stop();
  if (errors.trim()) await Bun.write(log, `${await Bun.file(log).text()}\n${errors}`);
  const summaryFile = Bun.file(summaryPath);
  const summary = (await summaryFile.exists()) ? await summaryFile.json() : undefined;
  return { script: options.script, exitCode, passed: exitCode === 0 && summary?.passed === true, summary, usage, log };
}
