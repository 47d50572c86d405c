import {
  freePort,
  openRabbit,
  startMailCatcher,
  startService,
  TEST_AMQP_URL,
  TEST_REDIS_URL,
  uniquePrefix,
  waitFor,
  type MailCatcher,
  type RunningService,
} from "@w2meet/testing";
import { expect } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { retryDelays } from "../apps/worker/src/config.ts";
import { queueNames } from "../apps/worker/src/queue/topology.ts";
import { createWorkerDatabase } from "../apps/worker/test/database.ts";
import { startWorkerProcess, type WorkerProcess } from "../apps/worker/test/worker-process.ts";

const entry = (app: string) => new URL(`../apps/${app}/src/index.ts`, import.meta.url).pathname;
const PASSWORD = "analytical engine";

/**
 * The whole system but the gateway, as real processes: worker → suggestions → availability → users;
 * users → worker for the codes that prove addresses, and users → RabbitMQ → worker for people's changes.
 * Everything under one queue prefix of its own, an SMTP catcher for the mails; users and worker share
 * one database (each owns its own tables). `stop` removes it all.
 */
export async function startSystem(what: string) {
  const prefix = uniquePrefix(what);
  const db = await createWorkerDatabase();
  const catcher: MailCatcher = await startMailCatcher();
  const keyFolder = await mkdtemp(join(tmpdir(), `w2meet-${what}-`));
  // Users and worker call each other, so each is given the other's port before either starts.
  const ports = { users: freePort(), worker: freePort() };
  const usersUrl = `http://127.0.0.1:${ports.users}`;
  const usersEnv = {
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    CACHE_PREFIX: `${prefix}:`,
    JWT_KEY_FILE: join(keyFolder, "jwt-signing-key.json"),
    WORKER_URL: `http://127.0.0.1:${ports.worker}`,
    AMQP_URL: TEST_AMQP_URL,
    QUEUE_PREFIX: prefix,
    OUTBOX_POLL_MS: "100",
  };
  let users: RunningService = await startService(entry("users"), usersEnv, ports.users);
  const availability = await startService(entry("availability"), { USERS_URL: users.url });
  const suggestions = await startService(entry("suggestions"), { AVAILABILITY_URL: availability.url, LOG_LEVEL: "info" });
  const worker: WorkerProcess = await startWorkerProcess(
    {
      DATABASE_URL: db.url,
      AMQP_URL: TEST_AMQP_URL,
      QUEUE_PREFIX: prefix,
      SUGGESTIONS_URL: suggestions.url,
      USERS_URL: usersUrl,
      JWKS_URL: `${usersUrl}/auth/jwks.json`,
      SMTP_URL: catcher.url,
      MAIL_FROM: "W2Meet <invites@w2meet.example>",
    },
    ports.worker,
  );

  const send = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${users.url}${path}`, {
      method,
      headers: { "content-type": "application/json", ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  return {
    prefix,
    db,
    catcher,
    availability,
    suggestions,
    worker,
    /** The users process running now (see `restartUsers`). */
    users: () => users,
    /** A request to the users service. */
    send,
    post: (path: string, body: unknown) => send("POST", path, body),
    /**
     * Stops the users process (SIGKILL with `kill`, else SIGTERM) and starts it again on the same port,
     * with `env` over its settings.
     */
    async restartUsers(env: Record<string, string> = {}, { kill = false } = {}) {
      if (kill) {
        users.process.kill("SIGKILL");
        await users.process.exited;
      } else await users.stop();
      users = await startService(entry("users"), { ...usersEnv, ...env }, ports.users);
      return users;
    },
    /** Registers a person with a password; unless told otherwise, proves the address with the mailed code. */
    async register(email: string, availabilities: Record<string, (number | string)[]>, { verified = true } = {}) {
      const response = await send("POST", "/users", {
        email,
        name: email.split("@")[0],
        availabilities,
        preference: "first",
        password: PASSWORD,
      });
      expect(response.status).toBe(201);
      if (!verified) return;
      const address = email.toLowerCase();
      expect((await send("POST", "/auth/verify-email", { email })).status).toBe(202);
      const mail = await waitFor(() => catcher.mailsTo(address).find((m) => m.subject === "Your W2Meet verification code"), {
        what: `the code mailed to ${address}`,
      });
      const code = String(mail.text).match(/code is (\d{6})/)![1];
      expect(await (await send("POST", "/auth/verify-email/confirm", { email, code })).json()).toMatchObject({ email_verified: true });
    },
    /** The Authorization header of a registered person, from POST /auth/token. */
    async loggedIn(email: string) {
      const token = (await (await send("POST", "/auth/token", { email, password: PASSWORD })).json()) as { access_token: string };
      return { authorization: `Bearer ${token.access_token}` };
    },
    async stop() {
      await Promise.all([worker.stop(), suggestions.stop(), availability.stop(), users.stop()]);
      const rabbit = await openRabbit();
      await rabbit.removeTopology(queueNames(prefix), retryDelays({ RETRY_BASE_MS: 100, MAX_ATTEMPTS: 5 }));
      await rabbit.close();
      await catcher.close();
      await db.drop();
      await rm(keyFolder, { recursive: true, force: true });
    },
  };
}
export type System = Awaited<ReturnType<typeof startSystem>>;
