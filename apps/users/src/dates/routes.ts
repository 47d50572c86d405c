import {
  DateException,
  DateExceptionInput,
  DateExceptionList,
  DateListQuery,
  DateParams,
  MAX_DATE_EXCEPTIONS,
  MAX_DAYS_AHEAD,
  Problem,
  UserParams,
} from "@w2meet/contracts";
import { caseIdOf, NEEDS_TOKEN, notFound, principalOf } from "@w2meet/kit";
import { Type } from "@sinclair/typebox";
import { Elysia } from "elysia";
import type { UsersDeps } from "../users/service.ts";
import * as dates from "./service.ts";

const unknownUser = (email: string) => notFound(`No user with email ${email.toLowerCase()}`);
const tags = ["dates"];
const WINDOW = `Dates are local dates in the person's time zone, from today to ${MAX_DAYS_AHEAD} days ahead (else 400).`;
const PROTECTED =
  "A protected profile (one with a password) needs a bearer token for its own email: 401 without one, 403 with another's. " +
  "An open profile may be changed by anyone.";

/** The dated exceptions of a person: days whose free time replaces their weekly pattern. */
export const datesRoutes = (deps: UsersDeps) =>
  new Elysia({ name: "dates.routes", prefix: "/users" })
    .get(
      "/:email/dates",
      async ({ params, query }) => {
        const list = await dates.listDateExceptions(deps, params.email, query);
        if (!list) throw unknownUser(params.email);
        return list;
      },
      {
        params: UserParams,
        query: DateListQuery,
        response: { 200: DateExceptionList, 400: Problem, 404: Problem, 503: Problem },
        detail: {
          tags,
          summary: "List a person's dated exceptions",
          description: "Dates ascending, from `from` to `to` (both inclusive, both optional); `from` after `to` is a 400.",
        },
      },
    )
    .put(
      "/:email/dates/:date",
      async ({ params, body, request, set }) => {
        const caller = { principal: principalOf(request), caseId: caseIdOf(set) };
        const exception = await dates.putDateException(deps, params.email, params.date, body, caller);
        if (!exception) throw unknownUser(params.email);
        return exception;
      },
      {
        params: DateParams,
        body: DateExceptionInput,
        response: { 200: DateException, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 503: Problem },
        detail: {
          tags,
          summary: "Set a date's free time, instead of the weekly pattern",
          description:
            "`available` replaces the weekly hours on that date (empty: away all day), `if_needed` its if-needed hours " +
            `(hours also available count as available). ${WINDOW} A person keeps at most ${MAX_DATE_EXCEPTIONS} exceptions ` +
            `from yesterday on: one more is a 409. ${PROTECTED}`,
          security: NEEDS_TOKEN,
        },
      },
    )
    .delete(
      "/:email/dates/:date",
      async ({ params, request, set }) => {
        const caller = { principal: principalOf(request), caseId: caseIdOf(set) };
        const outcome = await dates.deleteDateException(deps, params.email, params.date, caller);
        if (outcome === "no user") throw unknownUser(params.email);
        if (outcome === "no exception") throw notFound(`${params.email.toLowerCase()} has no exception on ${params.date}`);
        return new Response(null, { status: 204 });
      },
      {
        params: DateParams,
        response: {
          204: Type.Null({ description: "Deleted: the weekly pattern holds on that date again" }),
          400: Problem,
          401: Problem,
          403: Problem,
          404: Problem,
          503: Problem,
        },
        detail: {
          tags,
          summary: "Remove a date's exception, restoring the weekly pattern",
          description: `404 when the date has no exception. ${WINDOW} ${PROTECTED}`,
          security: NEEDS_TOKEN,
        },
      },
    );
