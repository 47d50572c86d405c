import type { Health, Problem, Task, TaskAccepted } from "@w2meet/contracts";
import { createSql } from "@w2meet/kit/postgres";
import { createServiceClient } from "@w2meet/kit";
import { closedPortUrl, jsonRequest, startTcpProxy, startTestIssuer, waitFor, bodyOf, TEST_AMQP_URL } from "@w2meet/testing";
import { describe, expect, test } from "bun:test";
import { type HttpApp, useHttpApp } from "../../test/http-app.ts";
import { buildWorkerApp } from "../app.ts";
import { loadWorkerConfig } from "../config.ts";
import { createMailer } from "../invite/mail.ts";
import { createBroker } from "@w2meet/broker";

let http: HttpApp;
useHttpApp((started) => {
  http = started;
});

const accept = async (body: unknown, headers: Record<string, string> = {}) => bodyOf<TaskAccepted>(await http.post(body, headers));
const pair = { users: ["ada@example.com", "grace@example.com"] };

const closedUsers = () => createServiceClient({ name: "users", baseUrl: closedPortUrl("http"), timeoutMs: 500 });

describe("POST /tasks", () => {
  test("accepts a task with 202 and stores it queued with its outbox message in one go", async () => {
    const response = await http.post(
      { ...pair, preference: "last", duration: 120, title: "Review", notify: true },
      { "case-id": "case-post-1", ...(await http.bearer("ada@example.com")) },
    );
    expect(response.status).toBe(202);
    expect(response.headers.get("case-id")).toBe("case-post-1");
    const body = await bodyOf<TaskAccepted>(response);
    expect(body).toEqual({ task_id: expect.any(String), status: "queued", status_url: `https://meet.example/api/tasks/${body.task_id}` });
    expect(response.headers.get("location")).toBe(body.status_url);
    const [task] = await http.db
      .sql`select status, users, preference, duration, title, notify, organizer, case_id from tasks where id = ${body.task_id}`;
    expect(task).toEqual({
      status: "queued",
      users: pair.users,
      preference: "last",
      duration: 120,
      title: "Review",
      notify: true,
      organizer: "ada@example.com",
      case_id: "case-post-1",
    });
    const outbox = await http.db.sql`select task_id, case_id, message, sent_at from outbox`;
    expect([...outbox]).toEqual([{ task_id: body.task_id, case_id: "case-post-1", message: { task_id: body.task_id }, sent_at: null }]);
  });

  test("lower-cases and de-duplicates the attendees, keeping the order first named", async () => {
    const { task_id } = await accept({ users: ["Grace@Example.com", "ada@example.com", "grace@example.com"] });
    const [task] = await http.db.sql`select users from tasks where id = ${task_id}`;
    expect(task!.users).toEqual(["grace@example.com", "ada@example.com"]);
  });

  test("accepts the seed system's userId1 and userId2", async () => {
    const response = await http.post({ userId1: "ada@example.com", userId2: "grace@example.com" });
    expect(response.status).toBe(202);
    const [task] = await http.db.sql`select users from tasks`;
    expect(task!.users).toEqual(pair.users);
  });

  test("defaults to one hour, no mails, a generic title and the users' own preferences", async () => {
    const { task_id } = await accept(pair);
    const [task] = await http.db.sql`select preference, duration, title, notify from tasks where id = ${task_id}`;
    expect(task).toEqual({ preference: null, duration: 60, title: "W2Meet meeting", notify: false });
  });

  test("stores from, days and tz as given (the zone in its own spelling), and nothing for the parts not given", async () => {
    const from = `${new Date().toISOString().slice(0, 10)}T14:00:00+05:30`;
    const given = await accept({ ...pair, from: ` ${from} `, days: 14, tz: "asia/kolkata", duration: 45 });
    const bare = await accept(pair);
    const stored = async (taskId: string) =>
      (await http.db.sql`select window_from, window_days, time_zone, duration from tasks where id = ${taskId}`)[0];
    expect(await stored(given.task_id)).toEqual({ window_from: from, window_days: 14, time_zone: "Asia/Kolkata", duration: 45 });
    expect(await stored(bare.task_id)).toEqual({ window_from: null, window_days: null, time_zone: null, duration: 60 });
  });

  test("stores at as the instant it names, in UTC, read in tz when it has no offset, and shows it on the task", async () => {
    const day = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const local = await accept({ ...pair, at: `${day}T09:45`, tz: "Asia/Kolkata" });
    const offset = await accept({ ...pair, at: `${day}T10:00:00+01:00` });
    const stored = async (taskId: string) =>
      (await http.db.sql`select book_at, window_from, window_days from tasks where id = ${taskId}`)[0];
    expect(await stored(local.task_id)).toEqual({ book_at: new Date(`${day}T04:15:00Z`), window_from: null, window_days: null });
    expect(await stored(offset.task_id)).toEqual({ book_at: new Date(`${day}T09:00:00Z`), window_from: null, window_days: null });
    const task = await bodyOf<Task>(await http.app.handle(jsonRequest("GET", `/tasks/${local.task_id}`)));
    expect(task.at).toBe(`${day}T04:15:00.000Z`);
    const plain = await bodyOf<Task>(await http.app.handle(jsonRequest("GET", `/tasks/${(await accept(pair)).task_id}`)));
    expect(plain).not.toHaveProperty("at");
  });

  test("hashes at only when given: the same key with another at, or none, is a 409", async () => {
    const at = `${new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)}T09:00:00Z`;
    const first = await accept({ ...pair, at }, { "idempotency-key": "order-at" });
    expect((await accept({ ...pair, at }, { "idempotency-key": "order-at" })).task_id).toBe(first.task_id);
    for (const other of [pair, { ...pair, at: at.replace("09:00", "09:15") }]) {
      expect((await http.post(other, { "idempotency-key": "order-at" })).status).toBe(409);
    }
  });

  test("answers the same task for the same Idempotency-Key and writes it once", async () => {
    const first = await accept(pair, { "idempotency-key": "order-42" });
    const again = await http.post(pair, { "idempotency-key": "order-42" });
    expect(again.status).toBe(202);
    expect((await bodyOf<TaskAccepted>(again)).task_id).toBe(first.task_id);
    expect(await http.db.counts()).toMatchObject({ tasks: 1, outbox: 1 });
  });

  test("answers the same task once for concurrent requests with one Idempotency-Key", async () => {
    const answers = await Promise.all(Array.from({ length: 8 }, () => accept(pair, { "idempotency-key": "burst" })));
    expect(new Set(answers.map((answer) => answer.task_id)).size).toBe(1);
    expect(await http.db.counts()).toMatchObject({ tasks: 1, outbox: 1 });
  });

  test("refuses with 409 an Idempotency-Key used before for a different request", async () => {
    await http.post(pair, { "idempotency-key": "order-43" });
    const response = await http.post({ ...pair, duration: 120 }, { "idempotency-key": "order-43" });
    expect(response.status).toBe(409);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    expect(await http.db.counts()).toMatchObject({ tasks: 1, outbox: 1 });
  });

  test("hashes a request without from, days or tz as it always did, so a key used before keeps its meaning", async () => {
    await http.post({ ...pair, title: "Sync" }, { "idempotency-key": "order-44" });
    const [row] = await http.db.sql`select request_hash from tasks`;
    const asBefore = { users: pair.users, preference: null, duration: 60, title: "Sync", notify: false };
    expect(row!.request_hash).toBe(new Bun.CryptoHasher("sha256").update(JSON.stringify(asBefore)).digest("hex"));
  });

  test("answers the same task for a key repeated with the same window, and 409 for one with another window", async () => {
    const from = new Date().toISOString().slice(0, 10);
    const first = await accept({ ...pair, from, tz: "Europe/Berlin" }, { "idempotency-key": "order-45" });
    const again = await accept({ ...pair, from, tz: "Europe/Berlin" }, { "idempotency-key": "order-45" });
    expect(again.task_id).toBe(first.task_id);
    for (const other of [pair, { ...pair, from }, { ...pair, from, tz: "Europe/Paris" }, { ...pair, from, tz: "Europe/Berlin", days: 3 }]) {
      expect((await http.post(other, { "idempotency-key": "order-45" })).status).toBe(409);
    }
    expect(await http.db.counts()).toMatchObject({ tasks: 1, outbox: 1 });
  });

  test("stores required people (joining the group) and min_attendees, and shows them on the task", async () => {
    const body = { users: ["ada@example.com"], required: ["Grace@Example.com", "alan@example.com", "grace@example.com"], min_attendees: 2 };
    const { task_id } = await accept(body);
    const [row] = await http.db.sql`select users, required, min_attendees from tasks where id = ${task_id}`;
    expect(row).toEqual({
      users: ["ada@example.com", "grace@example.com", "alan@example.com"],
      required: ["grace@example.com", "alan@example.com"],
      min_attendees: 2,
    });
    const task = await bodyOf<Task>(await http.app.handle(jsonRequest("GET", `/tasks/${task_id}`)));
    expect(task).toMatchObject({ users: row!.users, required: row!.required, min_attendees: 2, sequence: 0 });
    const plain = await bodyOf<Task>(await http.app.handle(jsonRequest("GET", `/tasks/${(await accept(pair)).task_id}`)));
    expect(plain).not.toHaveProperty("required");
    expect(plain).not.toHaveProperty("min_attendees");
  });

  test("hashes required and min_attendees only when given: the same key with them is another request", async () => {
    const first = await accept(pair, { "idempotency-key": "order-46" });
    expect((await accept(pair, { "idempotency-key": "order-46" })).task_id).toBe(first.task_id);
    for (const other of [
      { ...pair, required: ["ada@example.com"] },
      { ...pair, min_attendees: 2 },
    ]) {
      expect((await http.post(other, { "idempotency-key": "order-46" })).status).toBe(409);
    }
    const withRules = { ...pair, required: ["ada@example.com"], min_attendees: 2 };
    const ruled = await accept(withRules, { "idempotency-key": "order-47" });
    expect((await accept(withRules, { "idempotency-key": "order-47" })).task_id).toBe(ruled.task_id);
  });

  test("makes a new task for each request without an Idempotency-Key", async () => {
    await http.post(pair);
    await http.post(pair);
    expect(await http.db.counts()).toMatchObject({ tasks: 2, outbox: 2 });
  });
});

describe("POST /tasks and bearer tokens", () => {
  test("refuses a task with notify and no token with 401, and stores nothing", async () => {
    const response = await http.post({ ...pair, notify: true }, { "idempotency-key": "no-token" });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toStartWith("Bearer");
    const problem = await bodyOf<Problem>(response);
    expect(problem).toMatchObject({ status: 401, detail: "A task with notify needs a bearer token", case_id: expect.any(String) });
    expect(await http.db.counts()).toEqual({ tasks: 0, outbox: 0, mails: 0 });
  });

  test("accepts a task with notify and a token, and shows the token's email as its organizer", async () => {
    const accepted = await accept({ ...pair, notify: true }, await http.bearer("grace@example.com"));
    const task = await bodyOf<Task>(await http.app.handle(jsonRequest("GET", `/tasks/${accepted.task_id}`)));
    expect(task).toMatchObject({ task_id: accepted.task_id, notify: true, organizer: "grace@example.com" });
  });

  test("keeps tasks without notify open to requests without a token, with no organizer", async () => {
    const accepted = await accept(pair);
    const task = await bodyOf<Task>(await http.app.handle(jsonRequest("GET", `/tasks/${accepted.task_id}`)));
    expect(task).toMatchObject({ notify: false, organizer: null });
  });

  test("records the organizer of a task without notify when a token is given", async () => {
    const accepted = await accept(pair, await http.bearer("alan@example.com"));
    const task = await bodyOf<Task>(await http.app.handle(jsonRequest("GET", `/tasks/${accepted.task_id}`)));
    expect(task.organizer).toBe("alan@example.com");
  });

  test("refuses with 401 an expired token, a forged one, or one for another audience, with notify or without, and stores nothing", async () => {
    const forger = await startTestIssuer();
    try {
      const tokens = [
        await http.issuer.token("ada@example.com", { expiresIn: "-1m" }),
        await forger.token("ada@example.com"),
        await http.issuer.token("ada@example.com", { audience: "elsewhere" }),
      ];
      for (const token of tokens) {
        for (const notify of [true, false]) {
          const response = await http.post({ ...pair, notify }, { authorization: `Bearer ${token}` });
          expect(response.status).toBe(401);
          expect(response.headers.get("www-authenticate")).toContain('error="invalid_token"');
        }
      }
      expect(await http.db.counts()).toEqual({ tasks: 0, outbox: 0, mails: 0 });
    } finally {
      await forger.stop();
    }
  });

  test("refuses a token that does not verify on the task's other routes too", async () => {
    const { task_id } = await accept(pair);
    const expired = { authorization: `Bearer ${await http.issuer.token("ada@example.com", { expiresIn: "-1m" })}` };
    expect((await http.app.handle(jsonRequest("GET", `/tasks/${task_id}`, undefined, expired))).status).toBe(401);
    expect((await http.app.handle(jsonRequest("GET", `/tasks/${task_id}/invite.ics`, undefined, expired))).status).toBe(401);
  });

  test("answers the same task for an Idempotency-Key the same organizer repeats, and 409 for another organizer", async () => {
    const body = { ...pair, notify: true };
    const first = await accept(body, { "idempotency-key": "mine", ...(await http.bearer("ada@example.com")) });
    const again = await accept(body, { "idempotency-key": "mine", ...(await http.bearer("ada@example.com")) });
    expect(again.task_id).toBe(first.task_id);
    const other = await http.post(body, { "idempotency-key": "mine", ...(await http.bearer("grace@example.com")) });
    expect(other.status).toBe(409);
    expect(await http.db.counts()).toMatchObject({ tasks: 1, outbox: 1 });
  });
});

describe("GET /tasks/{task_id}", () => {
  test("answers a queued task with no attempts, no result and no error", async () => {
    const { task_id } = await accept({ ...pair, title: "Sync" });
    const response = await http.app.handle(jsonRequest("GET", `/tasks/${task_id}`));
    expect(response.status).toBe(200);
    const task = await bodyOf<Task>(response);
    expect(task).toEqual({
      task_id,
      status: "queued",
      attempts: 0,
      users: pair.users,
      duration: 60,
      title: "Sync",
      notify: false,
      organizer: null,
      sequence: 0,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect(new Date(task.created_at).toISOString()).toBe(task.created_at);
  });

  test("answers 404 for an unknown task", async () => {
    const response = await http.app.handle(jsonRequest("GET", `/tasks/${crypto.randomUUID()}`));
    expect(response.status).toBe(404);
  });

  test("answers 400 for a task id that is not a UUID", async () => {
    const response = await http.app.handle(jsonRequest("GET", "/tasks/42"));
    expect(response.status).toBe(400);
    expect((await bodyOf<Problem>(response)).errors?.[0]?.path).toBe("task_id");
  });
});

describe("GET /tasks/{task_id}/invite.ics", () => {
  test("answers 404 while the task is not done", async () => {
    const { task_id } = await accept(pair);
    const response = await http.app.handle(jsonRequest("GET", `/tasks/${task_id}/invite.ics`));
    expect(response.status).toBe(404);
    expect((await bodyOf<Problem>(response)).detail).toContain("status queued");
  });

  test("answers 404 for an unknown task", async () => {
    expect((await http.app.handle(jsonRequest("GET", `/tasks/${crypto.randomUUID()}/invite.ics`))).status).toBe(404);
  });
});

describe("GET /health", () => {
  test("is degraded, not unhealthy, while RabbitMQ is not connected, and reports SMTP, the users service and the outbox", async () => {
    const response = await http.app.handle(jsonRequest("GET", "/health"));
    expect(response.status).toBe(200);
    const health = await bodyOf<Health>(response);
    expect(health.status).toBe("degraded");
    expect(health.dependencies).toMatchObject({
      postgres: { status: "up", required: true },
      rabbitmq: { status: "down", required: false },
      smtp: { status: "up", required: false },
      users: { status: "up", required: false },
      outbox: { status: "up", required: false },
    });
  });

  test("is unhealthy with 503 when Postgres is down", async () => {
    const sql = createSql(closedPortUrl("postgres", "/w2meet"), { max: 1 });
    const broker = createBroker({ url: TEST_AMQP_URL, logger: http.logger, declare: async () => {} });
    const mailer = createMailer({ url: closedPortUrl("smtp"), from: "invites@w2meet.example", timeoutMs: 500 });
    const down = buildWorkerApp(loadWorkerConfig({}), { sql, broker, mailer, users: closedUsers(), logger: http.logger });
    try {
      const response = await down.handle(jsonRequest("GET", "/health"));
      expect(response.status).toBe(503);
      const health = await bodyOf<Health>(response);
      expect(health.status).toBe("unhealthy");
      expect(health.dependencies.smtp?.status).toBe("down");
      expect(health.dependencies.users).toMatchObject({ status: "down", required: false });
    } finally {
      mailer.close();
      await sql.end({ timeout: 1 });
    }
  });
});

describe("when Postgres goes silent (connections open, nothing flows)", () => {
  test("every task route answers 503 naming the database within its deadline, and a refused task is not stored later", async () => {
    const proxy = startTcpProxy(http.db.url);
    const throughProxy = new URL(http.db.url);
    throughProxy.port = new URL(proxy.url).port;
    const sql = createSql(throughProxy.toString(), { max: 2, timeoutMs: 300 });
    const broker = createBroker({ url: TEST_AMQP_URL, logger: http.logger, declare: async () => {} });
    const mailer = createMailer({ url: closedPortUrl("smtp"), from: "invites@w2meet.example", timeoutMs: 500 });
    const users = closedUsers();
    const app = buildWorkerApp(loadWorkerConfig({ DATABASE_TIMEOUT_MS: "300" }), { sql, broker, mailer, users, logger: http.logger });
    const { task_id } = await bodyOf<TaskAccepted>(await app.handle(jsonRequest("POST", "/tasks", pair)));
    try {
      proxy.blackhole();
      const calls = [
        jsonRequest("POST", "/tasks", { ...pair, title: "Never stored" }),
        jsonRequest("POST", "/tasks", { ...pair, title: "Never stored" }),
        jsonRequest("POST", "/tasks", { ...pair, title: "Never stored" }),
        jsonRequest("GET", `/tasks/${task_id}`),
        jsonRequest("GET", `/tasks/${task_id}/invite.ics`),
      ];
      const answers = await Promise.all(
        calls.map(async (request) => {
          const started = performance.now();
          const response = await app.handle(request);
          return { status: response.status, body: await bodyOf<Problem>(response), ms: performance.now() - started };
        }),
      );
      for (const answer of answers) {
        expect(answer.status).toBe(503);
        expect(answer.body.detail).toContain("worker database");
        expect(answer.ms).toBeLessThan(1500);
      }
      proxy.heal();
      await waitFor(async () => (await app.handle(jsonRequest("GET", `/tasks/${task_id}`))).status === 200, { what: "Postgres again" });
      expect((await http.db.sql`select title from tasks`).map((row) => row.title)).toEqual(["W2Meet meeting"]);
    } finally {
      mailer.close();
      // Gracefully, and before the proxy goes: destroying a connection still setting itself up after the
      // heal (postgres.js fetches array types on connect) rejects that internal query with no handler.
      await sql.end({ timeout: 5 });
      proxy.stop();
    }
  });
});

describe("GET /docs/json", () => {
  test("documents every task route from its schemas, the invitation included", async () => {
    const document = await bodyOf<{ paths: Record<string, { post?: { responses: object } }> }>(
      await http.app.handle(jsonRequest("GET", "/docs/json")),
    );
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(["/tasks/", "/tasks/{task_id}", "/tasks/{task_id}/invite.ics", "/health"]),
    );
    expect(Object.keys(document.paths["/tasks/"]!.post!.responses)).toEqual(expect.arrayContaining(["202", "400", "409"]));
  });

  test("declares that POST /tasks takes a bearer token, and its 401", async () => {
    type Operation = { security?: unknown; description?: string; responses: Record<string, unknown> };
    const document = await bodyOf<{
      paths: Record<string, { post?: Operation; get?: Operation }>;
      components: { securitySchemes: object };
    }>(await http.app.handle(jsonRequest("GET", "/docs/json")));
    const post = document.paths["/tasks/"]!.post!;
    expect(post.security).toEqual([{ bearerAuth: [] }]);
    expect(post.description).toContain("needed when `notify` is true");
    expect(post.responses["401"]).toBeDefined();
    expect(document.components.securitySchemes).toMatchObject({ bearerAuth: { type: "http", scheme: "bearer" } });
    expect(document.paths["/tasks/{task_id}"]!.get!.security).toBeUndefined();
  });
});
