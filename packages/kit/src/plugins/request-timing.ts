import { Elysia } from "elysia";

const started = new WeakMap<Request, number>();

/** Notes when each request arrived, for the request log and the metrics; used by both, registered once. */
export const requestTiming = () =>
  new Elysia({ name: "kit.request-timing" }).onRequest(({ request }) => {
    started.set(request, performance.now());
  });

/** What a request was answered with, once it was: status, matched route and milliseconds taken. */
export function answerOf(context: { request: Request; set: { status?: unknown }; route: string; responseValue: unknown }) {
  const { request, set, route, responseValue } = context;
  const start = started.get(request);
  return {
    status: responseValue instanceof Response ? responseValue.status : Number(set.status ?? 200),
    route: route || "unmatched",
    durationMs: start === undefined ? 0 : performance.now() - start,
  };
}
