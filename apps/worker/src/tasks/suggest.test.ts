import { describe, expect, test } from "bun:test";
import { windowFrom, type BookingRules } from "./suggest.ts";

const rules = (overrides: Partial<BookingRules>): BookingRules => ({
  users: ["ada@example.com", "grace@example.com"],
  required: null,
  min_attendees: null,
  preference: null,
  duration: 60,
  window_from: null,
  window_days: null,
  time_zone: null,
  book_at: null,
  created_at: new Date("2026-11-20T09:30:00Z"),
  ...overrides,
});
const at = (iso: string) => Date.parse(iso);

describe("windowFrom: where a re-planned booking may go", () => {
  test("is the task's own window while it has not begun", () => {
    const task = rules({ window_from: "2026-12-01", window_days: 5, time_zone: "Europe/Berlin" });
    expect(windowFrom(task, at("2026-11-21T12:00:00Z"))).toEqual({ from: "2026-12-01", days: 5 });
  });

  test("starts now once the window has begun, keeping its last day", () => {
    // 1–5 December in Berlin; on 3 December at 13:00 Berlin time, 3 to 5 December remain.
    const task = rules({ window_from: "2026-12-01", window_days: 5, time_zone: "Europe/Berlin" });
    expect(windowFrom(task, at("2026-12-03T12:00:00Z"))).toEqual({ from: "2026-12-03T12:00:00.000Z", days: 3 });
  });

  test("counts the remaining days in the task's zone, where the date may differ from UTC's", () => {
    // 23:30 UTC on 3 December is already 4 December in Kolkata: 4 and 5 December remain.
    const task = rules({ window_from: "2026-12-01", window_days: 5, time_zone: "Asia/Kolkata" });
    expect(windowFrom(task, at("2026-12-03T23:30:00Z"))).toEqual({ from: "2026-12-03T23:30:00.000Z", days: 2 });
  });

  test("is null once the window's last day is over", () => {
    const task = rules({ window_from: "2026-12-01", window_days: 5 });
    expect(windowFrom(task, at("2026-12-06T00:00:00Z"))).toBeNull();
  });

  test("for a task without a window of its own: from when it was made over eight days", () => {
    expect(windowFrom(rules({}), at("2026-11-22T08:00:00Z"))).toEqual({ from: "2026-11-22T08:00:00.000Z", days: 6 });
    expect(windowFrom(rules({}), at("2026-11-28T08:00:00Z"))).toBeNull();
  });
});
