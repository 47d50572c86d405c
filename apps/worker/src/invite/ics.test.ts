import { describe, expect, test } from "bun:test";
import { attendeesOf, eventsOf, methodOf } from "@w2meet/testing";
import { datedSuggestion } from "../../test/suggestions-stub.ts";
import { buildInvite, inviteUid, meetingTime, parseMailbox, type InviteFacts } from "./ics.ts";

describe("meetingTime", () => {
  test("says the weekday, date and hours in the task's zone, with the offset there", () => {
    expect(meetingTime(datedSuggestion("2026-11-23T09:00:00+01:00", 60, []), "Europe/Berlin")).toBe(
      "Monday, 23 November 2026, 09:00–10:00 (Europe/Berlin, UTC+01:00)",
    );
    expect(meetingTime(datedSuggestion("2026-07-06T09:00:00+02:00", 60, []), "Europe/Berlin")).toBe(
      "Monday, 6 July 2026, 09:00–10:00 (Europe/Berlin, UTC+02:00)",
    );
  });

  test("shows the minutes of quarter-hour times and offsets", () => {
    expect(meetingTime(datedSuggestion("2026-11-23T09:30:00+05:30", 45, []), "Asia/Kolkata")).toBe(
      "Monday, 23 November 2026, 09:30–10:15 (Asia/Kolkata, UTC+05:30)",
    );
    expect(meetingTime(datedSuggestion("2026-11-22T14:15:00-03:30", 15, []), "America/St_Johns")).toBe(
      "Sunday, 22 November 2026, 14:15–14:30 (America/St_Johns, UTC-03:30)",
    );
    expect(meetingTime(datedSuggestion("2026-11-23T12:00:00+05:45", 90, []), "Asia/Kathmandu")).toBe(
      "Monday, 23 November 2026, 12:00–13:30 (Asia/Kathmandu, UTC+05:45)",
    );
  });

  test("says just UTC in UTC, and a meeting ending at midnight ends at 00:00", () => {
    expect(meetingTime(datedSuggestion("2026-11-29T23:00:00Z", 60, []), "UTC")).toBe("Sunday, 29 November 2026, 23:00–00:00 (UTC)");
    expect(meetingTime(datedSuggestion("2026-11-29T10:00:00Z", 120, []), "Europe/London")).toBe(
      "Sunday, 29 November 2026, 10:00–12:00 (Europe/London, UTC+00:00)",
    );
  });

  test("writes the date as the locale formatting it replaces would, on every day of a year", () => {
    for (let day = 0; day < 366; day++) {
      const start = new Date(Date.UTC(2028, 0, 1 + day, day % 24));
      const expected = start.toLocaleDateString("en-GB", {
        weekday: "long",
        day: "numeric",
        month: "long",
        year: "numeric",
        timeZone: "UTC",
      });
      const suggestion = datedSuggestion(start.toISOString().replace(".000Z", "Z"), 15, []);
      expect(meetingTime(suggestion, "UTC").startsWith(`${expected}, `)).toBe(true);
    }
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
    suggestion: datedSuggestion("2025-01-10T15:00:00+01:00", 120, []),
    stampedAt: new Date("2025-01-08T09:05:00Z"),
    organizer: { name: "W2Meet", email: "invites@w2meet.example" },
  };

  test("is an RFC 5545 request with one event at the suggestion's instants, in UTC", () => {
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

  test("lasts as long as the suggestion, to the minute", () => {
    const ics = buildInvite({ ...facts, suggestion: datedSuggestion("2026-11-23T09:00:00+01:00", 45, []) });
    expect(ics).toContain("DTSTART:20261123T080000Z");
    expect(ics).toContain("DTEND:20261123T084500Z");
  });

  test("is the same text every time it is made from the same facts", () => {
    const make = () => buildInvite(facts);
    expect(make()).toBe(make());
  });

  test("starts at SEQUENCE 0, and an update keeps the UID with the sequence it is given and the new instants", () => {
    const first = eventsOf(buildInvite(facts))[0]!;
    expect(buildInvite(facts)).toContain("SEQUENCE:0");
    const moved = datedSuggestion("2025-01-13T10:00:00+01:00", 120, []);
    const update = buildInvite({ ...facts, suggestion: moved, sequence: 1, stampedAt: new Date("2025-01-09T12:00:00Z") });
    expect(methodOf(update)).toBe("REQUEST");
    expect(update).toContain("SEQUENCE:1");
    const event = eventsOf(update)[0]!;
    expect(event.uid).toBe(first.uid);
    expect(event.start.toISOString()).toBe("2025-01-13T09:00:00.000Z");
    expect(update).not.toContain("STATUS:CANCELLED");
  });

  test("a cancellation is METHOD:CANCEL with STATUS:CANCELLED, the same UID and the next sequence", () => {
    const cancel = buildInvite({ ...facts, sequence: 2, cancelled: true });
    expect(methodOf(cancel)).toBe("CANCEL");
    expect(cancel).toContain("METHOD:CANCEL");
    expect(cancel).toContain("STATUS:CANCELLED");
    expect(cancel).toContain("SEQUENCE:2");
    const event = eventsOf(cancel)[0]!;
    expect(event.uid).toBe(inviteUid(facts.taskId, "invites@w2meet.example"));
    expect(attendeesOf(event)).toEqual([...facts.attendees]);
  });
});
