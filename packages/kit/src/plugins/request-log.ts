import { Elysia } from "elysia";
import type { Logger } from "../logger.ts";
import { caseIdOf } from "./case-id.ts";
import { problemCodeOf } from "./problem-details.ts";
import { answerOf, requestTiming } from "./request-timing.ts";

/**
 * One JSON log line per request, once answered: case id, method, route, status, duration, and the code
 * of the problem it was answered with (rendered by `problemDetails`).
 */
export const requestLog = (options: { logger: Logger }) =>
  // The hook names what it reads: Elysia infers from that what to prepare for each request, and a hook
  // taking the whole context would have it read every body, even on routes that take none.
  new Elysia({ name: "kit.request-log" })
    .use(requestTiming())
    .onAfterResponse({ as: "global" }, ({ request, set, route: matched, responseValue }) => {
      if (!options.logger.enabled("info")) return;
      const { status, route, durationMs } = answerOf({ set, route: matched, responseValue });
      const errorCode = problemCodeOf(request);
      options.logger.info("request", {
        case_id: caseIdOf(set),
        method: request.method,
        route,
        status,
        duration_ms: Math.round(durationMs * 1000) / 1000,
        ...(errorCode && { error_code: errorCode }),
      });
    });
