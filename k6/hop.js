// One hop of a suggestion, alone, at a constant rate: the profile of where a suggestion's time goes.
// HOP=users       GET /users/availability?users=a,b               (users: Redis MGET)
// HOP=availability GET /availability/members?users=a,b               (availability + users: what suggestions asks)
// HOP=suggestions GET /suggestions?users=a,b                       (suggestions + availability + users)
//   k6 run -e HOP=availability -e BASE_URL=http://127.0.0.1:3002 k6/hop.js
import http from "k6/http";
import { baseUrl, latency, pickUsers, reportOnly, requireUsers, summaryFiles, throughput, usersUrl } from "./lib/bench.js";

const PATHS = {
  users: (pair) => `/users/availability?users=${pair}`,
  availability: (pair) => `/availability/members?users=${pair}`,
  suggestions: (pair) => `/suggestions?users=${pair}`,
};
const HOP = __ENV.HOP || "suggestions";
if (!PATHS[HOP]) throw new Error(`HOP must be one of ${Object.keys(PATHS).join(", ")}`);
const BASE_URL = baseUrl(
  { users: "http://127.0.0.1:3001", availability: "http://127.0.0.1:3002", suggestions: "http://127.0.0.1:3003" }[HOP],
);
const RATE = Number(__ENV.RATE || 1000);
const SECONDS = Number(__ENV.SECONDS || 15);

export const options = {
  discardResponseBodies: true,
  summaryTrendStats: ["avg", "min", "med", "p(90)", "p(95)", "p(99)", "max"],
  scenarios: {
    hop: { executor: "constant-arrival-rate", rate: RATE, timeUnit: "1s", duration: `${SECONDS}s`, preAllocatedVUs: 20, maxVUs: 200 },
  },
  thresholds: {
    "http_req_duration{scenario:hop}": reportOnly.trend,
    "http_req_failed{scenario:hop}": reportOnly.rate,
    "http_reqs{scenario:hop}": reportOnly.counter,
  },
};

export function setup() {
  requireUsers(HOP === "users" ? BASE_URL : usersUrl());
}

export default function () {
  http.get(`${BASE_URL}${PATHS[HOP](pickUsers(2).join(","))}`, { tags: { name: `hop ${HOP}` } });
}

export function handleSummary(data) {
  return summaryFiles(`hop-${HOP}`, data, {
    hop: HOP,
    target_rate: RATE,
    ...throughput(data, "scenario:hop", SECONDS),
    latency: latency(data, "http_req_duration{scenario:hop}"),
  });
}
