import type { Task } from "@w2meet/contracts";
import { bodyOf, attendeesOf, eventsOf, methodOf, waitFor, type MailCatcher, type RunningService } from "@w2meet/testing";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { WorkerProcess } from "../apps/worker/test/worker-process.ts";
import { startSystem, type System } from "./system.ts";

// The whole system but the gateway, as real processes (see system.ts). The organizer logs in with a
// password; every attendee proves their address with the code the worker mails.
const FLOW_TEST_MS = 30_000;

let system: System;
let catcher: MailCatcher;
let users: RunningService;
let suggestions: RunningService;
let worker: WorkerProcess;
let organizer: Record<string, string>;

beforeAll(async () => {
  system = await startSystem("e2e");
  ({ catcher, suggestions, worker } = system);
  users = system.users();
}, 60_000);

afterAll(async () => {
  await system?.stop();
});

const post = (path: string, body: unknown) => system.post(path, body);
const register = (email: string, availabilities: Record<string, number[]>, options?: { verified?: boolean }) =>
  system.register(email, availabilities, options);
const loggedIn = (email: string) => system.loggedIn(email);

/** The first instant after `after` on UTC weekday `weekday` (Sunday 0) at `hour`:00 UTC. */
function firstAfter(after: Date, weekday: number, hour: number): Date {
  const day = 86_400_000;
  let at = Date.UTC(after.getUTCFullYear(), after.getUTCMonth(), after.getUTCDate(), hour);
  while (new Date(at).getUTCDay() !== weekday || at <= after.getTime()) at += day;
  return new Date(at);
}

describe("a meeting scheduled through every service", () => {
  const team = ["ada@example.com", "grace@example.com", "alan@example.com"];

  test(
    "goes from 202 to done, with an invitation that parses and one mail per attendee",
    async () => {
      await register("Ada@Example.com", { monday: [9, 10, 11], thursday: [15] });
      await register("grace@example.com", { monday: [10, 11], thursday: [15, 16] });
      await register("alan@example.com", { monday: [8, 10, 11], thursday: [15] });
      organizer = await loggedIn("ada@example.com");

      const accepted = await worker.post(
        { users: team, duration: 120, title: "Analytical engine", notify: true },
        { "case-id": "e2e-case-1", ...organizer },
      );
      // Called natively, the links are the worker's own: a client can follow them as they are.
      expect(accepted).toEqual({ task_id: expect.any(String), status: "queued", status_url: `${worker.url}/tasks/${accepted.task_id}` });

      const task = await worker.waitForStatus(accepted.task_id, "done");
      expect(task.attempts).toBe(1);
      expect(task.organizer).toBe("ada@example.com");
      // The first Monday 10:00 UTC after the task was made, a week ahead at most: the group's common two hours.
      const start = firstAfter(new Date(task.created_at), 1, 10);
      const end = new Date(start.getTime() + 2 * 3_600_000);
      expect(task.result?.suggestion).toEqual({
        date: start.toISOString().slice(0, 10),
        day: "monday",
        start: `${start.toISOString().slice(0, 19)}Z`,
        end: `${end.toISOString().slice(0, 19)}Z`,
        slot: [10, 12],
        preference: "first",
        attendees: team,
        missing: [],
      });
      expect(task.result?.not_notified).toEqual([]);
      expect(await (await fetch(accepted.status_url)).json()).toMatchObject({ task_id: accepted.task_id, status: "done" });

      const invite = await fetch(task.result!.invite_url);
      expect(invite.status).toBe(200);
      expect(invite.headers.get("content-type")).toContain("text/calendar");
      const ics = await invite.text();
      expect(methodOf(ics)).toBe("REQUEST");
      const events = eventsOf(ics);
      expect(events).toHaveLength(1);
      const [event] = events;
      expect(attendeesOf(event!)).toEqual(team);
      expect(event!.start.toISOString()).toBe(start.toISOString());
      expect(event!.end?.toISOString()).toBe(new Date(start.getTime() + 2 * 3_600_000).toISOString());
      expect(start.getUTCDay()).toBe(1);
      expect(start.getTime()).toBeGreaterThan(new Date(task.created_at).getTime());

      for (const email of team) {
        const mails = catcher.mailsTo(email).filter((mail) => mail.subject === "Analytical engine");
        expect(mails).toHaveLength(1);
        const calendar = mails[0]!.attachments.find((part) => part.contentType === "text/calendar");
        expect(calendar?.headers.get("content-type")).toMatchObject({ params: { method: "REQUEST" } });
        expect(calendar!.content.toString()).toBe(ics);
      }

      // The case id of the POST reached the suggestions service and is on the worker's lines for the task.
      await waitFor(() => suggestions.logs().includes('"case_id":"e2e-case-1"'), { what: "the case id in the suggestions log" });
      const lines = worker.lines().filter((line) => line.task_id === accepted.task_id);
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) expect(line.case_id).toBe("e2e-case-1");
    },
    FLOW_TEST_MS,
  );

  test(
    "refuses a task that would mail without a token, and mails only the verified attendees of one with a token",
    async () => {
      const body = { users: team, title: "Proven only", notify: true };
      const refused = await fetch(`${worker.url}/tasks`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      expect(refused.status).toBe(401);
      await register("unproven@example.com", { monday: [10, 11] }, { verified: false });
      const group = [...team, "unproven@example.com"];
      const accepted = await worker.post({ ...body, users: group }, organizer);
      const task = await worker.waitForStatus(accepted.task_id, "done");
      expect(task.result?.not_notified).toEqual(["unproven@example.com"]);
      const about = (email: string) => catcher.mailsTo(email).filter((mail) => mail.subject === "Proven only");
      expect(group.map((email) => about(email).length)).toEqual([1, 1, 1, 0]);
    },
    FLOW_TEST_MS,
  );

  test(
    "ends no_slot when the attendees share no free hour",
    async () => {
      await register("early@example.com", { tuesday: [6, 7] });
      await register("late@example.com", { tuesday: [20, 21] });
      const accepted = await worker.post({ userId1: "early@example.com", userId2: "late@example.com", notify: true }, organizer);
      const task = await worker.waitForStatus(accepted.task_id, "no_slot");
      expect(task.result).toBeUndefined();
      expect((await fetch(`${worker.url}/tasks/${accepted.task_id}/invite.ics`)).status).toBe(404);
      expect(catcher.mailsTo("early@example.com").filter((mail) => mail.subject !== "Your W2Meet verification code")).toHaveLength(0);
    },
    FLOW_TEST_MS,
  );

  test(
    "fails at once, naming them, when some attendees are not registered",
    async () => {
      const accepted = await worker.post({ users: ["ada@example.com", "nobody@example.com"] });
      const task = await worker.waitForStatus(accepted.task_id, "failed");
      expect(task).toMatchObject({ attempts: 1, error: "Unknown users: nobody@example.com" });
    },
    FLOW_TEST_MS,
  );

  test(
    "answers the same task for a repeated Idempotency-Key across the whole flow",
    async () => {
      const body = { users: team, title: "Once only", notify: true };
      const first = await worker.post(body, { "idempotency-key": "e2e-key", ...organizer });
      const second = await worker.post(body, { "idempotency-key": "e2e-key", ...organizer });
      expect(second.task_id).toBe(first.task_id);
      await worker.waitForStatus(first.task_id, "done");
      for (const email of team) expect(catcher.mailsTo(email).filter((mail) => mail.subject === "Once only")).toHaveLength(1);
      const done = await bodyOf<Task>(await fetch(`${worker.url}/tasks/${first.task_id}`));
      expect(done.attempts).toBe(1);
    },
    FLOW_TEST_MS,
  );
});

describe("real time through every service", () => {
  /** The first Monday at least two weeks from today (UTC), as `YYYY-MM-DD`. */
  const mondayAhead = () => {
    let at = Date.now() + 14 * 86_400_000;
    while (new Date(at).getUTCDay() !== 1) at += 86_400_000;
    return new Date(at).toISOString().slice(0, 10);
  };

  test(
    "a person's zone places the booking, and a dated exception moves it a week on",
    async () => {
      const monday = mondayAhead();
      const nextMonday = new Date(Date.parse(`${monday}T00:00:00Z`) + 7 * 86_400_000).toISOString().slice(0, 10);
      // Kolkata has no daylight saving time: 14:00–17:00 there is 08:30–11:30 UTC on every date.
      const kolkata = await post("/users", {
        email: "ramanujan@example.com",
        name: "Srinivasa",
        availabilities: { monday: ["14:00-17:00"] },
        time_zone: "asia/kolkata",
      });
      expect(kolkata.status).toBe(201);
      expect(((await kolkata.json()) as { time_zone: string }).time_zone).toBe("Asia/Kolkata");
      expect((await post("/users", { email: "hardy@example.com", name: "Hardy", availabilities: { monday: [8, 9, 10, 11] } })).status).toBe(
        201,
      );
      const pair = ["ramanujan@example.com", "hardy@example.com"];

      const first = await worker.post({ users: pair, duration: 45, from: monday, tz: "Asia/Kolkata", title: "Partitions" });
      const booked = await worker.waitForStatus(first.task_id, "done");
      expect(booked.result?.suggestion).toMatchObject({
        date: monday,
        start: `${monday}T14:00:00+05:30`,
        end: `${monday}T14:45:00+05:30`,
        slot: [14, 14.75],
      });
      const [event] = eventsOf(await (await fetch(booked.result!.invite_url)).text());
      expect(event!.start.toISOString()).toBe(`${monday}T08:30:00.000Z`);
      expect(event!.end?.toISOString()).toBe(`${monday}T09:15:00.000Z`);

      const away = await fetch(`${users.url}/users/ramanujan@example.com/dates/${monday}`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ available: [] }),
      });
      expect(away.status).toBe(200);
      const second = await worker.post({ users: pair, duration: 45, from: monday, days: 14, tz: "Asia/Kolkata", title: "Partitions" });
      const moved = await worker.waitForStatus(second.task_id, "done");
      expect(moved.result?.suggestion).toMatchObject({ date: nextMonday, start: `${nextMonday}T14:00:00+05:30` });
    },
    FLOW_TEST_MS,
  );
});
