import { type TObject, type TProperties, type Static, Type } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { LOG_LEVELS, type LogLevel } from "./logger.ts";

/** Thrown when an environment variable is malformed; names the variable. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
    value: unknown,
  ) {
    super(`Invalid setting ${variable}=${JSON.stringify(value)}: ${reason}`);
    this.name = "ConfigError";
  }
}

/** A URL setting with a scheme check, e.g. `urlSetting(["redis", "rediss"], "redis://127.0.0.1:6379")`. */
export const urlSetting = (schemes: string[], fallback: string, description?: string) =>
  Type.String({
    pattern: `^(${schemes.join("|")})://[^\\s]+$`,
    default: fallback,
    description: description ?? `A ${schemes[0]}:// URL`,
  });

/**
 * The Postgres settings of a service that owns a database: its own role and database (`role`, natively
 * on the local server), the administrative connection that creates them at start-up if missing, and
 * whether it migrates at start-up at all.
 */
export const databaseSettings = (role: string) => ({
  DATABASE_URL: urlSetting(
    ["postgres", "postgresql"],
    `postgres://${role}@127.0.0.1:5432/${role}`,
    "The service's own database, as its own role (created if missing when DATABASE_ADMIN_URL is set)",
  ),
  DATABASE_ADMIN_URL: Type.String({
    pattern: "^((postgres|postgresql)://[^\\s]+)?$",
    default: "postgres://postgres@127.0.0.1:5432/postgres",
    emptyIsValue: true,
    description: "Used at start-up only, to create DATABASE_URL's role and database if missing; empty: create nothing (the operator did)",
  }),
  MIGRATE_ON_START: Type.Boolean({
    default: true,
    description: "Apply the migrations at start-up; false: only check they are applied (a release's migration Job applies them)",
  }),
});

export const portSetting = (fallback: number) =>
  Type.Integer({ minimum: 1, maximum: 65535, default: fallback, description: "TCP port to listen on" });

/** How long a service may wait for something before answering 503; a caller's wait must be longer than its callee's. */
export const timeoutSetting = (fallback: number, description: string) =>
  Type.Integer({ minimum: 50, maximum: 60_000, default: fallback, description });

/** Settings every service reads. */
export const commonSettings = {
  HOST: Type.String({
    minLength: 1,
    pattern: "^[^\\s/]+$",
    default: "0.0.0.0",
    description: "Address to listen on; e.g. 127.0.0.2 to run several replicas natively on one port",
  }),
  LOG_LEVEL: Type.Union(
    LOG_LEVELS.map((l) => Type.Literal(l)),
    { default: "info" as LogLevel },
  ),
  CORS_ORIGINS: Type.String({ default: "", description: "Comma-separated allowed origins; none by default" }),
  CORS_ALLOW_CREDENTIALS: Type.Boolean({
    default: false,
    description: "Let the allowed origins send credentials (cookies, Authorization)",
  }),
  SHUTDOWN_TIMEOUT_MS: Type.Integer({ minimum: 0, maximum: 120_000, default: 10_000 }),
};

/**
 * Reads the settings a schema names from the environment, converts and defaults them, checks them once
 * and freezes the result. An empty variable counts as unset (its default applies), except for a setting
 * marked `emptyIsValue`. A malformed value throws a ConfigError naming the variable.
 */
export function loadConfig<P extends TProperties>(
  schema: TObject<P>,
  env: Record<string, string | undefined> = process.env,
): Readonly<Static<TObject<P>>> {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(schema.properties)) {
    const value = env[key];
    // An empty value means "the default", unless the setting gives empty a meaning of its own.
    const emptyIsValue = (schema.properties[key] as { emptyIsValue?: boolean }).emptyIsValue === true;
    if (value !== undefined && (value !== "" || emptyIsValue)) raw[key] = value;
  }
  const value = Value.Default(schema, Value.Convert(schema, raw));
  const first = Value.Errors(schema, value).First();
  if (first) {
    const variable = first.path.split("/")[1] ?? "(unknown)";
    throw new ConfigError(variable, first.message, raw[variable]);
  }
  return Object.freeze(value as Static<TObject<P>>);
}

/** Splits a comma-separated setting into its trimmed, non-empty parts. */
export const listSetting = (value: string) =>
  value
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);

/** The CORS policy the common settings describe, for `createService({ cors })`. */
export const corsOf = (config: { CORS_ORIGINS: string; CORS_ALLOW_CREDENTIALS: boolean }) => ({
  origins: listSetting(config.CORS_ORIGINS),
  credentials: config.CORS_ALLOW_CREDENTIALS,
});
