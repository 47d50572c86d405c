import type { DatedSuggestion } from "@w2meet/contracts";
import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus } from "ical-generator";

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

const twoDigits = (value: number) => String(value).padStart(2, "0");

/** An hour of the day as `HH:MM`: 9.5 is 09:30, and the 24 that ends a day is 00:00. */
const clock = (hour: number) => {
  const minutes = Math.round(hour * 60) % (24 * 60);
  return `${twoDigits(Math.floor(minutes / 60))}:${twoDigits(minutes % 60)}`;
};

/** Minutes east of UTC as `UTC+01:00`, `UTC-03:30`. */
const utcOffset = (minutes: number) => `UTC${minutes < 0 ? "-" : "+"}${clock(Math.abs(minutes) / 60)}`;

/**
 * When a meeting is, for the text of its mail, in the zone it was placed in: "Monday, 23 November 2026,
 * 09:00–10:00 (Europe/Berlin, UTC+01:00)", or "(UTC)" in UTC. Read from the suggestion's date, weekday
 * and hours in that zone, its offset from the start's instant; written out by hand rather than with
 * toLocaleDateString, whose first call loads ICU's locale data (~8 MB of RSS).
 */
export function meetingTime(suggestion: DatedSuggestion, zone: string): string {
  const [year, month, day] = suggestion.date.split("-").map(Number) as [number, number, number];
  const [startHour, endHour] = suggestion.slot;
  const localStart = Date.UTC(year, month - 1, day) + startHour * HOUR_MS;
  const offset = Math.round((localStart - Date.parse(suggestion.start)) / MINUTE_MS);
  const weekday = suggestion.day.charAt(0).toUpperCase() + suggestion.day.slice(1);
  const where = zone === "UTC" && offset === 0 ? "UTC" : `${zone}, ${utcOffset(offset)}`;
  return `${weekday}, ${day} ${MONTHS[month - 1]} ${year}, ${clock(startHour)}–${clock(endHour)} (${where})`;
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
  /** The booked slot: the event lasts from its `start` to its `end`. */
  suggestion: DatedSuggestion;
  /** When the invitation was made (DTSTAMP); kept with the task so every copy is identical. */
  stampedAt: Date;
  organizer: { name: string; email: string };
  /** SEQUENCE: 0 for the first invitation, one more for each update or cancellation since. */
  sequence?: number;
  /** The booking is called off: METHOD:CANCEL and STATUS:CANCELLED instead of a request. */
  cancelled?: boolean;
};

/** The UID of a task's event: stable per task, so a resent invitation updates the same calendar entry. */
export const inviteUid = (taskId: string, organizerEmail: string) => `${taskId}@${organizerEmail.split("@")[1] ?? "w2meet"}`;

/**
 * The RFC 5545 invitation of a task: METHOD:REQUEST, one VEVENT with a stable UID, the organizer,
 * one ATTENDEE per user, and DTSTART/DTEND at the suggestion's instants, in UTC. An update is the same
 * with a higher SEQUENCE; a cancellation is METHOD:CANCEL with STATUS:CANCELLED (RFC 5546).
 */
export function buildInvite(facts: InviteFacts): string {
  const calendar = ical({
    method: facts.cancelled ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
    prodId: { company: "w2meet", product: "worker", language: "EN" },
  });
  calendar.createEvent({
    id: inviteUid(facts.taskId, facts.organizer.email),
    sequence: facts.sequence ?? 0,
    ...(facts.cancelled && { status: ICalEventStatus.CANCELLED }),
    stamp: facts.stampedAt,
    start: new Date(facts.suggestion.start),
    end: new Date(facts.suggestion.end),
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
