import { afterAll, beforeAll, beforeEach } from "bun:test";
import { createLogger } from "@w2meet/kit";
import { jsonRequest, startMailCatcher, TEST_AMQP_URL } from "@w2meet/testing";
import { buildWorkerApp } from "../src/app.ts";
import { loadWorkerConfig } from "../src/config.ts";
import { createMailer } from "../src/invite/mail.ts";
import { createBroker } from "../src/queue/connection.ts";
import { createWorkerDatabase } from "./database.ts";

/**
 * The worker's HTTP side alone, for route tests: its own database, a real SMTP server, and a broker
 * that is never started (RabbitMQ not connected, which accepting tasks must not care about).
 */
export async function startHttpApp() {
  const logger = createLogger({ service: "worker", level: "error" });
  const db = await createWorkerDatabase();
  const catcher = await startMailCatcher();
  const config = loadWorkerConfig({ DATABASE_URL: db.url, SMTP_URL: catcher.url, PUBLIC_URL: "https://meet.example" });
  const broker = createBroker({ url: TEST_AMQP_URL, logger, declare: async () => {} });
  const mailer = createMailer({ url: catcher.url, from: config.MAIL_FROM, timeoutMs: 2000 });
  const app = buildWorkerApp(config, { sql: db.sql, broker, mailer, logger });
  return {
    app,
    db,
    logger,
    post: (body: unknown, headers: Record<string, string> = {}) => app.handle(jsonRequest("POST", "/tasks", body, headers)),
    async close() {
      mailer.close();
      await catcher.close();
      await db.drop();
    },
  };
}
export type HttpApp = Awaited<ReturnType<typeof startHttpApp>>;

/** The worker's HTTP side for one test file: started before its tests, its tasks emptied before each, closed after. */
export function useHttpApp(started: (http: HttpApp) => void) {
  let http: HttpApp;
  beforeAll(async () => {
    http = await startHttpApp();
    started(http);
  });
  afterAll(() => http.close());
  beforeEach(async () => {
    await http.db.sql`truncate tasks cascade`;
  });
}
