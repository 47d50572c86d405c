import { expect, test } from "bun:test";
import { Type } from "@sinclair/typebox";
import { ConfigError, commonSettings, corsOf, databaseSettings, listSetting, loadConfig, portSetting, urlSetting } from "./config.ts";

const Settings = Type.Object({
  PORT: portSetting(3001),
  REDIS_URL: urlSetting(["redis"], "redis://127.0.0.1:6379"),
  ...commonSettings,
});

test("defaults every setting that is not given", () => {
  const config = loadConfig(Settings, {});
  expect(config).toMatchObject({ PORT: 3001, REDIS_URL: "redis://127.0.0.1:6379", LOG_LEVEL: "info", CORS_ORIGINS: "", HOST: "0.0.0.0" });
  expect(Object.isFrozen(config)).toBe(true);
});

test("converts numbers from the environment's text", () => {
  expect(loadConfig(Settings, { PORT: "8080" }).PORT).toBe(8080);
});

test("rejects a malformed setting with a message naming the variable", () => {
  for (const [variable, value] of [
    ["PORT", "eighty"],
    ["PORT", "70000"],
    ["REDIS_URL", "http://x"],
    ["LOG_LEVEL", "loud"],
    ["HOST", "not a host"],
  ] as const) {
    const attempt = () => loadConfig(Settings, { [variable]: value });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(variable);
  }
});

test("splits a comma-separated list setting", () => {
  expect(listSetting(" https://a.io, ,https://b.io ")).toEqual(["https://a.io", "https://b.io"]);
  expect(listSetting("")).toEqual([]);
});

test("reads the CORS settings: origins as a list, credentials off unless set", () => {
  expect(corsOf(loadConfig(Type.Object(commonSettings), { CORS_ORIGINS: "https://a.example, https://b.example" }))).toEqual({
    origins: ["https://a.example", "https://b.example"],
    credentials: false,
  });
  expect(corsOf(loadConfig(Type.Object(commonSettings), { CORS_ALLOW_CREDENTIALS: "true" })).credentials).toBe(true);
});

test("migrates at start-up unless MIGRATE_ON_START is false, and refuses a value that is not a boolean, naming it", () => {
  const Database = Type.Object(databaseSettings("w2meet_users"));
  expect(loadConfig(Database, {}).MIGRATE_ON_START).toBe(true);
  expect(loadConfig(Database, { MIGRATE_ON_START: "" }).MIGRATE_ON_START).toBe(true);
  expect(loadConfig(Database, { MIGRATE_ON_START: "false" }).MIGRATE_ON_START).toBe(false);
  expect(() => loadConfig(Database, { MIGRATE_ON_START: "later" })).toThrow("MIGRATE_ON_START");
});
