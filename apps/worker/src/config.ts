import { Type } from "@sinclair/typebox";
import { brokerSettings } from "@w2meet/broker";
import {
  authSettings,
  commonSettings,
  databaseSettings,
  ConfigError,
  loadConfig,
  portSetting,
  timeoutSetting,
  urlSetting,
} from "@w2meet/kit";

/** Settings of the worker, read once from the environment. */
export const WorkerConfig = Type.Object({
  PORT: portSetting(3004),
  ...databaseSettings("w2meet_worker"),
  DATABASE_POOL_SIZE: Type.Integer({ minimum: 2, maximum: 100, default: 16 }),
  DATABASE_TIMEOUT_MS: timeoutSetting(1500, "Longest a request waits for Postgres (and a statement runs) before a 503"),
  ...brokerSettings,
  PREFETCH: Type.Integer({ minimum: 1, maximum: 1000, default: 8, description: "Unacknowledged messages per consumer" }),
  MAX_ATTEMPTS: Type.Integer({ minimum: 1, maximum: 20, default: 5 }),
  RETRY_BASE_MS: Type.Integer({
    minimum: 1,
    maximum: 3_600_000,
    default: 5000,
    description: "Delay before the second attempt; each later one waits twice as long",
  }),
  OUTBOX_STALE_SECONDS: Type.Number({
    minimum: 0,
    maximum: 86_400,
    default: 10,
    description: "An unsent outbox row older than this makes /health degraded",
  }),
  SMTP_URL: urlSetting(
    ["smtp", "smtps", "file"],
    "smtp://127.0.0.1:1025",
    "Where invitations are mailed: smtp:// or smtps:// (user:password@ for auth), or file:///folder to write them as .eml files",
  ),
  SMTP_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 600_000, default: 10_000 }),
  MAIL_FROM: Type.String({
    pattern: "^([^<>]*<[^<>@\\s]+@[^<>@\\s]+>|[^<>@\\s]+@[^<>@\\s]+)$",
    default: "W2Meet <invitations@w2meet.example>",
    description: "Sender and ORGANIZER of invitations: `Name <address>` or an address",
  }),
  SUGGESTIONS_URL: urlSetting(["http", "https"], "http://127.0.0.1:3003"),
  // Longer than suggestions' own wait for availability (2.5 s), so its answer, naming what failed, arrives first.
  SUGGESTIONS_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 60_000, default: 3000 }),
  USERS_URL: urlSetting(["http", "https"], "http://127.0.0.1:3001", "Base URL of the users service: which addresses are verified"),
  // Longer than the users service's own database deadline (1.5 s), so its 503 arrives before this gives up.
  USERS_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 60_000, default: 2000, description: "Longest wait for the users service" }),
  PUBLIC_URL: Type.String({
    pattern: "^(https?://[^\\s]+)?$",
    default: "",
    description: "Public origin of the gateway for status_url and invite_url; when empty, the origin the request came in at",
  }),
  ...commonSettings,
  ...authSettings,
});

/** Verification mails a worker handles at once (a low volume, kept apart from the tasks' PREFETCH). */
export const VERIFICATION_PREFETCH = 2;

/** Person changes a worker re-checks bookings for at once (each holds one connection, for one task at a time). */
export const PERSON_CHANGES_PREFETCH = 2;

/** Reads the worker's settings; a malformed one throws a ConfigError naming it. */
export function loadWorkerConfig(env?: Record<string, string | undefined>) {
  const config = loadConfig(WorkerConfig, env);
  // Each message in flight holds a database connection (its lock) until it is settled: the tasks', the
  // verification mails' and the person changes' together must leave one for the HTTP side.
  const limit = config.DATABASE_POOL_SIZE - VERIFICATION_PREFETCH - PERSON_CHANGES_PREFETCH;
  if (config.PREFETCH >= limit) {
    throw new ConfigError(
      "PREFETCH",
      `must be below DATABASE_POOL_SIZE (${config.DATABASE_POOL_SIZE}) less the ${VERIFICATION_PREFETCH} verification mails ` +
        `and ${PERSON_CHANGES_PREFETCH} person changes in flight`,
      config.PREFETCH,
    );
  }
  return config;
}
export type WorkerConfig = ReturnType<typeof loadWorkerConfig>;

/** How long a task waits after its attempt `attempt` (1-based) failed: the base delay, doubled each time. */
export const retryDelayMs = (config: Pick<WorkerConfig, "RETRY_BASE_MS">, attempt: number) => config.RETRY_BASE_MS * 2 ** (attempt - 1);

/** Every delay a retried task can wait, one delay queue each. */
export const retryDelays = (config: Pick<WorkerConfig, "RETRY_BASE_MS" | "MAX_ATTEMPTS">) =>
  Array.from({ length: Math.max(1, config.MAX_ATTEMPTS - 1) }, (_, i) => retryDelayMs(config, i + 1));
