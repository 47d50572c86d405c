// Explaining the suggestions of 100 users in 20 time zones over 7 days: GET /suggestions/explain?users=…
// &from=<today>&days=7 with 100 users picked at random each time, at a constant arrival rate. Budget:
// p95 <= 20 ms. The mix: 80 % ask the default duration, which the seed's shared Wednesday 10–12 UTC fits
// (feasible: the count of slots and the blockers); 20 % (INFEASIBLE=0.2) ask duration=180, which nothing
// fits, so every kind of relaxation is computed, the wider window up to 28 days included: the dearest case.
// Each request is tagged case=feasible|infeasible and the summary gives both latencies. DAYS=0 asks the
// weekday form instead (no dates, so no wider window).
//   k6 run k6/explain-100.js                                     native suggestions service on :3003
//   k6 run -e BASE_URL=http://localhost:8080/api k6/explain-100.js
//   k6 run -e INFEASIBLE=1 k6/explain-100.js                    only the dearest case
import http from "k6/http";
import {
  baseUrl,
  latency,
  pickUsers,
  reportOnly,
  requireUsers,
  usersUrl,
  smoke,
  SMOKE_P95_MS,
  summaryFiles,
  throughput,
} from "./lib/bench.js";

const budget = JSON.parse(open("./budgets.json")).explain_100;
const BASE_URL = baseUrl("http://127.0.0.1:3003");
const RATE = Number(__ENV.RATE || (smoke ? 10 : budget.rate));
const SECONDS = Number(__ENV.SECONDS || (smoke ? 5 : 30));
const GROUP = Number(__ENV.GROUP || 100);
const DAYS = Number(__ENV.DAYS ?? 7);
const INFEASIBLE = Number(__ENV.INFEASIBLE ?? 0.2);
// Longer than the seed's shared two hours, and than any run of the random 08–20 hours all 100 share.
const INFEASIBLE_DURATION = Number(__ENV.INFEASIBLE_DURATION || 180);
const WINDOW = DAYS > 0 ? `&from=${__ENV.FROM || new Date().toISOString().slice(0, 10)}&days=${DAYS}` : "";
const SCENARIO = "scenario:explain_100";

export const options = {
  discardResponseBodies: true,
  summaryTrendStats: ["avg", "min", "med", "p(90)", "p(95)", "p(99)", "max"],
  scenarios: {
    explain_100: {
      executor: "constant-arrival-rate",
      rate: RATE,
      timeUnit: "1s",
      duration: `${SECONDS}s`,
      preAllocatedVUs: 10,
      maxVUs: 100,
    },
  },
  thresholds: {
    [`http_req_duration{${SCENARIO}}`]: [`p(95)<=${smoke ? SMOKE_P95_MS : budget.p95_ms}`],
    [`http_req_failed{${SCENARIO}}`]: [`rate<=${budget.errors}`],
    [`http_reqs{${SCENARIO}}`]: reportOnly.counter,
    "http_req_duration{case:feasible}": reportOnly.trend,
    "http_req_duration{case:infeasible}": reportOnly.trend,
    "http_reqs{case:feasible}": reportOnly.counter,
    "http_reqs{case:infeasible}": reportOnly.counter,
  },
};

export function setup() {
  requireUsers(usersUrl());
}

export default function () {
  const group = pickUsers(GROUP).join(",");
  const infeasible = Math.random() < INFEASIBLE;
  const duration = infeasible ? `&duration=${INFEASIBLE_DURATION}` : "";
  http.get(`${BASE_URL}/suggestions/explain?users=${group}${WINDOW}${duration}`, {
    tags: { name: "GET /suggestions/explain", case: infeasible ? "infeasible" : "feasible" },
  });
}

export function handleSummary(data) {
  const requestsOf = (tag) => data.metrics[`http_reqs{case:${tag}}`]?.values.count || 0;
  return summaryFiles("explain-100", data, {
    group_size: GROUP,
    days: DAYS,
    infeasible_share: INFEASIBLE,
    target_rate: RATE,
    ...throughput(data, SCENARIO, SECONDS),
    latency: latency(data, `http_req_duration{${SCENARIO}}`),
    feasible: { requests: requestsOf("feasible"), ...latency(data, "http_req_duration{case:feasible}") },
    infeasible: { requests: requestsOf("infeasible"), ...latency(data, "http_req_duration{case:infeasible}") },
  });
}
