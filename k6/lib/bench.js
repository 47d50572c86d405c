// Shared by the k6 scripts: settings from the environment, the benchmark users, and the summary file.
// No remote modules: everything a script needs is in this folder.
import http from "k6/http";
import exec from "k6/execution";

/** Short, loose runs (CI): the scripts must not rot, the numbers do not count. */
export const smoke = __ENV.SMOKE === "1" || __ENV.SMOKE === "true";

/** A smoke run's latency bound: generous, since CI machines are shared; errors stay at zero. */
export const SMOKE_P95_MS = 500;

/** The service's base URL: BASE_URL (e.g. http://localhost:8080/api through the gateway), else the native default. */
export const baseUrl = (nativeDefault) => (__ENV.BASE_URL || nativeDefault).replace(/\/+$/, "");

/** The users service, to check the benchmark users exist: USERS_URL, else BASE_URL when it is the gateway's, else native. */
export const usersUrl = () => (__ENV.USERS_URL || (__ENV.BASE_URL ? __ENV.BASE_URL : "http://127.0.0.1:3001")).replace(/\/+$/, "");

/** The users `bun run bench` seeds: <EMAIL_PREFIX>000@w2meet.test ... */
export const emails = Array.from(
  { length: Number(__ENV.USER_COUNT || 200) },
  (_, i) => `${__ENV.EMAIL_PREFIX || "bench-"}${String(i).padStart(3, "0")}@w2meet.test`,
);

/** `count` distinct users picked at random. */
export function pickUsers(count) {
  const picked = new Set();
  while (picked.size < count) picked.add(emails[Math.floor(Math.random() * emails.length)]);
  return [...picked];
}

/** Aborts the run unless every benchmark user exists (reading them also warms the users cache). */
export function requireUsers(usersBaseUrl) {
  for (let start = 0; start < emails.length; start += 50) {
    const batch = emails
      .slice(start, start + 50)
      .map((email) => ["GET", `${usersBaseUrl}/users/${email}/availability`, null, { tags: { name: "setup" } }]);
    const missing = http.batch(batch).filter((response) => response.status !== 200);
    if (missing.length) {
      exec.test.abort(
        `${missing.length} benchmark users answer ${missing[0].status} at ${usersBaseUrl}: seed them first (bun run bench seeds them)`,
      );
    }
  }
}

const numbers = (metric) => (metric ? metric.values : {});

/** The verdict of every threshold: { "http_req_failed": { "rate==0": true } }. */
function thresholdsOf(data) {
  const verdicts = {};
  for (const [name, metric] of Object.entries(data.metrics)) {
    if (!metric.thresholds) continue;
    verdicts[name] = Object.fromEntries(Object.entries(metric.thresholds).map(([rule, result]) => [rule, result.ok]));
  }
  return verdicts;
}

/**
 * handleSummary's answer: <RESULTS_DIR>/<name>.json with the scenario's key numbers, the threshold
 * verdicts and every metric, and one line on stdout.
 */
export function summaryFiles(name, data, results) {
  const thresholds = thresholdsOf(data);
  const passed = Object.values(thresholds).every((rules) => Object.values(rules).every(Boolean));
  const summary = {
    name,
    smoke,
    base_url: __ENV.BASE_URL || null,
    finished_at: new Date().toISOString(),
    passed,
    results,
    thresholds,
    metrics: Object.fromEntries(Object.entries(data.metrics).map(([metric, value]) => [metric, numbers(value)])),
  };
  const dir = (__ENV.RESULTS_DIR || "bench/results").replace(/\/+$/, "");
  return {
    [`${dir}/${name}.json`]: `${JSON.stringify(summary, null, 2)}\n`,
    stdout: `${name}: ${passed ? "thresholds passed" : "THRESHOLDS FAILED"} ${JSON.stringify(results)}\n`,
  };
}

/** p95/p99 and friends of a trend metric (k6 reports milliseconds). */
export const latency = (data, metric) => {
  const values = numbers(data.metrics[metric]);
  return { p50_ms: values.med, p95_ms: values["p(95)"], p99_ms: values["p(99)"], max_ms: values.max, avg_ms: values.avg };
};

/**
 * Requests a scenario made, per second of `seconds`, and the share that failed; `tag` selects the
 * submetrics (e.g. "scenario:cache_hit"), which exist when a threshold names them.
 */
export function throughput(data, tag, seconds) {
  const requests = numbers(data.metrics[`http_reqs{${tag}}`]).count || 0;
  return {
    requests,
    rate: requests / seconds,
    error_rate: numbers(data.metrics[`http_req_failed{${tag}}`]).rate || 0,
    dropped_iterations: numbers(data.metrics.dropped_iterations).count || 0,
  };
}

/** Thresholds that always hold: they make k6 compute a submetric for the summary without judging it. */
export const reportOnly = { trend: ["p(95)>=0"], rate: ["rate>=0"], counter: ["count>=0"] };
