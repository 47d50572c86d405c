import {
  type AvailabilityHeatmap,
  type CommonAvailability,
  type DatedCommonAvailability,
  type DatedHeatmap,
  type Day,
  DAYS,
  type GroupAvailability,
  HEATMAP_STEPS,
  type Preference,
  type UserAvailability,
} from "@w2meet/contracts";
import { invalid, notFound, ProblemError } from "@w2meet/kit";
import { type RelayedAnswer, relayProblem, type RelayingClient } from "@w2meet/kit/relay";
import {
  type Calendar,
  commonDated,
  commonWeekly,
  heatmapDated,
  type HeatmapDay,
  heatmapWeekly,
  isoIn,
  QUARTER_MS,
  readWindow,
  type Window,
} from "@w2meet/schedule";

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
  refuseUnlessOk(answer);
  return everyoneIn(answer.body);
}

/** Throws what an answer of the users service other than 200 means here: its own 503 as it is, else a 502. */
function refuseUnlessOk<T>(answer: RelayedAnswer<T>): asserts answer is RelayedAnswer<T> & { ok: true } {
  if (!answer.ok && answer.status === 503) throw relayProblem("users", answer);
  if (!answer.ok || answer.status !== 200) throw new ProblemError("bad_gateway", `The users service answered ${answer.status}`);
}

/** The group's members, or a 404 naming those the users service does not know. */
function everyoneIn({ users, missing }: GroupAvailability): UserAvailability[] {
  if (missing.length) throw notFound(`No user with email ${missing.join(", ")}`, { missing });
  return users;
}

// The users service's group answer when everyone was found is exactly `{"users":[...],"missing":[]}`.
const FOUND_HEAD = '{"users":';
const FOUND_TAIL = ',"missing":[]}';

/**
 * The members of the group as `readGroup` finds them, as JSON text for an answer that passes them on: when
 * the users service found everyone, its list exactly as it sent it (neither parsed nor serialised again),
 * else what `readGroup` answers or refuses.
 */
export async function readGroupJson({ users }: AvailabilityDeps, emails: readonly string[], caseId: string): Promise<string> {
  const answer = await users.getText(groupPath(emails), caseId);
  refuseUnlessOk(answer);
  const text = answer.body;
  if (text.startsWith(FOUND_HEAD) && text.endsWith(FOUND_TAIL)) return text.slice(FOUND_HEAD.length, -FOUND_TAIL.length);
  let body: GroupAvailability;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ProblemError("bad_gateway", "The users service answered 200 with a body that is not JSON");
  }
  return JSON.stringify(everyoneIn(body));
}

/** The window of a query (`from`, `days`, `tz`), or a 400 naming what is wrong with it. */
export function windowOf(query: { from?: string; days?: number; tz?: string }): Window {
  const window = readWindow(query, Date.now());
  if (Array.isArray(window)) throw invalid(window, "The request query has invalid fields");
  return window;
}

/** The window's bounds as answered: the display zone and the instants it runs between. */
const boundsOf = (calendar: Calendar) => ({
  time_zone: calendar.zone,
  from: isoIn(calendar.zone, calendar.origin),
  to: isoIn(calendar.zone, calendar.origin + calendar.length * QUARTER_MS),
});

const preferencesOf = (members: UserAvailability[]): Record<string, Preference> =>
  Object.fromEntries(members.map((member) => [member.email, member.preference]));

/**
 * The time everyone in the group is free, with each member's preference; with `includeMembers`, each
 * member as the users service answered them (what a ranking caller needs). Without `from`, the weekday
 * form for the coming week in `tz`; with it, each date of the window and dated intervals.
 */
export function commonAvailability(
  emails: string[],
  members: UserAvailability[],
  includeMembers: boolean,
  window: Window,
): CommonAvailability | DatedCommonAvailability {
  const extra = includeMembers ? { members } : {};
  if (window.calendar) {
    const { dates, intervals } = commonDated(members, window.calendar);
    return { users: emails, ...boundsOf(window.calendar), dates, intervals, preferences: preferencesOf(members), ...extra };
  }
  const { week, intervals } = commonWeekly(members, window.zone, Date.now());
  return { users: emails, common_availabilities: week, intervals, preferences: preferencesOf(members), ...extra };
}

/** Heatmap cells may be a quarter, half or whole hour. */
export function stepOf(step: number | undefined): number {
  if (step === undefined) return 60;
  if (!(HEATMAP_STEPS as readonly number[]).includes(step)) throw invalid([{ path: "step", message: "Expected 15, 30 or 60" }]);
  return step;
}

/** How many members, and who, are free (or free only if needed) in each cell, per weekday or per date. */
export function groupHeatmap(
  emails: string[],
  members: UserAvailability[],
  window: Window,
  step: number,
): AvailabilityHeatmap | DatedHeatmap {
  if (window.calendar) {
    return { users: emails, ...boundsOf(window.calendar), step, dates: heatmapDated(members, window.calendar, step) };
  }
  const days = heatmapWeekly(members, window.zone, Date.now(), step);
  const per = <K extends keyof HeatmapDay>(key: K) =>
    Object.fromEntries(DAYS.map((day) => [day, days[day][key]])) as Record<Day, NonNullable<HeatmapDay[K]>>;
  const tiers = days.monday.if_needed ? { if_needed_slots: per("if_needed_slots"), if_needed: per("if_needed") } : {};
  return { users: emails, slots: per("slots"), free: per("free"), ...tiers };
}
