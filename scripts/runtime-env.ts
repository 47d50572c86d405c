/**
 * Environment every W2Meet service process runs with (the Dockerfiles set the same).
 * JavaScriptCore sizes its heap growth from the machine's RAM; telling it the machine has 200 MB makes it
 * collect sooner, which keeps each service's peak RSS about 15–20 MB lower under load at no measurable cost
 * in latency (BENCHMARKS.md). NODE_ENV=production keeps Elysia from pretty-printing every invalid value into
 * its validation error (a flood of invalid bodies peaked at 103 MB RSS without it, 90–95 MB with it) and
 * Bun from serving its HTML development error page.
 */
export const SERVICE_RUNTIME_ENV = { BUN_JSC_forceRAMSize: "200000000", NODE_ENV: "production" } as const;

/**
 * The worker loads more native code than the others (amqplib, nodemailer, postgres.js) and its live heap
 * is ~12 MB, which JavaScriptCore lets grow to twice that before a full collection; 1.5 times keeps it
 * 10–20 MB under its 100 MB budget at full load, for little CPU (BENCHMARKS.md, "The worker").
 */
export const WORKER_RUNTIME_ENV = { ...SERVICE_RUNTIME_ENV, BUN_JSC_smallHeapGrowthFactor: "1.5" } as const;

/** The runtime environment of the service in apps/<name>. */
export const runtimeEnv = (name: string): Record<string, string> => (name === "worker" ? WORKER_RUNTIME_ENV : SERVICE_RUNTIME_ENV);
