import { closedPortUrl, freePort, waitFor, startMailCatcher, type MailCatcher } from "@w2meet/testing";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startUsersStub, type UsersStub } from "../../test/users-stub.ts";
import { startIsolatedWorker, type IsolatedWorker } from "../../test/worker-harness.ts";

const trio = ["ada@example.com", "grace@example.com", "alan@example.com"];

describe("a worker whose suggestions service is unreachable", () => {
  let setup: IsolatedWorker;
  beforeAll(async () => {
    setup = await startIsolatedWorker({ suggestionsUrl: closedPortUrl("http") });
  });
  afterAll(() => setup.tearDown());

  test("retries with growing delays, fails after 5 attempts with the reason, and dead-letters the message", async () => {
    const { worker, rabbit } = setup;
    const accepted = await worker.post({ users: trio }, { "case-id": "case-doomed" });
    const task = await worker.waitForStatus(accepted.task_id, "failed");
    expect(task.attempts).toBe(5);
    expect(task.error).toContain("suggestions service is unreachable");
    const dead = await waitFor(async () => (await rabbit.takeAll(worker.names.deadLetterQueue)).at(0));
    expect(dead.properties.messageId).toBe(accepted.task_id);
    expect(dead.properties.headers?.["case-id"]).toBe("case-doomed");
    const retries = worker.logs().filter((line) => line.task_id === accepted.task_id && line.outcome === "retry");
    expect(retries.map((line) => line.attempt)).toEqual([1, 2, 3, 4]);
    expect(await rabbit.depth(worker.names.queue)).toBe(0);
  });
});

describe("a worker whose SMTP server is down for the first attempts", () => {
  const smtpPort = freePort();
  let setup: IsolatedWorker;
  let catcher: MailCatcher | undefined;
  beforeAll(async () => {
    setup = await startIsolatedWorker({ smtpUrl: `smtp://127.0.0.1:${smtpPort}`, env: { RETRY_BASE_MS: "200" } });
  });
  afterAll(async () => {
    await setup.tearDown();
    await catcher?.close();
  });

  test("keeps the task queued with the SMTP error, then finishes it once the server is back, mailing each attendee once", async () => {
    const { worker } = setup;
    const accepted = await worker.post({ users: trio, title: "Patience", notify: true }, await setup.bearer());
    const waiting = await waitFor(async () => {
      const task = await worker.task(accepted.task_id);
      return task.attempts >= 2 && task.status === "queued" ? task : null;
    });
    expect(waiting.error).toBe("The mail server could not be reached");
    const health = await worker.health();
    expect(health.status).toBe("degraded");
    expect(health.dependencies).toMatchObject({ smtp: { status: "down" }, rabbitmq: { status: "up" }, postgres: { status: "up" } });
    catcher = await startMailCatcher(smtpPort);
    const task = await worker.waitForStatus(accepted.task_id, "done");
    expect(task.attempts).toBeGreaterThanOrEqual(3);
    expect(task.error).toBeUndefined();
    for (const email of trio) expect(catcher.mailsTo(email)).toHaveLength(1);
  });
});

describe("a worker whose users service cannot be reached when invitations are due", () => {
  const usersPort = freePort();
  let setup: IsolatedWorker;
  let catcher: MailCatcher;
  let users: UsersStub | undefined;
  beforeAll(async () => {
    catcher = await startMailCatcher();
    setup = await startIsolatedWorker({ usersUrl: `http://127.0.0.1:${usersPort}`, smtpUrl: catcher.url, env: { RETRY_BASE_MS: "200" } });
  });
  afterAll(async () => {
    await setup.tearDown();
    await users?.stop();
    await catcher.close();
  });

  test("mails no one while it cannot tell who is verified, retries, and once it answers mails each verified attendee once", async () => {
    const { worker } = setup;
    const accepted = await worker.post({ users: trio, title: "Unproven yet", notify: true }, await setup.bearer());
    const waiting = await waitFor(async () => {
      const task = await worker.task(accepted.task_id);
      return task.attempts >= 2 && task.status === "queued" ? task : null;
    });
    expect(waiting.error).toBe("The users service is unreachable");
    expect(catcher.mails).toHaveLength(0);
    expect((await worker.health()).dependencies.users).toMatchObject({ status: "down", required: false });

    users = startUsersStub({ port: usersPort });
    users.unverify("alan@example.com");
    const task = await worker.waitForStatus(accepted.task_id, "done");
    expect(task.result?.not_notified).toEqual(["alan@example.com"]);
    expect(task.error).toBeUndefined();
    for (const email of ["ada@example.com", "grace@example.com"]) expect(catcher.mailsTo(email)).toHaveLength(1);
    expect(catcher.mailsTo("alan@example.com")).toHaveLength(0);
  });
});

describe("a worker whose mail server refuses an attendee for a while", () => {
  let setup: IsolatedWorker;
  let catcher: MailCatcher;
  beforeAll(async () => {
    catcher = await startMailCatcher();
    setup = await startIsolatedWorker({ smtpUrl: catcher.url, env: { RETRY_BASE_MS: "200" } });
  });
  afterAll(async () => {
    await setup.tearDown();
    await catcher.close();
  });

  test("keeps to the recipients it chose on the first attempt, whatever the users service says later", async () => {
    const { worker, users } = setup;
    users.unverify("alan@example.com");
    catcher.refuse("grace@example.com");
    const accepted = await worker.post({ users: trio, title: "Stable", notify: true }, await setup.bearer());
    await waitFor(
      async () => (await worker.task(accepted.task_id)).error?.includes("refused") && catcher.mailsTo("ada@example.com").length === 1,
    );
    // Alan proves his address meanwhile: this task's recipients were already chosen.
    users.reset();
    catcher.accept("grace@example.com");
    const task = await worker.waitForStatus(accepted.task_id, "done");
    expect(task.attempts).toBeGreaterThanOrEqual(2);
    expect(task.result?.not_notified).toEqual(["alan@example.com"]);
    for (const email of ["ada@example.com", "grace@example.com"]) expect(catcher.mailsTo(email)).toHaveLength(1);
    expect(catcher.mailsTo("alan@example.com")).toHaveLength(0);
    expect(users.calls).toHaveLength(1);
  });
});

describe("a task that names its start (at)", () => {
  let setup: IsolatedWorker;
  beforeAll(async () => {
    setup = await startIsolatedWorker();
  });
  afterAll(() => setup.tearDown());

  test("asks the suggestions service about that start only, and books the meeting it answers", async () => {
    const { worker, stub } = setup;
    const at = "2026-11-25T10:00:00Z";
    const accepted = await worker.post({ users: trio, at, tz: "Europe/Berlin" });
    const task = await worker.waitForStatus(accepted.task_id, "done");
    expect(Date.parse(task.result!.suggestion.start)).toBe(Date.parse(at));
    const asked = stub.requests.find((request) => request.query.get("users") === trio.join(","))!.query;
    expect(asked.get("at")).toBe(new Date(at).toISOString());
    expect(asked.has("from") || asked.has("days")).toBe(false);
    expect(task.at).toBe(new Date(at).toISOString());
  });

  test("ends no_slot when the meeting starting then does not fit", async () => {
    const { worker, stub } = setup;
    stub.answerWith(() => ({ status: 200, body: { suggestions: [] } }));
    const accepted = await worker.post({ users: trio, at: "2026-11-25T11:00:00Z" });
    expect((await worker.waitForStatus(accepted.task_id, "no_slot")).result).toBeUndefined();
  });
});
