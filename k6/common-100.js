// Common availability of 100 users in 20 time zones (the seed gives user i zone i % 20) over 28 days:
// GET /availability/common_availabilities?users=…&from=<today>&days=28 with 100 users picked at random each
// time, at a constant arrival rate. Budget: p95 <= 10 ms. DAYS=0 asks the weekday form instead.
//   k6 run k6/common-100.js                                      native availability service on :3002
//   k6 run -e BASE_URL=http://localhost:8080/api k6/common-100.js
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

const budget = JSON.parse(open("./budgets.json")).common_100;
const BASE_URL = baseUrl("http://127.0.0.1:3002");
const RATE = Number(__ENV.RATE || (smoke ? 20 : budget.rate));
const SECONDS = Number(__ENV.SECONDS || (smoke ? 5 : 30));
const GROUP = Number(__ENV.GROUP || 100);
const DAYS = Number(__ENV.DAYS ?? 28);
const WINDOW = DAYS > 0 ? `&from=${__ENV.FROM || new Date().toISOString().slice(0, 10)}&days=${DAYS}` : "";

export const options = {
  discardResponseBodies: true,
  summaryTrendStats: ["avg", "min", "med", "p(90)", "p(95)", "p(99)", "max"],
  scenarios: {
    common_100: {
      executor: "constant-arrival-rate",
      rate: RATE,
      timeUnit: "1s",
      duration: `${SECONDS}s`,
      preAllocatedVUs: 10,
      maxVUs: 100,
    },
  },
  thresholds: {
    "http_req_duration{scenario:common_100}": [`p(95)<=${smoke ? SMOKE_P95_MS : budget.p95_ms}`],
    "http_req_failed{scenario:common_100}": [`rate<=${budget.errors}`],
    "http_reqs{scenario:common_100}": reportOnly.counter,
  },
};

export function setup() {
  requireUsers(usersUrl());
}

export default function () {
  const group = pickUsers(GROUP).join(",");
  http.get(`${BASE_URL}/availability/common_availabilities?users=${group}${WINDOW}`, {
    tags: { name: "GET /availability/common_availabilities" },
  });
}

export function handleSummary(data) {
  return summaryFiles("common-100", data, {
    group_size: GROUP,
    days: DAYS,
    target_rate: RATE,
    ...throughput(data, "scenario:common_100", SECONDS),
    latency: latency(data, "http_req_duration{scenario:common_100}"),
  });
}
