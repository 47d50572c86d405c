import type { GroupMembers, UserAvailability } from "@w2meet/contracts";
import { startFakeService } from "./fake-service.ts";

const problem = (status: number, detail: string, extras: object = {}) => ({
  type: "urn:w2meet:problem:test",
  title: "Failing on purpose",
  status,
  detail,
  case_id: "fake",
  ...extras,
});

/**
 * A stand-in for the availability service on a real local port: it answers the members of groups of
 * fixed people (`GET /availability/members`, a 404 problem naming unknown ones), records every call, and
 * can be told to fail or to never answer.
 */
export function startFakeAvailability(people: UserAvailability[]) {
  const byEmail = new Map(people.map((p) => [p.email, p]));
  return startFakeService({
    path: "/availability/members",
    record: (url) => ({ users: url.searchParams.get("users") }),
    failure: (status) => problem(status, `failing with ${status} on purpose`),
    answer(url) {
      const emails = (url.searchParams.get("users") ?? "").split(",");
      const missing = emails.filter((email) => !byEmail.has(email));
      if (missing.length) return Response.json(problem(404, `No user with email ${missing.join(", ")}`, { missing }), { status: 404 });
      const answer: GroupMembers = { users: emails, members: emails.map((email) => byEmail.get(email)!) };
      return Response.json(answer);
    },
  });
}
export type FakeAvailability = ReturnType<typeof startFakeAvailability>;
