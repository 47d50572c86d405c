import { readFileSync } from "node:fs";

/**
 * What a process used while it was watched: the largest resident set sampled under load, the kernel's
 * high-water mark since the process started (VmHWM, start-up included) and the CPU time spent.
 */
export type Usage = { max_rss_mb: number; peak_rss_mb: number; cpu_seconds: number };

// Linux reports CPU time in clock ticks; 100 a second on every mainstream kernel configuration.
const TICKS_PER_SECOND = 100;

function readMemory(pid: number): { rssKb: number; hwmKb: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const field = (name: string) => Number(status.match(new RegExp(`^${name}:\\s+(\\d+) kB`, "m"))?.[1] ?? 0);
  return { rssKb: field("VmRSS"), hwmKb: field("VmHWM") };
}

function readCpuSeconds(pid: number): number {
  // Fields after the parenthesised command name: utime and stime are the 12th and 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/**
 * Watches processes through /proc while a benchmark runs, sampling every `intervalMs`. A process that
 * ends first (k6 itself) keeps what its last sample saw.
 */
export function watchProcesses(pids: Record<string, number>, intervalMs = 100) {
  const seen = Object.fromEntries(Object.keys(pids).map((name) => [name, { firstCpu: NaN, lastCpu: NaN, maxRssKb: 0, hwmKb: 0 }]));
  const sample = () => {
    for (const [name, pid] of Object.entries(pids)) {
      const record = seen[name]!;
      try {
        const memory = readMemory(pid);
        const cpu = readCpuSeconds(pid);
        record.maxRssKb = Math.max(record.maxRssKb, memory.rssKb);
        record.hwmKb = Math.max(record.hwmKb, memory.hwmKb);
        if (Number.isNaN(record.firstCpu)) record.firstCpu = cpu;
        record.lastCpu = cpu;
      } catch {
        // The process has ended; what it used until the last sample stays recorded.
      }
    }
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  const mb = (kb: number) => Math.round((kb / 1024) * 10) / 10;
  return {
    /** Stops watching and returns each process's usage. */
    stop(): Record<string, Usage> {
      clearInterval(timer);
      sample();
      return Object.fromEntries(
        Object.entries(seen).map(([name, record]) => [
          name,
          {
            max_rss_mb: mb(record.maxRssKb),
            peak_rss_mb: mb(record.hwmKb),
            cpu_seconds: Number.isNaN(record.firstCpu) ? 0 : Math.round((record.lastCpu - record.firstCpu) * 100) / 100,
          },
        ]),
      );
    },
  };
}

/** Share of the machine's CPU time that was not idle since the call, read from /proc/stat when the returned function is called. */
export function watchMachine(): () => number {
  const read = () => {
    const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
    return { idle: fields[3]! + fields[4]!, total: fields.reduce((a, b) => a + b, 0) };
  };
  const first = read();
  return () => {
    const last = read();
    return 1 - (last.idle - first.idle) / Math.max(1, last.total - first.total);
  };
}

/**
 * CPU seconds spent by a changing set of processes (e.g. the Postgres backends of one database, which
 * come and go with the pool) between the call and the returned function's call; a process first seen
 * at the end counts in full.
 */
export async function watchProcessGroup(pidsNow: () => Promise<number[]>): Promise<() => Promise<number>> {
  const cpuOrZero = (pid: number) => {
    try {
      return readCpuSeconds(pid);
    } catch {
      return 0;
    }
  };
  const first = new Map((await pidsNow()).map((pid) => [pid, cpuOrZero(pid)]));
  return async () => {
    const pids = new Set([...first.keys(), ...(await pidsNow())]);
    return [...pids].reduce((sum, pid) => sum + Math.max(0, cpuOrZero(pid) - (first.get(pid) ?? 0)), 0);
  };
}
