import { AddressStatuses } from "@w2meet/contracts";
import { ProblemError, type ServiceClient } from "@w2meet/kit";
import { Value } from "@sinclair/typebox/value";

/**
 * The attendees who must not be mailed, in attendee order: those whose address the users service does
 * not call verified, or does not know. One call for the whole group, with the case id. The users service
 * unreachable, slow, broken or answering anything but the contract's 200 throws (503/502 problems: the
 * attempt is retried); no answer never means "mail everyone".
 */
export async function unverifiedAttendees(users: ServiceClient, attendees: readonly string[], caseId: string): Promise<string[]> {
  const query = new URLSearchParams({ users: attendees.join(",") });
  const answer = await users.get<unknown>(`/users/addresses?${query}`, caseId);
  if (answer.status !== 200) {
    throw new ProblemError("bad_gateway", `The users service answered ${answer.status} when asked which addresses are verified`);
  }
  // The kit's Elysia has registered the string formats (email) this check needs.
  if (!Value.Check(AddressStatuses, answer.body)) {
    throw new ProblemError("bad_gateway", "The users service answered with an unexpected body when asked which addresses are verified");
  }
  const verified = new Set(answer.body.users.filter((user) => user.email_verified === true).map((user) => user.email.toLowerCase()));
  return attendees.filter((email) => !verified.has(email));
}
