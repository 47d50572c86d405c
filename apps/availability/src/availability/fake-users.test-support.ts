import type { UserAvailability } from "@w2meet/contracts";
import { normalizeWeek, type Week } from "@w2meet/schedule";

/** A person the fake users service knows. */
export const person = (email: string, week: Partial<Week>, preference: UserAvailability["preference"] = "first"): UserAvailability => ({
  email,
  availabilities: normalizeWeek(week),
  preference,
});

/**
 * A stand-in for the users service on a real local port: it answers the group route from fixed
 * people, records the case id of every call, and can be told to fail or to never answer.
 */
export function startFakeUsers(people: UserAvailability[]) {
  const byEmail = new Map(people.map((p) => [p.email, p]));
  const calls: { caseId: string | null; users: string | null }[] = [];
  let failure: { status: number; body: unknown } | undefined;
  let hanging = false;
  const held: (() => void)[] = [];
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch(request) {
      const url = new URL(request.url);
      if (url.pathname === "/health/live") return Response.json({ status: "alive" });
      if (url.pathname !== "/users/availability") return new Response(null, { status: 404 });
      calls.push({ caseId: request.headers.get("case-id"), users: url.searchParams.get("users") });
      if (hanging) return new Promise<Response>((resolve) => held.push(() => resolve(new Response(null, { status: 204 }))));
      if (failure) return Response.json(failure.body, { status: failure.status });
      const emails = (url.searchParams.get("users") ?? "").split(",");
      return Response.json({
        users: emails.flatMap((email) => byEmail.get(email) ?? []),
        missing: emails.filter((email) => !byEmail.has(email)),
      });
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    calls,
    /** Answer every group call with this status and body from now on. */
    failWith(status: number, body: unknown = { status, detail: "failing on purpose" }) {
      failure = { status, body };
    },
    /** Hold every group call unanswered until `stop`. */
    hang() {
      hanging = true;
    },
    stop() {
      for (const release of held) release();
      return server.stop(true);
    },
  };
}
export type FakeUsers = ReturnType<typeof startFakeUsers>;
