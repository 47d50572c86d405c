import { waitFor, attendeesOf, eventsOf, methodOf, startMailCatcher, type MailCatcher, type Rabbit } from "@w2meet/testing";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { WorkerDatabase } from "../test/database.ts";
import { datedSuggestion, START, suggestionsAt } from "../test/suggestions-stub.ts";
import { startIsolatedWorker, type InProcessWorker, type IsolatedWorker } from "../test/worker-harness.ts";
import { TASK_ROUTING_KEY } from "./queue/topology.ts";

const trio = ["ada@example.com", "grace@example.com", "alan@example.com"];

describe("a worker with everything up", () => {
  let setup: IsolatedWorker;
  let catcher: MailCatcher;
  let worker: InProcessWorker;
  let db: WorkerDatabase;
  let rabbit: Rabbit;
  // The organizer's token: a task with notify needs one.
  let auth: Record<string, string>;

  beforeAll(async () => {
    catcher = await startMailCatcher();
    setup = await startIsolatedWorker({ smtpUrl: catcher.url });
    ({ worker, db, rabbit } = setup);
    auth = await setup.bearer("organizer@example.com");
  });
  afterAll(async () => {
    await setup.tearDown();
    await catcher.close();
  });

  test("takes a task from 202 to done, stores the suggestion and mails each attendee one invitation", async () => {
    const accepted = await worker.post({ users: trio, title: "Planning", notify: true }, { "case-id": "case-happy-1", ...auth });
    const task = await worker.waitForStatus(accepted.task_id, "done");
    expect(task).toMatchObject({ attempts: 1, organizer: "organizer@example.com", result: { not_notified: [] } });
    expect(task.result?.suggestion).toEqual(datedSuggestion(START, 60, trio));
    expect(task.result?.invite_url).toBe(`http://localhost/tasks/${accepted.task_id}/invite.ics`);
    expect(task.error).toBeUndefined();

    const invite = await worker.get(`/tasks/${accepted.task_id}/invite.ics`);
    expect(invite.status).toBe(200);
    expect(invite.headers.get("content-type")).toContain("text/calendar");
    const ics = await invite.text();
    expect(methodOf(ics)).toBe("REQUEST");
    const [event] = eventsOf(ics);
    expect(attendeesOf(event!)).toEqual(trio);
    expect(ics).toContain("DTSTART:20261125T100000Z");
    expect(ics).toContain("DTEND:20261125T110000Z");
    const [booked] = await db.sql`select starts_at, ends_at from tasks where id = ${accepted.task_id}`;
    expect(booked).toEqual({ starts_at: new Date("2026-11-25T10:00:00Z"), ends_at: new Date("2026-11-25T11:00:00Z") });

    for (const email of trio) {
      const mails = catcher.mailsTo(email).filter((mail) => mail.subject === "Planning");
      expect(mails).toHaveLength(1);
      const calendar = mails[0]!.attachments.find((part) => part.contentType === "text/calendar");
      expect(calendar?.headers.get("content-type")).toMatchObject({ params: { method: "REQUEST" } });
      expect(calendar!.content.toString()).toBe(ics);
      expect(mails[0]!.text).toContain('"Planning" on Wednesday, 25 November 2026, 10:00–11:00 (UTC)');
    }
  });

  test("passes the Case-ID of the request to the suggestions service and into every log line of the task", async () => {
    const accepted = await worker.post({ users: trio }, { "case-id": "case-trace-7" });
    await worker.waitForStatus(accepted.task_id, "done");
    expect(setup.stub.requests.filter((request) => request.caseId === "case-trace-7")).toHaveLength(1);
    const lines = worker.logs().filter((line) => line.task_id === accepted.task_id);
    expect(lines.map((line) => line.msg)).toEqual(expect.arrayContaining(["task message published", "task message handled"]));
    for (const line of lines) expect(line.case_id).toBe("case-trace-7");
  });

  test("asks for the first fitting slot from when the task was made, over 7 days in UTC, with its preference and duration", async () => {
    const accepted = await worker.post({ users: trio, preference: "last", duration: 180 });
    const task = await worker.waitForStatus(accepted.task_id, "done");
    const asked = setup.stub.requests.at(-1)!.query;
    expect(Object.fromEntries(asked)).toEqual({
      users: trio.join(","),
      duration: "180",
      preference: "last",
      from: task.created_at,
      days: "8",
      tz: "UTC",
    });
    expect(new Date(asked.get("from")!).toISOString()).toBe(asked.get("from")!);
    expect(task.result?.suggestion).toMatchObject({ slot: [10, 13], start: START, end: "2026-11-25T13:00:00Z" });
  });

  test("asks with the task's required people and min_attendees when it names them", async () => {
    const accepted = await worker.post({ users: trio.slice(0, 2), required: ["alan@example.com", "ada@example.com"], min_attendees: 2 });
    await worker.waitForStatus(accepted.task_id, "done");
    const asked = Object.fromEntries(setup.stub.requests.at(-1)!.query);
    expect(asked).toMatchObject({ users: trio.join(","), required: "alan@example.com,ada@example.com", min_attendees: "2" });
  });

  test("books in the task's zone: the invitation at the slot's UTC instants, the mail in the zone's own time", async () => {
    setup.stub.answerWith(suggestionsAt("2026-11-23T09:00:00+01:00"));
    try {
      const accepted = await worker.post({ users: trio, title: "Berlin", notify: true, tz: "europe/berlin" }, auth);
      const task = await worker.waitForStatus(accepted.task_id, "done");
      const asked = setup.stub.requests.at(-1)!.query;
      expect(Object.fromEntries(asked)).toEqual({
        users: trio.join(","),
        duration: "60",
        from: task.created_at,
        days: "8",
        tz: "Europe/Berlin",
      });
      expect(task.result?.suggestion).toEqual(datedSuggestion("2026-11-23T09:00:00+01:00", 60, trio));
      const ics = await (await worker.get(`/tasks/${accepted.task_id}/invite.ics`)).text();
      expect(ics).toContain("DTSTART:20261123T080000Z");
      expect(ics).toContain("DTEND:20261123T090000Z");
      for (const email of trio) {
        const [mail] = catcher.mailsTo(email).filter((each) => each.subject === "Berlin");
        expect(mail?.text).toContain('"Berlin" on Monday, 23 November 2026, 09:00–10:00 (Europe/Berlin, UTC+01:00), with ');
      }
    } finally {
      setup.stub.reset();
    }
  });

  test("books from the task's own from over its own days, and a 45-minute meeting ends 45 minutes after it starts", async () => {
    setup.stub.answerWith(suggestionsAt("2026-11-23T09:30:00+01:00"));
    try {
      const from = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
      const body = { users: trio, title: "Short", notify: true, from, days: 3, tz: "Europe/Berlin", duration: 45 };
      const accepted = await worker.post(body, auth);
      const task = await worker.waitForStatus(accepted.task_id, "done");
      expect(task.duration).toBe(45);
      const asked = setup.stub.requests.at(-1)!.query;
      expect(Object.fromEntries(asked)).toEqual({ users: trio.join(","), duration: "45", from, days: "3", tz: "Europe/Berlin" });
      expect(task.result?.suggestion).toMatchObject({ slot: [9.5, 10.25], end: "2026-11-23T10:15:00+01:00" });
      const ics = await (await worker.get(`/tasks/${accepted.task_id}/invite.ics`)).text();
      expect(ics).toContain("DTSTART:20261123T083000Z");
      expect(ics).toContain("DTEND:20261123T091500Z");
      const [event] = eventsOf(ics);
      expect(event!.end!.getTime() - event!.start.getTime()).toBe(45 * 60_000);
      const [booked] = await db.sql`select starts_at, ends_at from tasks where id = ${accepted.task_id}`;
      expect(booked).toEqual({ starts_at: new Date("2026-11-23T08:30:00Z"), ends_at: new Date("2026-11-23T09:15:00Z") });
      const [mail] = catcher.mailsTo("ada@example.com").filter((each) => each.subject === "Short");
      expect(mail?.text).toContain("Monday, 23 November 2026, 09:30–10:15 (Europe/Berlin, UTC+01:00)");
    } finally {
      setup.stub.reset();
    }
  });

  test("tries again when the suggestions service answers a body that is not dated suggestions, then books", async () => {
    const bad = [
      { suggestions: [{ day: "monday", slot: [9, 10], preference: "first", attendees: trio, missing: [] }] },
      { suggestions: [{ ...datedSuggestion(START, 60, trio), end: START }] },
    ];
    setup.stub.answerWith((query) => (bad.length ? { status: 200, body: bad.shift() } : suggestionsAt(START)(query)));
    try {
      const accepted = await worker.post({ users: trio });
      const task = await worker.waitForStatus(accepted.task_id, "done");
      expect(task.attempts).toBe(3);
      const retries = worker.logs().filter((line) => line.task_id === accepted.task_id && line.outcome === "retry");
      expect(retries.map((line) => line.error)).toEqual([
        "The suggestions service answered with an unexpected body",
        "The suggestions service answered with an unexpected body",
      ]);
      expect(task.result?.suggestion.start).toBe(START);
    } finally {
      setup.stub.reset();
    }
  });

  test("ends no_slot, with no invitation and no mail, when nothing fits", async () => {
    setup.stub.answerWith(() => ({ status: 200, body: { suggestions: [] } }));
    try {
      const accepted = await worker.post({ users: ["nobody@example.com", "never@example.com"], notify: true }, auth);
      const task = await worker.waitForStatus(accepted.task_id, "no_slot");
      expect(task.result).toBeUndefined();
      expect((await worker.get(`/tasks/${accepted.task_id}/invite.ics`)).status).toBe(404);
      expect(catcher.mailsTo("nobody@example.com")).toHaveLength(0);
    } finally {
      setup.stub.reset();
    }
  });

  test("fails at once, dead-lettering the message, when the suggestions service knows none of some users", async () => {
    setup.stub.answerWith(() => ({ status: 404, body: { status: 404, missing: ["ghost@example.com"] } }));
    try {
      const accepted = await worker.post({ users: ["ada@example.com", "ghost@example.com"] });
      const task = await worker.waitForStatus(accepted.task_id, "failed");
      expect(task).toMatchObject({ attempts: 1, error: "Unknown users: ghost@example.com" });
      const dead = await waitFor(async () =>
        (await rabbit.takeAll(worker.names.deadLetterQueue)).filter((message) => message.properties.messageId === accepted.task_id).at(0),
      );
      expect(JSON.parse(dead.content.toString())).toEqual({ task_id: accepted.task_id });
    } finally {
      setup.stub.reset();
    }
  });

  test("publishes one message and runs once for one Idempotency-Key asked twice", async () => {
    const body = { users: trio, title: "Once", notify: true };
    const first = await worker.post(body, { "idempotency-key": "flow-key-1", ...auth });
    const second = await worker.post(body, { "idempotency-key": "flow-key-1", ...auth });
    expect(second.task_id).toBe(first.task_id);
    await worker.waitForStatus(first.task_id, "done");
    const published = worker.logs().filter((line) => line.msg === "task message published" && line.task_id === first.task_id);
    expect(published).toHaveLength(1);
    expect(catcher.mailsTo("ada@example.com").filter((mail) => mail.subject === "Once")).toHaveLength(1);
  });

  test("acks a redelivered message of a finished task without a second attempt or mail", async () => {
    const accepted = await worker.post({ users: trio, title: "Redelivered", notify: true }, { "case-id": "case-dup-1", ...auth });
    await worker.waitForStatus(accepted.task_id, "done");
    await rabbit.publish(worker.names.exchange, TASK_ROUTING_KEY, Buffer.from(JSON.stringify({ task_id: accepted.task_id })), {
      "case-id": "case-dup-1",
    });
    await waitFor(
      () => worker.logs().filter((line) => line.msg === "task message handled" && line.task_id === accepted.task_id).length === 2,
    );
    expect((await worker.task(accepted.task_id)).attempts).toBe(1);
    expect(catcher.mailsTo("grace@example.com").filter((mail) => mail.subject === "Redelivered")).toHaveLength(1);
  });

  test("mails once when two deliveries of one task arrive together", async () => {
    const accepted = await worker.post({ users: trio, title: "Twins", notify: true }, auth);
    await rabbit.publish(worker.names.exchange, TASK_ROUTING_KEY, Buffer.from(JSON.stringify({ task_id: accepted.task_id })));
    await worker.waitForStatus(accepted.task_id, "done");
    await waitFor(
      () =>
        worker
          .logs()
          .filter((line) => line.msg === "task message handled" && line.task_id === accepted.task_id && line.outcome === "finished")
          .length === 2,
    );
    for (const email of trio) expect(catcher.mailsTo(email).filter((mail) => mail.subject === "Twins")).toHaveLength(1);
  });

  test("dead-letters poison messages with a log line and keeps serving the tasks behind them", async () => {
    const poison = [
      Buffer.from("not json at all"),
      Buffer.from(JSON.stringify({ task: 42 })),
      Buffer.from(JSON.stringify({ task_id: "nope" })),
    ];
    // Straight into the tasks queue, as a misbehaving publisher would.
    for (const content of poison) await rabbit.publish("", worker.names.queue, content, { "case-id": "case-poison" });
    const accepted = await worker.post({ users: trio });
    await worker.waitForStatus(accepted.task_id, "done");
    const dead = await waitFor(async () => {
      const messages = await rabbit.takeAll(worker.names.deadLetterQueue);
      return messages.length ? messages : null;
    });
    expect(dead.map((message) => message.content.toString()).sort()).toEqual(poison.map(String).sort());
    expect(worker.logs().filter((line) => line.msg === "poison message dead-lettered" && line.case_id === "case-poison")).toHaveLength(3);
    expect(await rabbit.depth(worker.names.queue)).toBe(0);
  });

  test("dead-letters a message naming a task that does not exist", async () => {
    const ghost = crypto.randomUUID();
    await rabbit.publish(worker.names.exchange, TASK_ROUTING_KEY, Buffer.from(JSON.stringify({ task_id: ghost })));
    await waitFor(async () =>
      (await rabbit.takeAll(worker.names.deadLetterQueue)).some(
        (message) => message.content.toString() === JSON.stringify({ task_id: ghost }),
      ),
    );
  });

  test("declares its queue again and goes on consuming when the queue is deleted under it", async () => {
    const connections = () => worker.logs().filter((line) => line.msg === "rabbitmq connected").length;
    const before = connections();
    await rabbit.channel.deleteQueue(worker.names.queue);
    await waitFor(() => connections() > before, { what: "the worker to reconnect" });
    const accepted = await worker.post({ users: trio });
    await worker.waitForStatus(accepted.task_id, "done");
  });

  test("mails only the attendees with a verified address, one mail each, and lists the others in not_notified in attendee order", async () => {
    setup.users.unverify("grace@example.com");
    setup.users.forget("alan@example.com");
    try {
      const team = ["alan@example.com", "ada@example.com", "grace@example.com", "edsger@example.com"];
      const accepted = await worker.post({ users: team, title: "Verified only", notify: true }, { "case-id": "case-verified", ...auth });
      const task = await worker.waitForStatus(accepted.task_id, "done");
      expect(task.result?.not_notified).toEqual(["alan@example.com", "grace@example.com"]);
      const about = (email: string) => catcher.mailsTo(email).filter((mail) => mail.subject === "Verified only");
      for (const email of ["ada@example.com", "edsger@example.com"]) expect(about(email)).toHaveLength(1);
      for (const email of ["alan@example.com", "grace@example.com"]) expect(about(email)).toHaveLength(0);
      // The invitation itself still names the whole group.
      expect(attendeesOf(eventsOf(await (await worker.get(`/tasks/${accepted.task_id}/invite.ics`)).text())[0]!)).toEqual(team);
      // One question to the users service for the whole group, with the request's case id.
      expect(setup.users.calls.filter((call) => call.caseId === "case-verified")).toEqual([
        { caseId: "case-verified", users: team.join(",") },
      ]);
    } finally {
      setup.users.reset();
    }
  });

  test("asks the users service nothing and lists no not_notified for a task without notify", async () => {
    const accepted = await worker.post({ users: trio }, { "case-id": "case-quiet" });
    const task = await worker.waitForStatus(accepted.task_id, "done");
    expect(task.result).toBeDefined();
    expect(task.result).not.toHaveProperty("not_notified");
    expect(task.organizer).toBeNull();
    expect(setup.users.calls.filter((call) => call.caseId === "case-quiet")).toHaveLength(0);
  });

  test("ends done with no mail at all when no attendee's address is verified", async () => {
    setup.users.unverify(...trio);
    try {
      const accepted = await worker.post({ users: trio, title: "Nobody proven", notify: true }, auth);
      const task = await worker.waitForStatus(accepted.task_id, "done");
      expect(task.result?.not_notified).toEqual(trio);
      for (const email of trio) expect(catcher.mailsTo(email).filter((mail) => mail.subject === "Nobody proven")).toHaveLength(0);
    } finally {
      setup.users.reset();
    }
  });

  test("reports healthy with RabbitMQ, SMTP and an empty outbox", async () => {
    const health = await worker.health();
    expect(health.status).toBe("healthy");
    expect(Object.keys(health.dependencies).sort()).toEqual(["outbox", "postgres", "rabbitmq", "smtp", "users"]);
    expect(health.dependencies.outbox?.detail).toBe("0 unsent messages; the oldest has waited 0.0 s");
    expect((await db.sql`select count(*)::int as n from outbox where sent_at is null`)[0]!.n).toBe(0);
  });

  // Runs last: by now tasks here were done, no_slot, failed at once, redelivered when finished, doubled and unknown.
  test("holds no task lock once the deliveries are settled, whatever became of the tasks", async () => {
    const advisoryLocks = async () =>
      (
        await db.sql<{ n: number }[]>`
        select count(*)::int as n from pg_locks
        where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())`
      )[0]!.n;
    await waitFor(async () => (await advisoryLocks()) === 0, { timeoutMs: 5000, what: "every task lock to be released" });
  });
});
