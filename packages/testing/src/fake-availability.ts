import type { CommonAvailability, UserAvailability } from "@w2meet/contracts";
import { startFakeService } from "./fake-service.ts";
import { commonWeekly } from "@w2meet/schedule";

const problem = (status: number, detail: string, extras: object = {}) => ({
  type: "urn:w2meet:problem:test",
  title: "Failing on purpose",
  status,
  detail,
  case_id: "fake",
  ...extras,
});

/**
 * A stand-in for the availability service on a real local port: it answers the common availability
 * of fixed people (a 404 problem naming unknown ones), records every call, and can be told to fail
 * or to never answer.
 */
export function startFakeAvailability(people: UserAvailability[]) {
  const byEmail = new Map(people.map((p) => [p.email, p]));
  return startFakeService({
    path: "/availability/common_availabilities",
    record: (url) => ({ users: url.searchParams.get("users"), include: url.searchParams.get("include") }),
    failure: (status) => problem(status, `failing with ${status} on purpose`),
    answer(url) {
      const emails = (url.searchParams.get("users") ?? "").split(",");
      const missing = emails.filter((email) => !byEmail.has(email));
      if (missing.length) return Response.json(problem(404, `No user with email ${missing.join(", ")}`, { missing }), { status: 404 });
      const members = emails.map((email) => byEmail.get(email)!);
      const { week, intervals } = commonWeekly(members, "UTC", Date.now());
      const answer: CommonAvailability = {
        users: emails,
        common_availabilities: week,
        intervals,
        preferences: Object.fromEntries(members.map((m) => [m.email, m.preference])),
        ...(url.searchParams.get("include") === "members" && { members }),
      };
      return Response.json(answer);
    },
  });
}
export type FakeAvailability = ReturnType<typeof startFakeAvailability>;
