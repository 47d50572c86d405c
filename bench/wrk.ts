import { join } from "node:path";

/** The users the Lua script picks from, and which route it asks for. */
const PICK_USERS = join(import.meta.dir, "wrk", "pick-users.lua");

/** What one closed-loop wrk run measured. */
export type WrkRun = { requests_per_s: number; p50_ms: number; p99_ms: number; requests: number; errors: number };

/** The wrk on PATH; refuses with how to get it when there is none. */
export function wrkBinary(): string {
  const wrk = Bun.which("wrk");
  if (!wrk) throw new Error("wrk is not installed: run bun run wrk:install (apt-get install -y wrk)");
  return wrk;
}

/** wrk's latency with its unit (us, ms, s) in milliseconds. */
const millis = (value: string, unit: string) => Number(value) * ({ us: 0.001, ms: 1, s: 1000, m: 60_000 }[unit] ?? Number.NaN);

/** Reads Requests/sec, the 50 % and 99 % latencies, the request count and the failed answers out of `wrk --latency`. */
function parseWrk(output: string): WrkRun {
  const latency = (percent: string) => {
    const match = output.match(new RegExp(`^\\s*${percent}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, "m"));
    return match ? millis(match[1]!, match[2]!) : Number.NaN;
  };
  const count = (pattern: RegExp) => Number(output.match(pattern)?.[1] ?? 0);
  return {
    requests_per_s: Number(output.match(/^Requests\/sec:\s+([\d.]+)/m)?.[1] ?? Number.NaN),
    p50_ms: latency("50"),
    p99_ms: latency("99"),
    requests: count(/(\d+) requests in /),
    errors: count(/Non-2xx or 3xx responses:\s+(\d+)/) + count(/Socket errors:.*?timeout (\d+)/),
  };
}

/**
 * Runs wrk closed-loop (each connection sends its next request when the answer is in) against `baseUrl` for
 * `route` (cache-hit or suggestions), the users picked at random from the seeded benchmark users.
 */
export async function runWrk(options: {
  wrk: string;
  baseUrl: string;
  route: "cache-hit" | "suggestions";
  threads: number;
  connections: number;
  seconds: number;
  users: number;
  emailPrefix: string;
}): Promise<WrkRun & { output: string }> {
  const child = Bun.spawn(
    [
      options.wrk,
      `-t${options.threads}`,
      `-c${options.connections}`,
      `-d${options.seconds}s`,
      "--latency",
      "-s",
      PICK_USERS,
      options.baseUrl,
    ],
    {
      env: { ...process.env, ROUTE: options.route, USER_COUNT: String(options.users), EMAIL_PREFIX: options.emailPrefix },
      stdout: "pipe",
      stderr: "pipe",
    },
  );
  const [output, errors, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  if (code !== 0) throw new Error(`wrk exited with code ${code}: ${errors}`);
  return { ...parseWrk(output), output };
}
