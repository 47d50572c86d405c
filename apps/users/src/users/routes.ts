import {
  AddressStatuses,
  CreateUser,
  GroupAvailability,
  GroupQuery,
  ListUsersQuery,
  Problem,
  ReplaceUser,
  User,
  UserAvailability,
  UserPage,
  UserParams,
} from "@w2meet/contracts";
import { caseIdOf, forbidden, groupFromQuery, jsonResponse, NEEDS_TOKEN, notFound, principalOf, requirePrincipal } from "@w2meet/kit";
import { Type } from "@sinclair/typebox";
import { Elysia } from "elysia";
import * as users from "./service.ts";

const unknownUser = (email: string) => notFound(`No user with email ${email.toLowerCase()}`);
const tags = ["users"];
const WEEKS =
  "Weeks take whole hours and `HH:MM-HH:MM` ranges on the 15-minute grid, in the person's `time_zone` (UTC when absent, " +
  "kept in the zone database's spelling); a range that does not end after it starts is a 400 naming it. If-needed hours " +
  "that are also in `availabilities` are kept as available only.";
const PROTECTED =
  "A protected profile (one with a password) needs a bearer token for its own email: 401 without one, 403 with another's. " +
  "An open profile may be changed by anyone.";

/** The users routes: registration, profile and the availability reads of the scheduling services. */
export const usersRoutes = (deps: users.UsersDeps) =>
  new Elysia({ name: "users.routes", prefix: "/users" })
    .post(
      "/",
      async ({ body, set }) => {
        set.status = 201;
        return users.createUser(deps, body);
      },
      {
        body: CreateUser,
        response: { 201: User, 400: Problem, 409: Problem },
        detail: {
          tags,
          summary: "Register a person",
          description:
            "Emails are unique case-insensitively; a taken one is 409. With a `password` the profile is protected: only a token " +
            "for its email (POST /auth/token) may change or delete it. The password is kept as an Argon2id hash and never shown. " +
            WEEKS,
        },
      },
    )
    .get(
      "/",
      ({ query, request }) => {
        if (requirePrincipal(request, "Listing users").role !== "admin") throw forbidden("Listing users needs a token with the admin role");
        return users.listUsers(deps, { limit: query.limit ?? 20, cursor: query.cursor });
      },
      {
        query: ListUsersQuery,
        response: { 200: UserPage, 400: Problem, 401: Problem, 403: Problem },
        detail: {
          tags,
          summary: "List users, ordered by email, a page at a time (admins only)",
          description: "Needs a bearer token with the admin role: 401 without a token, 403 with another.",
          security: NEEDS_TOKEN,
        },
      },
    )
    .get("/availability", async ({ query, set }) => jsonResponse(await users.readGroupAvailability(deps, groupFromQuery(query)), set), {
      query: GroupQuery,
      response: { 200: GroupAvailability, 400: Problem },
      detail: {
        tags,
        summary: "Availability of many users in one call",
        description:
          "Found users in the order asked, each with their weeks, time zone and dated exceptions from yesterday on; unknown emails " +
          "listed in `missing`.",
      },
    })
    .get("/addresses", async ({ query }) => users.readAddressStatuses(deps, groupFromQuery(query)), {
      query: GroupQuery,
      response: { 200: AddressStatuses, 400: Problem },
      detail: {
        tags,
        summary: "Whether a group's addresses are verified",
        description: "What the worker asks before mailing invitations. Found users in the order asked; unknown emails in `missing`.",
      },
    })
    .get(
      "/:email",
      async ({ params }) => {
        const user = await users.getUser(deps, params.email);
        if (!user) throw unknownUser(params.email);
        return user;
      },
      {
        params: UserParams,
        response: { 200: User, 400: Problem, 404: Problem },
        detail: { tags, summary: "Get a user" },
      },
    )
    .put(
      "/:email",
      async ({ params, body, request, set }) => {
        const user = await users.replaceUser(deps, params.email, body, { principal: principalOf(request), caseId: caseIdOf(set) });
        if (!user) throw unknownUser(params.email);
        return user;
      },
      {
        params: UserParams,
        body: ReplaceUser,
        response: { 200: User, 400: Problem, 401: Problem, 403: Problem, 404: Problem },
        detail: {
          tags,
          summary: "Replace a user's name, weeks, time zone, preference and password",
          description:
            `${PROTECTED} \`password\` sets a new one (on an open profile only once its email is verified, else 403), ` +
            `\`null\` removes it, and leaving it out keeps it; so do \`if_needed\` and \`time_zone\`. ${WEEKS}`,
          security: NEEDS_TOKEN,
        },
      },
    )
    .delete(
      "/:email",
      async ({ params, request, set }) => {
        if (!(await users.deleteUser(deps, params.email, { principal: principalOf(request), caseId: caseIdOf(set) }))) {
          throw unknownUser(params.email);
        }
        return new Response(null, { status: 204 });
      },
      {
        params: UserParams,
        response: { 204: Type.Null({ description: "Deleted" }), 400: Problem, 401: Problem, 403: Problem, 404: Problem },
        detail: { tags, summary: "Delete a user", description: PROTECTED, security: NEEDS_TOKEN },
      },
    )
    .get(
      "/:email/availability",
      async ({ params, set }) => {
        const found = await users.readAvailability(deps, params.email);
        if (!found) throw unknownUser(params.email);
        return jsonResponse(found.json, set, { "x-cache": found.hit ? "HIT" : "MISS" });
      },
      {
        params: UserParams,
        response: { 200: UserAvailability, 400: Problem, 404: Problem },
        detail: {
          tags,
          summary: "A user's weeks, time zone, dated exceptions and preference (cached)",
          description: "Served from Redis when cached (`X-Cache: HIT`), otherwise from Postgres (`MISS`).",
        },
      },
    );
