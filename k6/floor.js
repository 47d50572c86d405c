// The floor of the cache-hit budget on this machine: the same load as k6/cache-hit.js (1,000 requests/s,
// open model) against bench/floor-server.ts, which does the least a server can. See BENCHMARKS.md.
//   k6 run -e URL=http://127.0.0.1:3999/users/a@x.io/availability k6/floor.js
import http from "k6/http";

export const options = {
  discardResponseBodies: true,
  summaryTrendStats: ["med", "p(95)", "p(99)", "max"],
  scenarios: {
    floor: { executor: "constant-arrival-rate", rate: 1000, timeUnit: "1s", duration: "15s", preAllocatedVUs: 20, maxVUs: 200 },
  },
};

export default function () {
  http.get(__ENV.URL || "http://127.0.0.1:3999/users/a@x.io/availability");
}
