import { describe, expect, test } from "bun:test";
import { attendeesOf, eventsOf, methodOf } from "@w2meet/testing";
import { buildInvite, inviteUid, meetingTime, nextOccurrence, parseMailbox, type InviteFacts } from "./ics.ts";

// 2025-01-08 was a Wednesday.
const wednesdayAt = (hour: number, minute = 0) => new Date(Date.UTC(2025, 0, 8, hour, minute));

describe("meetingTime", () => {
  test("says the weekday, date and hours in UTC, as the mail's text does", () => {
    expect(meetingTime(wednesdayAt(10), 2)).toBe("Wednesday, 8 January 2025, 10:00–12:00 UTC");
    expect(meetingTime(new Date("2026-11-29T23:00:00Z"), 1)).toBe("Sunday, 29 November 2026, 23:00–00:00 UTC");
    // The same text as the locale formatting it replaces, on every day of a year.
    for (let day = 0; day < 366; day++) {
      const start = new Date(Date.UTC(2028, 0, 1 + day, day % 24));
      const expected = start.toLocaleDateString("en-GB", {
        weekday: "long",
        day: "numeric",
        month: "long",
        year: "numeric",
        timeZone: "UTC",
      });
      expect(meetingTime(start, 1).startsWith(`${expected}, `)).toBe(true);
    }
  });
});

describe("nextOccurrence", () => {
  test("finds a later hour on the same weekday in the same week", () => {
    expect(nextOccurrence(wednesdayAt(8, 30), "wednesday", 10).toISOString()).toBe("2025-01-08T10:00:00.000Z");
  });

  test("moves to next week when the hour of the same weekday has passed", () => {
    expect(nextOccurrence(wednesdayAt(10, 1), "wednesday", 10).toISOString()).toBe("2025-01-15T10:00:00.000Z");
  });

  test("is strictly after the moment given, never at it", () => {
    expect(nextOccurrence(wednesdayAt(10), "wednesday", 10).toISOString()).toBe("2025-01-15T10:00:00.000Z");
  });

  test("wraps from a late weekday to an early one in the next week", () => {
    expect(nextOccurrence(new Date("2025-01-11T12:00:00Z"), "monday", 0).toISOString()).toBe("2025-01-13T00:00:00.000Z");
    expect(nextOccurrence(new Date("2025-01-12T23:59:59Z"), "sunday", 23).toISOString()).toBe("2025-01-19T23:00:00.000Z");
  });

  test("works in UTC whatever the time zone of the process", () => {
    expect(nextOccurrence(new Date("2025-03-30T00:30:00Z"), "sunday", 2).toISOString()).toBe("2025-03-30T02:00:00.000Z");
  });
});

describe("parseMailbox", () => {
  test("reads a name and an address", () => {
    expect(parseMailbox('"W2Meet" <invites@w2meet.example>')).toEqual({ name: "W2Meet", email: "invites@w2meet.example" });
  });

  test("uses the address as the name of a bare address", () => {
    expect(parseMailbox("invites@w2meet.example")).toEqual({ name: "invites@w2meet.example", email: "invites@w2meet.example" });
  });
});

describe("buildInvite", () => {
  const facts: InviteFacts = {
    taskId: "0191e7a4-0000-7000-8000-000000000001",
    title: "Design review",
    attendees: ["ada@example.com", "grace@example.com", "alan@example.com"],
    suggestion: { day: "friday", slot: [14, 16], preference: "first", attendees: [], missing: [] },
    createdAt: wednesdayAt(9),
    stampedAt: wednesdayAt(9, 5),
    organizer: { name: "W2Meet", email: "invites@w2meet.example" },
  };

  test("is an RFC 5545 request with one event at the next occurrence of the suggested weekday and hour, in UTC", () => {
    const ics = buildInvite(facts);
    expect(ics).toContain("METHOD:REQUEST");
    expect(ics).toContain("DTSTART:20250110T140000Z");
    expect(ics).toContain("DTEND:20250110T160000Z");
    expect(methodOf(ics)).toBe("REQUEST");
    const events = eventsOf(ics);
    expect(events).toHaveLength(1);
    const event = events[0]!;
    expect(event.uid).toBe(inviteUid(facts.taskId, "invites@w2meet.example"));
    expect(event.start.toISOString()).toBe("2025-01-10T14:00:00.000Z");
    expect(event.end?.toISOString()).toBe("2025-01-10T16:00:00.000Z");
    expect(String(event.summary)).toBe("Design review");
    expect(JSON.stringify(event.organizer)).toContain("mailto:invites@w2meet.example");
  });

  test("names every user once as an attendee", () => {
    const ics = buildInvite(facts);
    expect(attendeesOf(eventsOf(ics)[0]!)).toEqual([...facts.attendees]);
  });

  test("is the same text every time it is made from the same facts", () => {
    const make = () => buildInvite(facts);
    expect(make()).toBe(make());
  });
});
