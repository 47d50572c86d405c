import { Type } from "@sinclair/typebox";
import { commonSettings, databaseSettings, loadConfig, portSetting, timeoutSetting, urlSetting } from "@w2meet/kit";

/** Settings of the users service, read once from the environment. */
export const UsersConfig = Type.Object({
  PORT: portSetting(3001),
  ...databaseSettings("w2meet_users"),
  DATABASE_POOL_SIZE: Type.Integer({ minimum: 1, maximum: 100, default: 10 }),
  DATABASE_TIMEOUT_MS: timeoutSetting(1500, "Longest a request waits for Postgres (and a statement runs) before a 503"),
  REDIS_URL: urlSetting(["redis", "rediss"], "redis://127.0.0.1:6379"),
  CACHE_TTL_SECONDS: Type.Integer({ minimum: 1, maximum: 86_400, default: 300 }),
  CACHE_PREFIX: Type.String({ default: "w2meet:", maxLength: 64 }),
  ...commonSettings,
});

export const loadUsersConfig = (env?: Record<string, string | undefined>) => loadConfig(UsersConfig, env);
export type UsersConfig = ReturnType<typeof loadUsersConfig>;
