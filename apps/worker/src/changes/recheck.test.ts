// The worker's side of bookings that follow changes: a person.changed event re-checks that person's booked
// meetings against the suggestions service (a stub here) and leaves, moves or cancels each, mailing updates
// once per recipient and sequence. Real Postgres, RabbitMQ and SMTP (a catcher).
import type { Task } from "@w2meet/contracts";
import { eventsOf, methodOf, startMailCatcher, waitFor, type MailCatcher, type Rabbit } from "@w2meet/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { createSql } from "@w2meet/kit/postgres";
import { suggestionsAt } from "../../test/suggestions-stub.ts";
import { startIsolatedWorker, type InProcessWorker, type IsolatedWorker } from "../../test/worker-harness.ts";

const trio = ["ada@example.com", "grace@example.com", "alan@example.com"];
const HOUR = 3_600_000;

/** An instant `days` days from now at `hour`:00 UTC, as the suggestions service writes it. */
const ahead = (days: number, hour: number) => {
  const day = new Date(Date.now() + days * 24 * HOUR);
  return `${new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), hour)).toISOString().slice(0, 19)}Z`;
};
const BOOKED = ahead(3, 10);
const MOVED = ahead(4, 14);

let setup: IsolatedWorker;
let catcher: MailCatcher;
let worker: InProcessWorker;
let rabbit: Rabbit;
let auth: Record<string, string>;
let version = 0;

beforeAll(async () => {
  catcher = await startMailCatcher();
  setup = await startIsolatedWorker({ smtpUrl: catcher.url });
  ({ worker, rabbit } = setup);
  auth = await setup.bearer("organizer@example.com");
});
afterAll(async () => {
  await setup.tearDown();
  await catcher.close();
});
beforeEach(() => setup.stub.answerWith(suggestionsAt(BOOKED)));

/**
 * The suggestions service as it would answer once the group's free time changed: a meeting at `at` fits
 * only if it starts at one of `fits`; a search of the window finds `next` (or nothing).
 */
function availability(fits: string[], next: string | null) {
  setup.stub.answerWith((query) => {
    const at = query.get("at");
    if (at !== null) {
      const fitting = fits.some((start) => Date.parse(start) === Date.parse(at));
      return fitting ? suggestionsAt(at)(query) : { status: 200, body: { suggestions: [] } };
    }
    return next ? suggestionsAt(next)(query) : { status: 200, body: { suggestions: [] } };
  });
}

/** A task booked at BOOKED (mailed when `notify`), answered once done. */
async function booked(title: string, notify = true): Promise<Task> {
  const accepted = await worker.post({ users: trio, title, notify }, auth);
  return worker.waitForStatus(accepted.task_id, "done");
}

/** Publishes a person.changed event as the users service would, and waits until the worker has handled it. */
async function changed(email: string, caseId = `case-change-${version + 1}`) {
  version += 1;
  const event = { email, version: String(version), changed_at: new Date().toISOString() };
  await rabbit.publish(worker.names.eventsExchange, "person.changed", Buffer.from(JSON.stringify(event)), { "case-id": caseId });
  return waitFor(
    () =>
      worker
        .logs()
        .find((line) => line.msg === "person change message handled" && line.version === event.version && line.outcome !== "busy"),
    { what: `the change of ${email} (version ${event.version}) to be handled` },
  );
}

const mailsAbout = (email: string, subject: string) => catcher.mailsTo(email).filter((mail) => mail.subject === subject);
const calendarOf = (mail: ReturnType<typeof mailsAbout>[number]) =>
  mail.attachments.find((part) => part.contentType === "text/calendar")!.content.toString();

describe("a person.changed event", () => {
  test("leaves a booking whose time still fits alone: no mail, no change", async () => {
    const task = await booked("Still fine");
    const handled = await changed("grace@example.com");
    expect(handled).toMatchObject({ outcome: "finished", status: "unchanged" });
    expect(await worker.task(task.task_id)).toEqual(task);
    for (const email of trio) expect(mailsAbout(email, "Updated: Still fine")).toHaveLength(0);
    expect(setup.stub.requests.at(-1)!.query.get("at")).toBe(new Date(BOOKED).toISOString());
  });

  test("moves a booking whose time no longer fits: rebooked, SEQUENCE 1 with the same UID, one update per recipient", async () => {
    const task = await booked("Moving");
    const [first] = eventsOf(calendarOf(mailsAbout("ada@example.com", "Moving")[0]!));
    availability([MOVED], MOVED);
    await changed("ada@example.com");
    const moved = await worker.task(task.task_id);
    expect(moved).toMatchObject({
      status: "rebooked",
      sequence: 1,
      change: { reason: "ada@example.com is no longer free at the booked time", at: expect.any(String) },
      result: { suggestion: { start: MOVED } },
    });
    const ics = await (await worker.get(`/tasks/${task.task_id}/invite.ics`)).text();
    expect(ics).toContain("SEQUENCE:1");
    expect(eventsOf(ics)[0]!.uid).toBe(first!.uid);
    expect(eventsOf(ics)[0]!.start.toISOString()).toBe(new Date(MOVED).toISOString());
    for (const email of trio) {
      const updates = mailsAbout(email, "Updated: Moving");
      expect(updates).toHaveLength(1);
      expect(calendarOf(updates[0]!)).toBe(ics);
      expect(updates[0]!.text).toContain('"Moving" is updated: now on');
    }

    // The same change again, or another: the new time fits, so nothing more is sent.
    await changed("ada@example.com");
    await changed("alan@example.com");
    expect((await worker.task(task.task_id)).sequence).toBe(1);
    for (const email of trio) expect(mailsAbout(email, "Updated: Moving")).toHaveLength(1);
  });

  test("cancels a booking when no time in its window fits any more: METHOD:CANCEL, same UID, next sequence", async () => {
    const task = await booked("Called off");
    availability([], null);
    await changed("alan@example.com");
    const cancelled = await worker.task(task.task_id);
    expect(cancelled).toMatchObject({ status: "cancelled", sequence: 1, result: { suggestion: { start: BOOKED } } });
    expect(cancelled.change?.reason).toBe(
      "alan@example.com is no longer free at the booked time, and no other time in the task's window fits",
    );
    const invite = await worker.get(`/tasks/${task.task_id}/invite.ics`);
    expect(invite.headers.get("content-type")).toContain("method=CANCEL");
    const ics = await invite.text();
    expect(methodOf(ics)).toBe("CANCEL");
    expect(ics).toContain("STATUS:CANCELLED");
    for (const email of trio) {
      const mails = mailsAbout(email, "Cancelled: Called off");
      expect(mails).toHaveLength(1);
      const calendar = mails[0]!.attachments.find((part) => part.contentType === "text/calendar");
      expect(calendar?.headers.get("content-type")).toMatchObject({ params: { method: "CANCEL" } });
    }
    // A cancelled booking is not re-checked again.
    await changed("alan@example.com");
    for (const email of trio) expect(mailsAbout(email, "Cancelled: Called off")).toHaveLength(1);
  });

  test("cancels a booking made for one start (at) once that start no longer fits, though another time would", async () => {
    const accepted = await worker.post({ users: trio, title: "Only then", notify: true, at: BOOKED }, auth);
    const task = await worker.waitForStatus(accepted.task_id, "done");
    availability([], MOVED);
    await changed("grace@example.com");
    const cancelled = await worker.task(task.task_id);
    expect(cancelled).toMatchObject({ status: "cancelled", sequence: 1, result: { suggestion: { start: BOOKED } } });
    expect(cancelled.change?.reason).toBe("grace@example.com is no longer free at the booked time, and the task was for that time only");
    for (const email of trio) expect(mailsAbout(email, "Cancelled: Only then")).toHaveLength(1);
  });

  test("moves a booking without mail when the task asked for none", async () => {
    const task = await booked("Quiet", false);
    availability([MOVED], MOVED);
    await changed("grace@example.com");
    expect(await worker.task(task.task_id)).toMatchObject({ status: "rebooked", sequence: 1 });
    for (const email of trio) expect(catcher.mailsTo(email).filter((mail) => mail.subject?.endsWith("Quiet"))).toHaveLength(0);
  });

  test("sends the mails a crash left owed for the current sequence before anything else, once", async () => {
    const task = await booked("Owed");
    availability([MOVED], MOVED);
    // As if a worker stored the move and died before mailing: the state is there, the mails are not.
    await setup.db.sql`
      update tasks set status = 'rebooked', sequence = 1, mails_owed = true, change_reason = 'grace@example.com changed',
        changed_at = now(), starts_at = ${MOVED}, suggestion = suggestion || ${setup.db.sql.json({ start: MOVED })}
      where id = ${task.task_id}`;
    await changed("grace@example.com");
    for (const email of trio) expect(mailsAbout(email, "Updated: Owed")).toHaveLength(1);
    const [row] = await setup.db.sql`select mails_owed, sequence from tasks where id = ${task.task_id}`;
    expect(row).toEqual({ mails_owed: false, sequence: 1 });
  });

  test("comes back later for a booking another worker holds, then re-checks it", async () => {
    const task = await booked("Held");
    availability([MOVED], MOVED);
    const holder = createSql(setup.db.url, { max: 1 });
    try {
      await holder`select pg_advisory_lock(hashtext('worker.task'), hashtext(${task.task_id}))`;
      version += 1;
      const event = { email: "ada@example.com", version: String(version), changed_at: new Date().toISOString() };
      await rabbit.publish(worker.names.eventsExchange, "person.changed", Buffer.from(JSON.stringify(event)));
      await waitFor(() => worker.logs().find((line) => line.msg === "person change message handled" && line.outcome === "busy"));
      expect((await worker.task(task.task_id)).status).toBe("done");
    } finally {
      await holder.end();
    }
    await worker.waitForStatus(task.task_id, "rebooked");
    await waitFor(() => trio.every((email) => mailsAbout(email, "Updated: Held").length === 1), { what: "one update each" });
  });

  test("waits for a task still being booked on an earlier answer, then re-checks it", async () => {
    const task = await booked("Pending");
    availability([MOVED], MOVED);
    // As if its mails were still waiting for a retry: the booking is decided, the task not yet done.
    await setup.db.sql`update tasks set status = 'queued' where id = ${task.task_id}`;
    version += 1;
    const event = { email: "alan@example.com", version: String(version), changed_at: new Date().toISOString() };
    await rabbit.publish(worker.names.eventsExchange, "person.changed", Buffer.from(JSON.stringify(event)));
    await waitFor(() => worker.logs().find((line) => line.version === event.version && line.outcome === "busy"));
    expect((await worker.task(task.task_id)).sequence).toBe(0);
    await setup.db.sql`update tasks set status = 'done' where id = ${task.task_id}`;
    await worker.waitForStatus(task.task_id, "rebooked");
  });

  test("retries while the suggestions service fails, then re-checks the booking", async () => {
    const task = await booked("Patient");
    setup.stub.answerWith(() => ({ status: 503, body: { status: 503, detail: "down on purpose" } }));
    version += 1;
    const event = { email: "ada@example.com", version: String(version), changed_at: new Date().toISOString() };
    await rabbit.publish(worker.names.eventsExchange, "person.changed", Buffer.from(JSON.stringify(event)));
    await waitFor(() => worker.logs().find((line) => line.version === event.version && line.outcome === "retry"));
    availability([MOVED], MOVED);
    await worker.waitForStatus(task.task_id, "rebooked");
    await waitFor(() => worker.logs().find((line) => line.version === event.version && line.outcome === "finished"));
    const [left] = await setup.db.sql`select count(*)::int as n from person_rechecks`;
    expect(left!.n).toBe(0);
  });

  test("cancels a booking one of whose attendees was deleted, naming them", async () => {
    const task = await booked("Without Grace", false);
    setup.stub.answerWith(() => ({ status: 404, body: { status: 404, detail: "unknown", missing: ["grace@example.com"] } }));
    await changed("grace@example.com");
    expect((await worker.task(task.task_id)).change?.reason).toBe("grace@example.com is no longer registered");
  });

  test("dead-letters an event that is not one, and goes on", async () => {
    await rabbit.publish(worker.names.eventsExchange, "person.changed", Buffer.from('{"email":"nobody"}'));
    const dead = await waitFor(async () => (await rabbit.takeAll(worker.names.personChanges.deadLetterQueue)).at(0));
    expect(JSON.parse(dead.content.toString())).toEqual({ email: "nobody" });
  });
});
