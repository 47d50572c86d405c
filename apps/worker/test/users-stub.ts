import type { AddressStatuses } from "@w2meet/contracts";
import { startFakeService } from "@w2meet/testing";

/**
 * A real HTTP server that answers `GET /users/addresses` like the users service, for tests of the worker
 * alone: every address it is asked about is a verified user's, except those `unverify` and `forget`
 * name. Every call's `users` and case id are recorded; `failWith` breaks it, `reset` mends it. It listens
 * on `port` when given (to come up where a worker was told the users service is).
 */
export function startUsersStub(options: { port?: number } = {}) {
  const unverified = new Set<string>();
  const unknown = new Set<string>();
  const answer = (url: URL) => {
    const emails = (url.searchParams.get("users") ?? "").split(",").filter(Boolean);
    const statuses: AddressStatuses = {
      users: emails.filter((email) => !unknown.has(email)).map((email) => ({ email, email_verified: !unverified.has(email) })),
      missing: emails.filter((email) => unknown.has(email)),
    };
    return Response.json(statuses);
  };
  const fake = startFakeService({
    path: "/users/addresses",
    answer,
    record: (url) => ({ users: url.searchParams.get("users") }),
    port: options.port,
  });
  return {
    url: fake.url,
    calls: fake.calls,
    /** These addresses are registered but not verified from now on. */
    unverify: (...emails: string[]) => {
      for (const email of emails) unverified.add(email);
    },
    /** These addresses are not registered at all from now on. */
    forget: (...emails: string[]) => {
      for (const email of emails) unknown.add(email);
    },
    failWith: fake.failWith,
    /** Every address verified again, and answering again after `failWith`. */
    reset() {
      unverified.clear();
      unknown.clear();
      fake.answerWith(answer);
    },
    stop: fake.stop,
  };
}
export type UsersStub = ReturnType<typeof startUsersStub>;
