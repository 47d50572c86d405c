import type { CommonAvailability, Preference, UserAvailability } from "@w2meet/contracts";
import { commonFreeHours, freeIntervals, maskToWeek, normalizeWeek, weekToMask, type Week } from "@w2meet/schedule";

/** A person the fake availability service knows. */
export const person = (email: string, week: Partial<Week>, preference: Preference = "first"): UserAvailability => ({
  email,
  availabilities: normalizeWeek(week),
  preference,
});

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
  const calls: { caseId: string | null; users: string | null; include: string | null }[] = [];
  let failure: { status: number; body: unknown } | undefined;
  let hanging = false;
  const held: (() => void)[] = [];
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch(request) {
      const url = new URL(request.url);
      if (url.pathname === "/health/live") return Response.json({ status: "alive" });
      if (url.pathname !== "/availability/common_availabilities") return new Response(null, { status: 404 });
      const emails = (url.searchParams.get("users") ?? "").split(",");
      calls.push({ caseId: request.headers.get("case-id"), users: url.searchParams.get("users"), include: url.searchParams.get("include") });
      if (hanging) return new Promise<Response>((resolve) => held.push(() => resolve(new Response(null, { status: 204 }))));
      if (failure) return Response.json(failure.body, { status: failure.status });
      const missing = emails.filter((email) => !byEmail.has(email));
      if (missing.length) return Response.json(problem(404, `No user with email ${missing.join(", ")}`, { missing }), { status: 404 });
      const members = emails.map((email) => byEmail.get(email)!);
      const common = commonFreeHours(members.map((m) => weekToMask(m.availabilities)));
      const answer: CommonAvailability = {
        users: emails,
        common_availabilities: maskToWeek(common),
        intervals: freeIntervals(common),
        preferences: Object.fromEntries(members.map((m) => [m.email, m.preference])),
        ...(url.searchParams.get("include") === "members" && { members }),
      };
      return Response.json(answer);
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    calls,
    /** Answer every call with this status and body from now on. */
    failWith(status: number, body: unknown = problem(status, `failing with ${status} on purpose`)) {
      failure = { status, body };
    },
    /** Hold every call unanswered until `stop`. */
    hang() {
      hanging = true;
    },
    stop() {
      for (const release of held) release();
      return server.stop(true);
    },
  };
}
export type FakeAvailability = ReturnType<typeof startFakeAvailability>;
