import { Task } from "@w2meet/contracts";
import { createLogger, createServiceClient } from "@w2meet/kit";
import { migrate } from "@w2meet/kit/migrations";
import { createSql } from "@w2meet/kit/postgres";
import { bodyOf, closedPortUrl, createTestDatabase, jsonRequest, TEST_AMQP_URL } from "@w2meet/testing";
import { Value } from "@sinclair/typebox/value";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFile, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildWorkerApp } from "../src/app.ts";
import { loadWorkerConfig } from "../src/config.ts";
import { createMailer } from "../src/invite/mail.ts";
import { createBroker } from "@w2meet/broker";

const MIGRATIONS = new URL("../migrations", import.meta.url).pathname;
const logger = createLogger({ service: "worker", level: "error" });
const users = ["ada@example.com", "grace@example.com"];

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let sql: ReturnType<typeof createSql>;
let before: string;

/** A task as the worker stored it before real time: its suggestion a weekday and whole hours in UTC. */
const weekly = (id: string, status: string, createdAt: string, suggestion: object) => sql`
  insert into tasks (id, status, users, duration, title, notify, request_hash, case_id, suggestion, invite, created_at)
  values (${id}, ${status}, ${users}, 120, 'Old', ${status === "running"}, 'hash', 'case-old',
          ${sql.json({ preference: "first", attendees: users, missing: [], ...suggestion })}, 'BEGIN:VCALENDAR', ${createdAt})`;

beforeAll(async () => {
  database = await createTestDatabase("w2meet_worker_test");
  sql = createSql(database.url, { max: 2 });
  // The worker's tables as they were before real time.
  before = await mkdtemp(join(tmpdir(), "w2meet-migrations-"));
  for (const file of await readdir(MIGRATIONS)) if (file < "0003") await copyFile(join(MIGRATIONS, file), join(before, file));
  await migrate(sql, { service: "worker", dir: before });
});

afterAll(async () => {
  await sql.end({ timeout: 1 });
  await database.drop();
  await rm(before, { recursive: true, force: true });
});

describe("tasks stored before real time", () => {
  test("keep the meeting they were invited to: the first occurrence of their weekday and hours in UTC after they were made", async () => {
    // 2025-01-08 was a Wednesday.
    await weekly("0191e7a4-0000-7000-8000-000000000001", "done", "2025-01-08T09:00:00Z", { day: "friday", slot: [14, 16] });
    await weekly("0191e7a4-0000-7000-8000-000000000002", "done", "2025-01-08T10:00:00Z", {
      day: "wednesday",
      slot: [10, 12],
      if_needed: [],
    });
    await weekly("0191e7a4-0000-7000-8000-000000000003", "running", "2025-01-12T23:30:00Z", { day: "sunday", slot: [22, 24] });
    expect((await migrate(sql, { service: "worker", dir: MIGRATIONS }))[0]).toBe("0003_time.sql");

    const rows = await sql<{ suggestion: object; starts_at: Date; ends_at: Date }[]>`
      select suggestion, starts_at, ends_at from tasks order by id`;
    expect(rows.map((row) => [row.starts_at.toISOString(), row.ends_at.toISOString()])).toEqual([
      ["2025-01-10T14:00:00.000Z", "2025-01-10T16:00:00.000Z"],
      // At its own hour the same weekday is a week later: booked strictly after the task was made.
      ["2025-01-15T10:00:00.000Z", "2025-01-15T12:00:00.000Z"],
      ["2025-01-19T22:00:00.000Z", "2025-01-20T00:00:00.000Z"],
    ]);
    expect(rows[2]!.suggestion).toEqual({
      date: "2025-01-19",
      day: "sunday",
      start: "2025-01-19T22:00:00Z",
      end: "2025-01-20T00:00:00Z",
      slot: [22, 24],
      preference: "first",
      attendees: users,
      missing: [],
    });
    expect(rows[1]!.suggestion).not.toHaveProperty("if_needed");

    const mailer = createMailer({ url: closedPortUrl("smtp"), from: "invites@w2meet.example", timeoutMs: 500 });
    const app = buildWorkerApp(loadWorkerConfig({ DATABASE_URL: database.url }), {
      sql,
      broker: createBroker({ url: TEST_AMQP_URL, logger, declare: async () => {} }),
      mailer,
      users: createServiceClient({ name: "users", baseUrl: closedPortUrl("http"), timeoutMs: 500 }),
      logger,
    });
    try {
      const response = await app.handle(jsonRequest("GET", "/tasks/0191e7a4-0000-7000-8000-000000000001"));
      expect(response.status).toBe(200);
      const task = await bodyOf<Task>(response);
      expect(Value.Check(Task, task)).toBe(true);
      expect(task.result?.suggestion).toMatchObject({ date: "2025-01-10", start: "2025-01-10T14:00:00Z", end: "2025-01-10T16:00:00Z" });
    } finally {
      mailer.close();
    }
  });

  test("allow quarter-hour durations from 15 minutes, and still refuse others", async () => {
    const insert = (duration: number) => sql`
      insert into tasks (id, users, duration, title, notify, request_hash, case_id)
      values (${Bun.randomUUIDv7()}, ${users}, ${duration}, 'Short', false, 'hash', 'case-short')`;
    await insert(15);
    await insert(45);
    await expect(insert(50)).rejects.toThrow("tasks_duration_check");
    await expect(insert(0)).rejects.toThrow("tasks_duration_check");
  });
});
