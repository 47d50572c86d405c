// Cache hits: GET /users/{email}/availability for warm users at a constant arrival rate (open model),
// latency tracked per X-Cache value. Budget: 1,000 requests/s with p95 <= 1 ms, p99 <= 2 ms, 0 errors.
//   k6 run k6/cache-hit.js                                   native users service on :3001
//   k6 run -e BASE_URL=http://localhost:8080/api k6/cache-hit.js   through the gateway
import http from "k6/http";
import { Trend } from "k6/metrics";
import { baseUrl, emails, latency, reportOnly, requireUsers, smoke, SMOKE_P95_MS, summaryFiles, throughput } from "./lib/bench.js";

const budget = JSON.parse(open("./budgets.json")).cache_hit;
const BASE_URL = baseUrl("http://127.0.0.1:3001");
const RATE = Number(__ENV.RATE || (smoke ? 200 : budget.rate));
const SECONDS = Number(__ENV.SECONDS || (smoke ? 5 : 30));

const availability = new Trend("availability_duration", true);

export const options = {
  discardResponseBodies: true,
  summaryTrendStats: ["avg", "min", "med", "p(90)", "p(95)", "p(99)", "max"],
  scenarios: {
    cache_hit: {
      executor: "constant-arrival-rate",
      rate: RATE,
      timeUnit: "1s",
      duration: `${SECONDS}s`,
      preAllocatedVUs: 20,
      maxVUs: 200,
    },
  },
  thresholds: {
    "http_req_failed{scenario:cache_hit}": [`rate<=${budget.errors}`],
    "availability_duration{x_cache:HIT}": smoke ? [`p(95)<=${SMOKE_P95_MS}`] : [`p(95)<=${budget.p95_ms}`, `p(99)<=${budget.p99_ms}`],
    "availability_duration{x_cache:MISS}": reportOnly.trend,
    "http_req_duration{scenario:cache_hit}": reportOnly.trend,
    "http_reqs{scenario:cache_hit}": reportOnly.counter,
  },
};

export function setup() {
  requireUsers(BASE_URL);
}

export default function () {
  const email = emails[Math.floor(Math.random() * emails.length)];
  // One name for every URL, so k6 keeps one time series instead of one per user.
  const response = http.get(`${BASE_URL}/users/${email}/availability`, { tags: { name: "GET /users/{email}/availability" } });
  availability.add(response.timings.duration, { x_cache: response.headers["X-Cache"] || "none" });
}

export function handleSummary(data) {
  return summaryFiles("cache-hit", data, {
    target_rate: RATE,
    ...throughput(data, "scenario:cache_hit", SECONDS),
    hit: latency(data, "availability_duration{x_cache:HIT}"),
    miss: latency(data, "availability_duration{x_cache:MISS}"),
    all: latency(data, "http_req_duration{scenario:cache_hit}"),
  });
}
