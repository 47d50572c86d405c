// What verifying a bearer token adds to a request: the same cache-hit read, GET /users/{email}/availability,
// sent at the same constant rate with and without `Authorization: Bearer <TOKEN>` in one run, so both
// see the same machine. Budget: the token adds at most 0.1 ms to the p50.
//   k6 run -e TOKEN=<access_token> k6/token.js           native users service on :3001
import http from "k6/http";
import { Trend } from "k6/metrics";
import { baseUrl, emails, latency, reportOnly, requireUsers, smoke, summaryFiles, throughput } from "./lib/bench.js";

const budget = JSON.parse(open("./budgets.json")).token;
const BASE_URL = baseUrl("http://127.0.0.1:3001");
const RATE = Number(__ENV.RATE || (smoke ? 100 : budget.rate));
const SECONDS = Number(__ENV.SECONDS || (smoke ? 3 : 30));
const TOKEN = __ENV.TOKEN;
if (!TOKEN) throw new Error("TOKEN is required: an access_token of POST /auth/token");

const read = new Trend("read_duration", true);
const scenario = (exec) => ({
  executor: "constant-arrival-rate",
  exec,
  rate: RATE,
  timeUnit: "1s",
  duration: `${SECONDS}s`,
  preAllocatedVUs: 20,
  maxVUs: 200,
});

export const options = {
  discardResponseBodies: true,
  summaryTrendStats: ["avg", "min", "med", "p(90)", "p(95)", "p(99)", "max"],
  scenarios: { without_token: scenario("withoutToken"), with_token: scenario("withToken") },
  thresholds: {
    "http_req_failed{scenario:without_token}": ["rate==0"],
    "http_req_failed{scenario:with_token}": ["rate==0"],
    "read_duration{token:no}": reportOnly.trend,
    "read_duration{token:yes}": reportOnly.trend,
    "http_reqs{scenario:without_token}": reportOnly.counter,
    "http_reqs{scenario:with_token}": reportOnly.counter,
  },
};

export function setup() {
  requireUsers(BASE_URL);
}

function readOne(headers, token) {
  const email = emails[Math.floor(Math.random() * emails.length)];
  const response = http.get(`${BASE_URL}/users/${email}/availability`, { headers, tags: { name: "GET /users/{email}/availability" } });
  read.add(response.timings.duration, { token });
}
export const withoutToken = () => readOne({}, "no");
export const withToken = () => readOne({ Authorization: `Bearer ${TOKEN}` }, "yes");

export function handleSummary(data) {
  const without = latency(data, "read_duration{token:no}");
  const withToken = latency(data, "read_duration{token:yes}");
  const added = withToken.p50_ms - without.p50_ms;
  const results = {
    target_rate: RATE,
    without_token: { ...throughput(data, "scenario:without_token", SECONDS), ...without },
    with_token: { ...throughput(data, "scenario:with_token", SECONDS), ...withToken },
    added_p50_ms: added,
    within_budget: smoke || added <= budget.added_p50_ms,
  };
  return summaryFiles("token", data, results);
}
