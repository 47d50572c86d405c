import { afterAll, beforeAll, beforeEach } from "bun:test";
import { createLogger, createServiceClient } from "@w2meet/kit";
import { jsonRequest, startMailCatcher, startTestIssuer, TEST_AMQP_URL } from "@w2meet/testing";
import { buildWorkerApp } from "../src/app.ts";
import { loadWorkerConfig } from "../src/config.ts";
import { createMailer } from "../src/invite/mail.ts";
import { createBroker } from "@w2meet/broker";
import { createWorkerDatabase } from "./database.ts";
import { startUsersStub } from "./users-stub.ts";

/**
 * The worker's HTTP side alone, for route tests: its own database, a real SMTP server, a stand-in
 * users service (its keys and its address check), and a broker that is never started (RabbitMQ not
 * connected, which accepting work must not care about).
 */
export async function startHttpApp() {
  const logger = createLogger({ service: "worker", level: "error" });
  const db = await createWorkerDatabase();
  const catcher = await startMailCatcher();
  const issuer = await startTestIssuer();
  const usersStub = startUsersStub();
  const config = loadWorkerConfig({
    DATABASE_URL: db.url,
    SMTP_URL: catcher.url,
    PUBLIC_URL: "https://meet.example",
    JWKS_URL: issuer.jwksUrl,
    USERS_URL: usersStub.url,
  });
  const broker = createBroker({ url: TEST_AMQP_URL, logger, declare: async () => {} });
  const mailer = createMailer({ url: catcher.url, from: config.MAIL_FROM, timeoutMs: 2000 });
  const users = createServiceClient({ name: "users", baseUrl: config.USERS_URL, timeoutMs: 1000 });
  const app = buildWorkerApp(config, { sql: db.sql, broker, mailer, users, logger });
  return {
    app,
    db,
    logger,
    issuer,
    /** An Authorization header with a token for `email` (a person's, unless a role is given). */
    bearer: async (email: string, options?: Parameters<typeof issuer.token>[1]) => ({
      authorization: `Bearer ${await issuer.token(email, options)}`,
    }),
    post: (body: unknown, headers: Record<string, string> = {}) => app.handle(jsonRequest("POST", "/tasks", body, headers)),
    async close() {
      mailer.close();
      await catcher.close();
      await issuer.stop();
      await usersStub.stop();
      await db.drop();
    },
  };
}
export type HttpApp = Awaited<ReturnType<typeof startHttpApp>>;

/** The worker's HTTP side for one test file: started before its tests, its tasks and mails emptied before each, closed after. */
export function useHttpApp(started: (http: HttpApp) => void) {
  let http: HttpApp;
  beforeAll(async () => {
    http = await startHttpApp();
    started(http);
  });
  afterAll(() => http.close());
  beforeEach(async () => {
    await http.db.sql`truncate tasks, verification_mails cascade`;
  });
}
