import type { Suggestion } from "@w2meet/contracts";
import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod } from "ical-generator";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
// Index of each weekday in Date#getUTCDay (Sunday 0).
const UTC_DAY = { sunday: 0, monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6 } as const;

/** The first instant strictly after `after` that falls on `day` at `hour`:00 UTC. */
export function nextOccurrence(after: Date, day: Suggestion["day"], hour: number): Date {
  const midnight = Date.UTC(after.getUTCFullYear(), after.getUTCMonth(), after.getUTCDate());
  const daysAhead = (UTC_DAY[day] - after.getUTCDay() + 7) % 7;
  const candidate = midnight + daysAhead * DAY_MS + hour * HOUR_MS;
  return new Date(candidate > after.getTime() ? candidate : candidate + 7 * DAY_MS);
}

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/**
 * When a meeting is, for the text of its mail: "Wednesday, 25 November 2026, 10:00–12:00 UTC". Written out
 * by hand rather than with toLocaleDateString, whose first call loads ICU's locale data (~8 MB of RSS).
 */
export function meetingTime(start: Date, hours: number): string {
  const end = new Date(start.getTime() + hours * HOUR_MS);
  const date = `${WEEKDAYS[start.getUTCDay()]}, ${start.getUTCDate()} ${MONTHS[start.getUTCMonth()]} ${start.getUTCFullYear()}`;
  return `${date}, ${start.toISOString().slice(11, 16)}–${end.toISOString().slice(11, 16)} UTC`;
}

/** A mailbox as `Name <address>` or a bare address, e.g. the MAIL_FROM setting. */
export function parseMailbox(mailbox: string): { name: string; email: string } {
  const match = /^\s*(.*?)\s*<([^<>]+)>\s*$/.exec(mailbox);
  if (!match) return { name: mailbox.trim(), email: mailbox.trim() };
  const email = match[2]!.trim();
  return { name: match[1]!.replace(/^"|"$/g, "") || email, email };
}

/** What an invitation is made from: the finished task and who sends it. */
export type InviteFacts = {
  taskId: string;
  title: string;
  attendees: readonly string[];
  suggestion: Suggestion;
  /** The meeting is placed at the first occurrence of the suggested weekday and hour after this. */
  createdAt: Date;
  /** When the invitation was made (DTSTAMP); kept with the task so every copy is identical. */
  stampedAt: Date;
  organizer: { name: string; email: string };
};

/** The UID of a task's event: stable per task, so a resent invitation updates the same calendar entry. */
export const inviteUid = (taskId: string, organizerEmail: string) => `${taskId}@${organizerEmail.split("@")[1] ?? "w2meet"}`;

/**
 * The RFC 5545 invitation of a task: METHOD:REQUEST, one VEVENT with a stable UID, the organizer,
 * one ATTENDEE per user, and DTSTART/DTEND in UTC.
 */
export function buildInvite(facts: InviteFacts): string {
  const [startHour, endHour] = facts.suggestion.slot;
  const start = nextOccurrence(facts.createdAt, facts.suggestion.day, startHour);
  const calendar = ical({
    method: ICalCalendarMethod.REQUEST,
    prodId: { company: "w2meet", product: "worker", language: "EN" },
  });
  calendar.createEvent({
    id: inviteUid(facts.taskId, facts.organizer.email),
    sequence: 0,
    stamp: facts.stampedAt,
    start,
    end: new Date(start.getTime() + (endHour - startHour) * HOUR_MS),
    summary: facts.title,
    description: `Planned by W2Meet for ${facts.attendees.length} attendees (task ${facts.taskId}).`,
    organizer: facts.organizer,
    attendees: facts.attendees.map((email) => ({
      email,
      role: ICalAttendeeRole.REQ,
      status: ICalAttendeeStatus.NEEDSACTION,
      rsvp: true,
    })),
  });
  return calendar.toString();
}
