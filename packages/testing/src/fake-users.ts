import type { UserAvailability } from "@w2meet/contracts";
import { startFakeService } from "./fake-service.ts";

/**
 * A stand-in for the users service on a real local port: it answers the group route from fixed
 * people, records the case id of every call, and can be told to fail or to never answer.
 */
export function startFakeUsers(people: UserAvailability[]) {
  const byEmail = new Map(people.map((p) => [p.email, p]));
  return startFakeService({
    path: "/users/availability",
    record: (url) => ({ users: url.searchParams.get("users") }),
    answer(url) {
      const emails = (url.searchParams.get("users") ?? "").split(",");
      return Response.json({
        users: emails.flatMap((email) => byEmail.get(email) ?? []),
        missing: emails.filter((email) => !byEmail.has(email)),
      });
    },
  });
}
export type FakeUsers = ReturnType<typeof startFakeUsers>;
