import { Type } from "@sinclair/typebox";
import { brokerSettings } from "@w2meet/broker";
import {
  authSettings,
  commonSettings,
  databaseSettings,
  listSetting,
  loadConfig,
  portSetting,
  timeoutSetting,
  urlSetting,
} from "@w2meet/kit";

/** Settings of the users service, read once from the environment. */
export const UsersConfig = Type.Object({
  PORT: portSetting(3001),
  ...databaseSettings("w2meet_users"),
  DATABASE_POOL_SIZE: Type.Integer({ minimum: 1, maximum: 100, default: 10 }),
  DATABASE_TIMEOUT_MS: timeoutSetting(1500, "Longest a request waits for Postgres (and a statement runs) before a 503"),
  REDIS_URL: urlSetting(["redis", "rediss"], "redis://127.0.0.1:6379"),
  CACHE_TTL_SECONDS: Type.Integer({ minimum: 1, maximum: 86_400, default: 300 }),
  CACHE_PREFIX: Type.String({ default: "w2meet:", maxLength: 64 }),
  JWT_ISSUER: authSettings.JWT_ISSUER,
  JWT_AUDIENCE: authSettings.JWT_AUDIENCE,
  JWT_PRIVATE_KEY: Type.String({
    default: "",
    description: "The Ed25519 private key that signs tokens, as a JWK in JSON with its kid; empty: a development key in JWT_KEY_FILE",
  }),
  JWT_PREVIOUS_PUBLIC_KEYS: Type.String({
    default: "[]",
    description: "A JSON array of public Ed25519 JWKs still accepted and published (the keys before a rotation)",
  }),
  JWT_KEY_FILE: Type.String({
    minLength: 1,
    default: ".w2meet/jwt-signing-key.json",
    description: "Where the development key is kept when JWT_PRIVATE_KEY is empty (made on first start, mode 0600)",
  }),
  TOKEN_TTL_SECONDS: Type.Integer({ minimum: 1, maximum: 900, default: 900, description: "Lifetime of an access token" }),
  ADMIN_EMAILS: Type.String({ default: "", description: "Comma-separated emails whose tokens carry the admin role" }),
  LOGIN_MAX_FAILURES: Type.Integer({ minimum: 1, maximum: 1000, default: 5, description: "Failed logins per email per window" }),
  LOGIN_MAX_FAILURES_PER_IP: Type.Integer({
    minimum: 1,
    maximum: 100_000,
    default: 20,
    description: "Failed logins per client IP per window",
  }),
  LOGIN_WINDOW_SECONDS: Type.Integer({ minimum: 1, maximum: 86_400, default: 900, description: "The window failed logins are counted in" }),
  WORKER_URL: urlSetting(["http", "https"], "http://127.0.0.1:3004", "Base URL of the worker service, which mails verification codes"),
  WORKER_TIMEOUT_MS: timeoutSetting(2000, "Timeout of a call to the worker (longer than its DATABASE_TIMEOUT_MS)"),
  // Where person.changed events go (the worker re-checks bookings on them); writes never wait for it.
  ...brokerSettings,
  ...commonSettings,
});

export const loadUsersConfig = (env?: Record<string, string | undefined>) => loadConfig(UsersConfig, env);
export type UsersConfig = ReturnType<typeof loadUsersConfig>;

/** The lower-cased emails whose tokens carry the admin role. */
export const adminEmailsOf = (config: UsersConfig) => new Set(listSetting(config.ADMIN_EMAILS).map((email) => email.toLowerCase()));
