import budgets from "../k6/budgets.json";
import type { K6Run } from "./k6.ts";

/** One line of the benchmark table. */
export type Row = { scenario: string; budget: string; measured: string; verdict: "pass" | "FAIL" | "smoke ok" | "smoke FAIL" };

const ms = (value: number | undefined) => (value === undefined ? "n/a" : `${value.toFixed(2)} ms`);
const rate = (value: number) => `${Math.round(value).toLocaleString("en-US")} req/s`;
const errors = (share: number, requests: number) => `${Math.round(share * requests)} errors`;

/** The benchmark's verdicts against the contract's budgets (k6/budgets.json); a smoke run only reports whether its scripts ran clean. */
export function benchmarkRows(
  runs: { cacheHit?: K6Run; suggestions?: K6Run; common?: K6Run; explain?: K6Run; token?: K6Run },
  memory: Record<string, number>,
  smoke: boolean,
): Row[] {
  const verdict = (run: K6Run | undefined, withinBudget: boolean): Row["verdict"] =>
    smoke ? (run?.passed ? "smoke ok" : "smoke FAIL") : withinBudget ? "pass" : "FAIL";
  const rows: Row[] = [];

  const hit = runs.cacheHit?.summary?.results;
  if (runs.cacheHit) {
    const ok =
      hit &&
      hit.hit.p95_ms <= budgets.cache_hit.p95_ms &&
      hit.hit.p99_ms <= budgets.cache_hit.p99_ms &&
      hit.error_rate === 0 &&
      hit.rate >= hit.target_rate * 0.95;
    rows.push({
      scenario: `cache hit, GET /users/{email}/availability at ${rate(hit?.target_rate ?? 0)}`,
      budget: `p95 ≤ ${budgets.cache_hit.p95_ms} ms, p99 ≤ ${budgets.cache_hit.p99_ms} ms, 0 errors`,
      measured: hit
        ? `HIT p95 ${ms(hit.hit.p95_ms)}, p99 ${ms(hit.hit.p99_ms)}; ${errors(hit.error_rate, hit.requests)}; ${rate(hit.rate)} sent`
        : "no summary",
      verdict: verdict(runs.cacheHit, Boolean(ok)),
    });
  }

  const suggest = runs.suggestions?.summary?.results;
  if (runs.suggestions) {
    const ok = suggest && suggest.max_rate_within_budget >= budgets.suggestions.rate;
    const atBudget = suggest?.steps.find((step: any) => step.target_rate === budgets.suggestions.rate);
    rows.push({
      scenario: "suggestions for 2 users, open model, rate ramped in steps",
      budget: `≥ ${rate(budgets.suggestions.rate)} with p95 ≤ ${budgets.suggestions.p95_ms} ms, 0 errors`,
      measured: suggest
        ? `${rate(suggest.max_rate_within_budget)} within budget` +
          (atBudget ? `; at ${rate(atBudget.target_rate)}: p95 ${ms(atBudget.p95_ms)}, ${rate(atBudget.achieved_rate)} sent` : "")
        : "no summary",
      verdict: verdict(runs.suggestions, Boolean(ok)),
    });
  }

  const common = runs.common?.summary?.results;
  if (runs.common) {
    const ok = common && common.latency.p95_ms <= budgets.common_100.p95_ms && common.error_rate === 0;
    rows.push({
      scenario: `common availability of ${common?.group_size ?? 100} users at ${rate(common?.target_rate ?? 0)}`,
      budget: `p95 ≤ ${budgets.common_100.p95_ms} ms`,
      measured: common
        ? `p95 ${ms(common.latency.p95_ms)}, p99 ${ms(common.latency.p99_ms)}; ${errors(common.error_rate, common.requests)}`
        : "no summary",
      verdict: verdict(runs.common, Boolean(ok)),
    });
  }

  const explain = runs.explain?.summary?.results;
  if (runs.explain) {
    const ok =
      explain &&
      explain.latency.p95_ms <= budgets.explain_100.p95_ms &&
      explain.error_rate === 0 &&
      explain.rate >= explain.target_rate * 0.95;
    const cpu = (name: string) => cpuPerRequest(runs.explain!, name, explain?.requests);
    rows.push({
      scenario:
        `explanation for ${explain?.group_size ?? 100} users ${explain?.days ? `over ${explain.days} days` : "in the weekday form"} at ${rate(explain?.target_rate ?? 0)}, ` +
        `${Math.round((explain?.infeasible_share ?? 0) * 100)} % with nothing fitting`,
      budget: `p95 ≤ ${budgets.explain_100.p95_ms} ms at ${rate(budgets.explain_100.rate)}, 0 errors`,
      measured: explain
        ? `p95 ${ms(explain.latency.p95_ms)}, p99 ${ms(explain.latency.p99_ms)} (fitting p95 ${ms(explain.feasible.p95_ms)}, ` +
          `none fitting p95 ${ms(explain.infeasible.p95_ms)}); ${errors(explain.error_rate, explain.requests)}; ${rate(explain.rate)} sent; ` +
          `CPU ms/req suggestions ${cpu("suggestions")}, availability ${cpu("availability")}, users ${cpu("users")}`
        : "no summary",
      verdict: verdict(runs.explain, Boolean(ok)),
    });
  }

  const token = runs.token?.summary?.results;
  if (runs.token) {
    const ok = token?.within_budget && token.with_token.error_rate === 0 && token.without_token.error_rate === 0;
    rows.push({
      scenario: `token verification: the cache-hit read with and without a bearer token, ${rate(token?.target_rate ?? 0)} each`,
      budget: `≤ ${budgets.token.added_p50_ms} ms added to p50`,
      measured: token
        ? `p50 ${ms(token.with_token.p50_ms)} with, ${ms(token.without_token.p50_ms)} without: ${token.added_p50_ms >= 0 ? "+" : ""}${ms(token.added_p50_ms)}; ` +
          `${errors(token.with_token.error_rate, token.with_token.requests)}`
        : "no summary",
      verdict: verdict(runs.token, Boolean(ok)),
    });
  }

  const heaviest = Math.max(...Object.values(memory));
  rows.push({
    scenario: "memory under those loads (largest RSS sampled)",
    budget: `each service ≤ ${budgets.memory.rss_mb} MB`,
    measured: Object.entries(memory)
      .map(([name, mb]) => `${name} ${mb} MB`)
      .join(", "),
    verdict: smoke ? "smoke ok" : heaviest <= budgets.memory.rss_mb ? "pass" : "FAIL",
  });
  return rows;
}

/** The CPU milliseconds process `name` spent per request of a k6 run. */
const cpuPerRequest = (run: K6Run, name: string, requests: number | undefined) =>
  `${(((run.usage[name]?.cpu_seconds ?? 0) * 1000) / (requests || 1)).toFixed(3)}`;

/** The profile of a suggestion: each hop alone at the same rate, its latency and the CPU each process spent per request. */
export function profileRows(hops: K6Run[]): string[][] {
  return hops.map((run) => {
    const results = run.summary?.results;
    const cpu = (name: string) => cpuPerRequest(run, name, results?.requests);
    return [
      results?.hop ?? run.script,
      rate(results?.rate ?? 0),
      ms(results?.latency.p50_ms),
      ms(results?.latency.p95_ms),
      ms(results?.latency.p99_ms),
      cpu("users"),
      cpu("availability"),
      cpu("suggestions"),
      cpu("k6"),
    ];
  });
}

/** A Markdown table, its columns padded so it also reads as plain text. */
export function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(" | ")} |`;
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join("\n");
}
