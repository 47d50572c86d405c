import { AvailabilityHeatmap, CommonAvailability, CommonAvailabilityQuery, GroupQuery, Problem } from "@w2meet/contracts";
import { caseIdOf, groupFromQuery } from "@w2meet/kit";
import { Elysia } from "elysia";
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
        const members = await availability.readGroup(deps, emails, caseIdOf(set));
        return availability.commonAvailability(emails, members, query.include === "members");
      },
      {
        query: CommonAvailabilityQuery,
        response: { 200: CommonAvailability, ...problems },
        detail: {
          tags,
          summary: "Hours a group is all free",
          description: `The common free hours as a week and as merged intervals (Monday 9, 10, 11 → 9–12), with each member's preference. ${groupErrors}`,
        },
      },
    )
    .get(
      "/heatmap",
      async ({ query, set }) => {
        const emails = groupFromQuery(query);
        return availability.groupHeatmap(emails, await availability.readGroup(deps, emails, caseIdOf(set)));
      },
      {
        query: GroupQuery,
        response: { 200: AvailabilityHeatmap, ...problems },
        detail: {
          tags,
          summary: "How many of a group, and who, are free at each hour",
          description: `Per day, 24 counts and 24 lists of emails. ${groupErrors}`,
        },
      },
    );
