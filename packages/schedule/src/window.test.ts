import { describe, expect, test } from "bun:test";
import { calendarOf, dayNumber, readWindow, type Window } from "./index.ts";

const NOW = Date.parse("2026-11-20T12:00:00Z");

/** The window of a query that must be valid. */
function windowOf(query: { from?: string; days?: number; tz?: string }, now = NOW): Window {
  const window = readWindow(query, now);
  if (Array.isArray(window)) throw new Error(`unexpected errors ${JSON.stringify(window)}`);
  return window;
}

const origin = (query: { from: string; days?: number; tz?: string }) => new Date(windowOf(query).calendar!.origin).toISOString();

describe("readWindow", () => {
  test("without from: the weekday form in the zone's own spelling, UTC by default", () => {
    expect(windowOf({})).toEqual({ zone: "UTC" });
    expect(windowOf({ tz: "europe/berlin" })).toEqual({ zone: "Europe/Berlin" });
  });

  test("a date starts at its midnight in tz and covers `days` dates, 7 by default", () => {
    const { calendar } = windowOf({ from: "2026-11-23", tz: "Europe/Berlin" });
    expect(new Date(calendar!.origin).toISOString()).toBe("2026-11-22T23:00:00.000Z");
    expect(calendar!.length).toBe(7 * 96);
    expect(calendar!.days.map((d) => [d.date, d.day])).toEqual([
      ["2026-11-23", "monday"],
      ["2026-11-24", "tuesday"],
      ["2026-11-25", "wednesday"],
      ["2026-11-26", "thursday"],
      ["2026-11-27", "friday"],
      ["2026-11-28", "saturday"],
      ["2026-11-29", "sunday"],
    ]);
    expect(windowOf({ from: "2026-11-23", days: 2, tz: "Asia/Kathmandu" }).calendar!.days.map((d) => d.date)).toEqual([
      "2026-11-23",
      "2026-11-24",
    ]);
  });

  test("an instant with Z or an offset starts there, rounded up to the quarter hour, on its date in tz", () => {
    expect(origin({ from: "2026-11-23T14:00:00Z" })).toBe("2026-11-23T14:00:00.000Z");
    expect(origin({ from: "2026-11-23T14:05:30Z" })).toBe("2026-11-23T14:15:00.000Z");
    expect(origin({ from: "2026-11-23T09:00:00+05:30", tz: "Europe/Berlin" })).toBe("2026-11-23T03:30:00.000Z");
    const { calendar } = windowOf({ from: "2026-11-23T23:30:00Z", days: 1, tz: "Asia/Kolkata" });
    expect(calendar!.days.map((d) => d.date)).toEqual(["2026-11-24"]);
    expect(calendar!.length).toBe(96 - 20);
  });

  test("a date-time without offset is a wall-clock time in tz; one clocks skip moves on by the gap, one they repeat is the first", () => {
    expect(origin({ from: "2026-11-23T09:00", tz: "Europe/Berlin" })).toBe("2026-11-23T08:00:00.000Z");
    expect(origin({ from: "2026-11-23T09:00:00", tz: "America/St_Johns" })).toBe("2026-11-23T12:30:00.000Z");
    expect(origin({ from: "2026-03-29T02:30", tz: "Europe/Berlin" })).toBe("2026-03-29T01:30:00.000Z");
    expect(origin({ from: "2026-10-25T02:30", tz: "Europe/Berlin" })).toBe("2026-10-25T00:30:00.000Z");
  });

  test("a from that is neither a date nor a date-time is an error on `from`", () => {
    for (const from of ["2026-02-30", "2026-13-01", "tomorrow", "2026-11-23T25:00", "2026-11-23T10:61", "23/11/2026", ""]) {
      expect(readWindow({ from }, NOW)).toEqual([{ path: "from", message: expect.any(String) }]);
    }
  });

  test("an unknown zone is an error on `tz`, whatever `from` says", () => {
    for (const tz of ["Mars/Base", "+01:00", "CET+1"]) {
      expect(readWindow({ tz, from: "2026-11-23" }, NOW)).toEqual([{ path: "tz", message: expect.any(String) }]);
    }
  });

  test("a start more than a year back or two years ahead is an error on `from`", () => {
    expect(readWindow({ from: "2025-11-18" }, NOW)).toEqual([{ path: "from", message: expect.any(String) }]);
    expect(readWindow({ from: "2028-11-22" }, NOW)).toEqual([{ path: "from", message: expect.any(String) }]);
    expect(Array.isArray(readWindow({ from: "2025-11-20" }, NOW))).toBe(false);
    expect(Array.isArray(readWindow({ from: "2028-11-21" }, NOW))).toBe(false);
  });
});

describe("calendarOf", () => {
  const quarters = (zone: string, date: string) => calendarOf(zone, dayNumber(date), 1).length;

  test("a day clocks go forward on is shorter, one they go back on longer", () => {
    expect(quarters("Europe/Berlin", "2026-03-29")).toBe(92);
    expect(quarters("Europe/Berlin", "2026-10-25")).toBe(100);
    expect(quarters("Europe/Berlin", "2026-10-26")).toBe(96);
    expect(quarters("America/New_York", "2026-03-08")).toBe(92);
    expect(quarters("Australia/Lord_Howe", "2026-10-04")).toBe(94);
    expect(quarters("Australia/Lord_Howe", "2026-04-05")).toBe(98);
  });

  test("cuts a window into its dates at the zone's midnights", () => {
    const calendar = calendarOf("Europe/Berlin", dayNumber("2026-03-28"), 3);
    expect(calendar.days.map((d) => [d.date, d.start, d.end])).toEqual([
      ["2026-03-28", 0, 96],
      ["2026-03-29", 96, 188],
      ["2026-03-30", 188, 284],
    ]);
  });

  test("starts no earlier than notBefore, rounded up to the quarter hour", () => {
    const calendar = calendarOf("UTC", dayNumber("2026-11-23"), 2, Date.parse("2026-11-23T10:01:00Z"));
    expect(new Date(calendar.origin).toISOString()).toBe("2026-11-23T10:15:00.000Z");
    expect(calendar.days.map((d) => [d.start, d.end])).toEqual([
      [0, 55],
      [55, 151],
    ]);
  });
});
