// Suggestion throughput: GET /suggestions for random pairs of users, open model, the arrival rate
// ramped in steps; each step holds its rate, and the highest step that kept p95 within budget with no
// errors (and was actually delivered) is the answer. Budget: >= 3,000 requests/s with p95 <= 10 ms.
//   k6 run k6/suggestions.js                                     native suggestions service on :3003
//   k6 run -e BASE_URL=http://localhost:8080/api k6/suggestions.js
//   k6 run -e STEPS=1000,2000,3000 -e STEP_SECONDS=10 k6/suggestions.js
import http from "k6/http";
import exec from "k6/execution";
import { baseUrl, latency, pickUsers, reportOnly, requireUsers, usersUrl, smoke, SMOKE_P95_MS, summaryFiles } from "./lib/bench.js";

const budget = JSON.parse(open("./budgets.json")).suggestions;
const BASE_URL = baseUrl("http://127.0.0.1:3003");
const STEPS = (__ENV.STEPS || (smoke ? "50,100" : "500,1000,1500,2000,2500,3000,3500,4000")).split(",").map(Number);
const HOLD_SECONDS = Number(__ENV.STEP_SECONDS || (smoke ? 3 : 10));
const RAMP_SECONDS = Number(__ENV.RAMP_SECONDS || (smoke ? 1 : 2));
const P95_MS = smoke ? SMOKE_P95_MS : budget.p95_ms;
// A step counts only if k6 really sent (almost) its rate: an overloaded box drops iterations instead.
const DELIVERED = smoke ? 0.8 : 0.95;

const stepThresholds = Object.fromEntries(
  STEPS.flatMap((rate) => {
    // The budget's step (and every step of a smoke run) is judged; the others are measured only.
    const judged = smoke || rate === budget.rate;
    return [
      [`http_req_duration{step:${rate}}`, judged ? [`p(95)<=${P95_MS}`] : reportOnly.trend],
      [`http_req_failed{step:${rate}}`, judged ? [`rate<=${budget.errors}`] : reportOnly.rate],
      [`http_reqs{step:${rate}}`, judged ? [`count>=${Math.floor(rate * HOLD_SECONDS * DELIVERED)}`] : reportOnly.counter],
    ];
  }),
);

export const options = {
  discardResponseBodies: true,
  summaryTrendStats: ["avg", "min", "med", "p(90)", "p(95)", "p(99)", "max"],
  scenarios: {
    suggestions: {
      executor: "ramping-arrival-rate",
      startRate: Math.ceil(STEPS[0] / 2),
      timeUnit: "1s",
      preAllocatedVUs: 50,
      maxVUs: 400,
      stages: STEPS.flatMap((rate) => [
        { target: rate, duration: `${RAMP_SECONDS}s` },
        { target: rate, duration: `${HOLD_SECONDS}s` },
      ]),
    },
  },
  thresholds: stepThresholds,
};

export function setup() {
  requireUsers(usersUrl());
}

/** The step whose plateau this moment falls in, or "ramp" between plateaus. */
function currentStep() {
  const elapsed = (Date.now() - exec.scenario.startTime) / 1000;
  const period = RAMP_SECONDS + HOLD_SECONDS;
  const index = Math.floor(elapsed / period);
  if (index >= STEPS.length || elapsed - index * period < RAMP_SECONDS) return "ramp";
  return String(STEPS[index]);
}

export default function () {
  const [first, second] = pickUsers(2);
  http.get(`${BASE_URL}/suggestions?users=${first},${second}`, { tags: { name: "GET /suggestions", step: currentStep() } });
}

export function handleSummary(data) {
  const steps = STEPS.map((rate) => {
    const requests = data.metrics[`http_reqs{step:${rate}}`]?.values.count || 0;
    const errors = data.metrics[`http_req_failed{step:${rate}}`]?.values.rate || 0;
    const timing = latency(data, `http_req_duration{step:${rate}}`);
    const achieved = requests / HOLD_SECONDS;
    const within = requests > 0 && timing.p95_ms <= P95_MS && errors <= budget.errors && achieved >= rate * DELIVERED;
    return { target_rate: rate, achieved_rate: Math.round(achieved), error_rate: errors, ...timing, within_budget: within };
  });
  // The highest rate of an unbroken run of good steps from the bottom: a lucky step after a bad one does not count.
  const firstBad = steps.findIndex((step) => !step.within_budget);
  const good = firstBad === -1 ? steps : steps.slice(0, firstBad);
  return summaryFiles("suggestions", data, {
    max_rate_within_budget: good.length ? good[good.length - 1].target_rate : 0,
    p95_budget_ms: P95_MS,
    steps,
  });
}
