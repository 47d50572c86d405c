import { migrate } from "@w2meet/kit/migrations";
import { createSql } from "@w2meet/kit/postgres";
import { createTestDatabase } from "@w2meet/testing";

const MIGRATIONS = new URL("../migrations", import.meta.url).pathname;

/** A fresh database with the worker's tables, for one test file; `drop()` removes it. */
export async function createWorkerDatabase() {
  const database = await createTestDatabase("w2meet_worker_test");
  const sql = createSql(database.url, { max: 4 });
  await migrate(sql, { service: "worker", dir: MIGRATIONS });
  return {
    url: database.url,
    sql,
    /** Counts the rows of the worker's tables. */
    async counts() {
      const [row] = await sql<{ tasks: number; outbox: number; mails: number }[]>`
        select (select count(*)::int from tasks) as tasks, (select count(*)::int from outbox) as outbox,
               (select count(*)::int from task_mails) as mails`;
      return row!;
    },
    async drop() {
      await sql.end({ timeout: 1 });
      await database.drop();
    },
  };
}
export type WorkerDatabase = Awaited<ReturnType<typeof createWorkerDatabase>>;
