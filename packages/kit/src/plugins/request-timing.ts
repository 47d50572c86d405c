import { Elysia } from "elysia";

// On the request's `set`, which every hook sees: a property, not a WeakMap entry.
const STARTED = Symbol("w2meet.started");
type WithStart = { [STARTED]?: number };

/** Notes when each request arrived, for the request log and the metrics; used by both, registered once. */
export const requestTiming = () =>
  new Elysia({ name: "kit.request-timing" }).onRequest(({ set }) => {
    (set as WithStart)[STARTED] = performance.now();
  });

/** What a request was answered with, once it was: status, matched route and milliseconds taken. */
export function answerOf(context: { set: { status?: unknown }; route: string; responseValue: unknown }) {
  const { set, route, responseValue } = context;
  const start = (set as WithStart)[STARTED];
  return {
    status: responseValue instanceof Response ? responseValue.status : Number(set.status ?? 200),
    route: route || "unmatched",
    durationMs: start === undefined ? 0 : performance.now() - start,
  };
}
