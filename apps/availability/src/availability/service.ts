import type { AvailabilityHeatmap, CommonAvailability, GroupAvailability, Preference, UserAvailability } from "@w2meet/contracts";
import { ProblemError, notFound } from "@w2meet/kit";
import { relayProblem, type RelayingClient } from "@w2meet/kit/relay";
import { commonFreeHours, freeIntervals, heatmap, maskToWeek, weekToMask } from "@w2meet/schedule";

/** What the availability functions work with; made once in app.ts. */
export type AvailabilityDeps = { users: RelayingClient };

/** The users service's route answering for a whole group at once. */
const groupPath = (emails: readonly string[]) => `/users/availability?users=${emails.map(encodeURIComponent).join(",")}`;

/**
 * The week and preference of everyone in the group, in the order asked, from one call to the users
 * service. Unknown people are a 404 naming them in `missing`. The users service's own 503 (its database
 * is down) is passed on as it is, so the caller learns what really failed; any other answer but 200 is
 * a 502: the group was checked here, so a refusal is a fault between the services, not the caller's.
 */
export async function readGroup({ users }: AvailabilityDeps, emails: readonly string[], caseId: string): Promise<UserAvailability[]> {
  const answer = await users.get<GroupAvailability>(groupPath(emails), caseId);
  if (!answer.ok && answer.status === 503) throw relayProblem("users", answer);
  if (!answer.ok || answer.status !== 200) throw new ProblemError("bad_gateway", `The users service answered ${answer.status}`);
  const { missing } = answer.body;
  if (missing.length) throw notFound(`No user with email ${missing.join(", ")}`, { missing });
  return answer.body.users;
}

/**
 * The hours everyone in the group is free, as a week and as merged intervals, with each member's
 * preference; with `includeMembers`, each member's own week too (what a ranking caller needs).
 */
export function commonAvailability(emails: string[], members: UserAvailability[], includeMembers: boolean): CommonAvailability {
  const masks = [];
  const preferences: Record<string, Preference> = {};
  for (const member of members) {
    masks.push(weekToMask(member.availabilities));
    preferences[member.email] = member.preference;
  }
  const common = commonFreeHours(masks);
  const answer: CommonAvailability = {
    users: emails,
    common_availabilities: maskToWeek(common),
    intervals: freeIntervals(common),
    preferences,
  };
  if (includeMembers) answer.members = members;
  return answer;
}

/** How many members, and who, are free at each hour of the week. */
export function groupHeatmap(emails: string[], members: UserAvailability[]): AvailabilityHeatmap {
  const { slots, free } = heatmap(members.map((member) => ({ email: member.email, mask: weekToMask(member.availabilities) })));
  return { users: emails, slots, free };
}
