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
  new Elysia({ name: "kit.request-log" }).use(requestTiming()).onAfterResponse({ as: "global" }, (context) => {
    const { status, route, durationMs } = answerOf(context);
    const errorCode = problemCodeOf(context.request);
    options.logger.info("request", {
      case_id: caseIdOf(context.set),
      method: context.request.method,
      route,
      status,
      duration_ms: Math.round(durationMs * 1000) / 1000,
      ...(errorCode && { error_code: errorCode }),
    });
  });
