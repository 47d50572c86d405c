import type { Task } from "@w2meet/contracts";
import { closedPortUrl, eventsOf, methodOf, waitFor } from "@w2meet/testing";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startSystem, type System } from "./system.ts";

// Bookings that follow changes, through every service as real processes: a person's change in the users
// service is an event on RabbitMQ; the worker re-checks that person's booked meetings with the suggestions
// service and moves, cancels or leaves each, mailing updates through the SMTP catcher.
const FLOW_TEST_MS = 45_000;

let system: System;
let organizer: Record<string, string>;

beforeAll(async () => {
  system = await startSystem("follow");
  await system.register("organizer@example.com", {});
  organizer = await system.loggedIn("organizer@example.com");
}, 60_000);

afterAll(async () => {
  await system?.stop();
});

/** The first Monday at least two weeks from today (UTC), as `YYYY-MM-DD`: the window of every task here. */
const MONDAY = (() => {
  let at = Date.now() + 14 * 86_400_000;
  while (new Date(at).getUTCDay() !== 1) at += 86_400_000;
  return new Date(at).toISOString().slice(0, 10);
})();
const at = (hour: number) => `${MONDAY}T${String(hour).padStart(2, "0")}:00:00Z`;

/** A task for `users` in the week from MONDAY (UTC), mailed; answered once booked. */
async function booked(title: string, body: Record<string, unknown>): Promise<Task> {
  const accepted = await system.worker.post({ title, notify: true, from: MONDAY, days: 7, ...body }, organizer);
  return system.worker.waitForStatus(accepted.task_id, "done");
}

const mailsAbout = (email: string, subject: string) => system.catcher.mailsTo(email).filter((mail) => mail.subject === subject);
const calendarOf = (mail: ReturnType<typeof mailsAbout>[number]) =>
  mail.attachments.find((part) => part.contentType === "text/calendar")!.content.toString();
/** A PUT to the users service as the person whose profile `path` names (their profiles are protected). */
const put = async (path: string, body: unknown) => {
  const owner = /^\/users\/([^/]+)/.exec(path)![1]!;
  return system.send("PUT", path, body, await system.loggedIn(owner));
};

/** Waits until the worker has finished re-checking after `email`'s change of version `version` or later. */
const handledChangeOf = (email: string, since: number) =>
  waitFor(
    () =>
      system.worker
        .lines()
        .slice(since)
        .find((line) => line.msg === "person change message handled" && line.person === email && line.outcome === "finished"),
    { what: `the worker to re-check the bookings of ${email}` },
  );

describe("a booked meeting whose attendee changes", () => {
  test(
    "moves when an attendee removes the booked hour: one update per recipient, same UID, SEQUENCE 1",
    async () => {
      const pair = ["ada@example.com", "grace@example.com"];
      for (const email of pair) await system.register(email, { monday: [9, 10, 11], tuesday: [9, 10] });
      const task = await booked("Engine review", { users: pair });
      expect(task.result?.suggestion.start).toBe(at(9));
      const [first] = eventsOf(calendarOf(mailsAbout("ada@example.com", "Engine review")[0]!));

      const since = system.worker.lines().length;
      const away = await put("/users/ada@example.com", {
        name: "Ada",
        availabilities: { monday: [10, 11], tuesday: [9, 10] },
        preference: "first",
      });
      expect(away.status).toBe(200);
      const moved = await system.worker.waitForStatus(task.task_id, "rebooked");
      await handledChangeOf("ada@example.com", since);
      expect(moved).toMatchObject({
        sequence: 1,
        change: { reason: "ada@example.com is no longer free at the booked time" },
        result: { suggestion: { start: at(10) } },
      });
      const ics = await (await fetch(moved.result!.invite_url)).text();
      const [event] = eventsOf(ics);
      expect(event!.uid).toBe(first!.uid);
      expect(event!.start.toISOString()).toBe(new Date(at(10)).toISOString());
      expect(ics).toContain("SEQUENCE:1");
      for (const email of pair) {
        const updates = mailsAbout(email, "Updated: Engine review");
        expect(updates).toHaveLength(1);
        expect(calendarOf(updates[0]!)).toBe(ics);
        expect(methodOf(calendarOf(updates[0]!))).toBe("REQUEST");
        expect(mailsAbout(email, "Engine review")).toHaveLength(1);
      }
    },
    FLOW_TEST_MS,
  );

  test(
    "is cancelled when an attendee removes all their time: one cancellation (METHOD:CANCEL) per recipient",
    async () => {
      const pair = ["carol@example.com", "dave@example.com"];
      for (const email of pair) await system.register(email, { monday: [14] });
      const task = await booked("Difference engine", { users: pair });
      const since = system.worker.lines().length;
      expect((await put("/users/carol@example.com", { name: "Carol", availabilities: {}, preference: "first" })).status).toBe(200);
      const cancelled = await system.worker.waitForStatus(task.task_id, "cancelled");
      await handledChangeOf("carol@example.com", since);
      expect(cancelled).toMatchObject({ sequence: 1, result: { suggestion: { start: at(14) } } });
      expect(cancelled.change?.reason).toContain("carol@example.com is no longer free at the booked time");
      const ics = await (await fetch(cancelled.result!.invite_url)).text();
      expect(methodOf(ics)).toBe("CANCEL");
      expect(ics).toContain("STATUS:CANCELLED");
      for (const email of pair) {
        const mails = mailsAbout(email, "Cancelled: Difference engine");
        expect(mails).toHaveLength(1);
        expect(methodOf(calendarOf(mails[0]!))).toBe("CANCEL");
      }
    },
    FLOW_TEST_MS,
  );

  test(
    "stays as it is, with no mail, after an unrelated edit: another day's hours, or a name and preference",
    async () => {
      const pair = ["eve@example.com", "frank@example.com"];
      for (const email of pair) await system.register(email, { monday: [9, 10] });
      const task = await booked("Unmoved", { users: pair });
      const events = async () => (await system.db.sql`select count(*)::int as n from users_outbox where email = 'eve@example.com'`)[0]!.n;

      const before = await events();
      expect(
        (await put("/users/eve@example.com", { name: "Evelyn", availabilities: { monday: [9, 10] }, preference: "last" })).status,
      ).toBe(200);
      expect(await events()).toBe(before);

      const since = system.worker.lines().length;
      const tuesday = new Date(Date.parse(`${MONDAY}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
      expect((await put(`/users/eve@example.com/dates/${tuesday}`, { available: [] })).status).toBe(200);
      expect(
        (await put("/users/eve@example.com", { name: "Evelyn", availabilities: { monday: [9, 10], friday: [16] }, preference: "last" }))
          .status,
      ).toBe(200);
      await handledChangeOf("eve@example.com", since);
      await waitFor(
        () =>
          system.worker
            .lines()
            .slice(since)
            .filter((line) => line.msg === "person change message handled" && line.person === "eve@example.com").length === 2,
        { what: "both changes re-checked" },
      );
      expect(await system.worker.task(task.task_id)).toEqual(task);
      for (const email of pair) {
        expect(system.catcher.mailsTo(email).filter((mail) => mail.subject?.endsWith("Unmoved"))).toHaveLength(1);
      }
    },
    FLOW_TEST_MS,
  );

  test(
    "is still re-checked when the users service dies between its write and publishing the event",
    async () => {
      const pair = ["gina@example.com", "hal@example.com"];
      for (const email of pair) await system.register(email, { monday: [9, 10, 11] });
      const task = await booked("Survivor", { users: pair });

      await system.restartUsers({ AMQP_URL: closedPortUrl("amqp") });
      expect((await put(`/users/gina@example.com/dates/${MONDAY}`, { available: [10, 11] })).status).toBe(200);
      const [row] = await system.db.sql`select sent_at from users_outbox where email = 'gina@example.com' order by id desc limit 1`;
      expect(row!.sent_at).toBeNull();
      expect((await system.worker.task(task.task_id)).status).toBe("done");

      await system.restartUsers({}, { kill: true });
      const moved = await system.worker.waitForStatus(task.task_id, "rebooked");
      expect(moved.result?.suggestion.start).toBe(at(10));
      await waitFor(() => pair.every((email) => mailsAbout(email, "Updated: Survivor").length === 1), { what: "one update each" });
    },
    FLOW_TEST_MS,
  );

  test(
    "keeps to required people and min_attendees: fine while enough can come, cancelled once a required person cannot",
    async () => {
      const trio = ["ivy@example.com", "jon@example.com", "kim@example.com"];
      await system.register("ivy@example.com", { monday: [9] });
      await system.register("jon@example.com", { monday: [9] });
      await system.register("kim@example.com", { tuesday: [15] });
      const task = await booked("Quorum", { users: trio.slice(1), required: ["ivy@example.com"], min_attendees: 2 });
      expect(task).toMatchObject({ users: ["jon@example.com", "kim@example.com", "ivy@example.com"], required: ["ivy@example.com"] });
      expect(task.result?.suggestion).toMatchObject({ start: at(9), missing: ["kim@example.com"] });

      let since = system.worker.lines().length;
      expect((await put("/users/kim@example.com", { name: "Kim", availabilities: { wednesday: [15] }, preference: "first" })).status).toBe(
        200,
      );
      await handledChangeOf("kim@example.com", since);
      expect((await system.worker.task(task.task_id)).status).toBe("done");

      since = system.worker.lines().length;
      expect((await put("/users/ivy@example.com", { name: "Ivy", availabilities: { tuesday: [9] }, preference: "first" })).status).toBe(
        200,
      );
      await handledChangeOf("ivy@example.com", since);
      expect((await system.worker.task(task.task_id)).status).toBe("cancelled");
    },
    FLOW_TEST_MS,
  );
});
