import { expect, test } from "bun:test";
import { loadWorkerConfig, retryDelays } from "./config.ts";

test("defaults every setting to the local servers and the contract's values", () => {
  expect(loadWorkerConfig({})).toMatchObject({
    PORT: 3004,
    DATABASE_URL: "postgres://w2meet_worker@127.0.0.1:5432/w2meet_worker",
    DATABASE_ADMIN_URL: "postgres://postgres@127.0.0.1:5432/postgres",
    AMQP_URL: "amqp://guest:guest@127.0.0.1:5672",
    SMTP_URL: "smtp://127.0.0.1:1025",
    SUGGESTIONS_URL: "http://127.0.0.1:3003",
    USERS_URL: "http://127.0.0.1:3001",
    USERS_TIMEOUT_MS: 2000,
    JWKS_URL: "http://127.0.0.1:3001/auth/jwks.json",
    JWT_ISSUER: "w2meet-users",
    JWT_AUDIENCE: "w2meet",
    QUEUE_PREFIX: "w2meet",
    MAX_ATTEMPTS: 5,
    PUBLIC_URL: "",
  });
});

test.each([
  ["AMQP_URL", "rabbitmq:5672"],
  ["SMTP_URL", "http://mail.local"],
  ["DATABASE_URL", "mysql://db/w2meet"],
  ["DATABASE_ADMIN_URL", "db:5432/postgres"],
  ["SUGGESTIONS_URL", "suggestions:3003"],
  ["USERS_URL", "users:3001"],
  ["USERS_TIMEOUT_MS", "soon"],
  ["JWKS_URL", "not a url"],
  ["QUEUE_PREFIX", "has spaces"],
  ["PREFETCH", "0"],
  ["MAX_ATTEMPTS", "five"],
  ["RETRY_BASE_MS", "-1"],
  ["MAIL_FROM", "not a mailbox"],
  ["PUBLIC_URL", "gateway.local"],
  ["PORT", "70000"],
])("refuses a malformed %s, naming it", (variable, value) => {
  expect(() => loadWorkerConfig({ [variable]: value })).toThrow(variable);
});

test("takes an empty DATABASE_ADMIN_URL: create nothing at start-up", () => {
  expect(loadWorkerConfig({ DATABASE_ADMIN_URL: "" }).DATABASE_ADMIN_URL).toBe("");
});

test("refuses a prefetch that would take every database connection, the verification mails' and the person changes' included", () => {
  expect(() => loadWorkerConfig({ PREFETCH: "16", DATABASE_POOL_SIZE: "16" })).toThrow("PREFETCH");
  expect(() => loadWorkerConfig({ PREFETCH: "12", DATABASE_POOL_SIZE: "16" })).toThrow("PREFETCH");
  expect(loadWorkerConfig({ PREFETCH: "11", DATABASE_POOL_SIZE: "16" }).PREFETCH).toBe(11);
});

test("doubles the retry delay after each failed attempt, one delay per retry", () => {
  expect(retryDelays({ RETRY_BASE_MS: 5000, MAX_ATTEMPTS: 5 })).toEqual([5000, 10_000, 20_000, 40_000]);
});
