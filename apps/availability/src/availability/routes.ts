import {
  AvailabilityHeatmap,
  CommonAvailability,
  CommonAvailabilityQuery,
  DatedCommonAvailability,
  DatedHeatmap,
  GroupMembers,
  GroupQuery,
  HeatmapQuery,
  Problem,
} from "@w2meet/contracts";
import { caseIdOf, groupFromQuery, jsonResponse } from "@w2meet/kit";
import { Elysia, t } from "elysia";
import * as availability from "./service.ts";

const tags = ["availability"];
const problems = { 400: Problem, 404: Problem, 502: Problem, 503: Problem };
const groupErrors =
  "404 names unknown users in `missing`; 503 when the users service is unreachable or too slow; 502 when it answers with an error.";

/** The availability routes: what a group has in common, and who is free when. */
export const availabilityRoutes = (deps: availability.AvailabilityDeps) =>
  new Elysia({ name: "availability.routes", prefix: "/availability" })
    .get(
      "/common_availabilities",
      async ({ query, set }) => {
        const emails = groupFromQuery(query);
        const window = availability.windowOf(query);
        const members = await availability.readGroup(deps, emails, caseIdOf(set));
        return availability.commonAvailability(emails, members, query.include === "members", window);
      },
      {
        query: CommonAvailabilityQuery,
        response: { 200: t.Union([CommonAvailability, DatedCommonAvailability]), ...problems },
        detail: {
          tags,
          summary: "Time a group is all free",
          description:
            "Without `from`: the common free time as a week (hours in `tz`, computed for the coming week there, each " +
            "person's hours placed in their own time zone and dated exceptions applied) and as merged intervals " +
            "(Monday 9, 10, 11 → 9–12; 9.5 is 09:30), with each member's preference. With `from`: real time from " +
            `there for \`days\` days, per date and as dated intervals with ISO 8601 start and end. ${groupErrors}`,
        },
      },
    )
    .get(
      "/members",
      // The members as the users service sent them, spliced in rather than parsed and serialised again.
      async ({ query, set }) => {
        const emails = groupFromQuery(query);
        const members = await availability.readGroupJson(deps, emails, caseIdOf(set));
        return jsonResponse(`{"users":${JSON.stringify(emails)},"members":${members}}`, set);
      },
      {
        query: GroupQuery,
        response: { 200: GroupMembers, ...problems },
        detail: {
          tags,
          summary: "Each member of a group as stored",
          description:
            "Each member's weeks, if-needed weeks, time zone, dated exceptions and preference, in request order, and " +
            "nothing computed from them: what a caller that ranks meetings itself (the suggestions service) needs, " +
            `without the common time it would not use. ${groupErrors}`,
        },
      },
    )
    .get(
      "/heatmap",
      async ({ query, set }) => {
        const emails = groupFromQuery(query);
        const window = availability.windowOf(query);
        const step = availability.stepOf(query.step);
        return availability.groupHeatmap(emails, await availability.readGroup(deps, emails, caseIdOf(set)), window, step);
      },
      {
        query: HeatmapQuery,
        response: { 200: t.Union([AvailabilityHeatmap, DatedHeatmap]), ...problems },
        detail: {
          tags,
          summary: "How many of a group, and who, are free at each hour",
          description:
            "Per day, one count and one list of emails per cell (an hour by default, `step` 15 or 30 for finer): who is " +
            "free for all of it, and separately who can make it only with their if-needed time. Without `from`, per " +
            `weekday of the coming week in \`tz\`; with it, per date of the window. ${groupErrors}`,
        },
      },
    );
