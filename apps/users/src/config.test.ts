import { expect, test } from "bun:test";
import { loadUsersConfig } from "./config.ts";

test("defaults to a role and a database of the service's own, made through the local superuser", () => {
  expect(loadUsersConfig({})).toMatchObject({
    DATABASE_URL: "postgres://w2meet_users@127.0.0.1:5432/w2meet_users",
    DATABASE_ADMIN_URL: "postgres://postgres@127.0.0.1:5432/postgres",
  });
});

test("takes an empty DATABASE_ADMIN_URL (create nothing) and refuses one that is not a Postgres URL, naming it", () => {
  expect(loadUsersConfig({ DATABASE_ADMIN_URL: "" }).DATABASE_ADMIN_URL).toBe("");
  expect(() => loadUsersConfig({ DATABASE_ADMIN_URL: "mysql://db/postgres" })).toThrow("DATABASE_ADMIN_URL");
});
