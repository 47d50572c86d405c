import { type TObject, type TProperties, type Static, Type } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { LOG_LEVELS, type LogLevel } from "./logger.ts";

/** Thrown when an environment variable is malformed; names the variable. */
export class ConfigError extends Error {
  constructor(readonly variable: string, reason: string, value: unknown) {
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

export const portSetting = (fallback: number) =>
  Type.Integer({ minimum: 1, maximum: 65535, default: fallback, description: "TCP port to listen on" });

/** Settings every service reads. */
export const commonSettings = {
  LOG_LEVEL: Type.Union(LOG_LEVELS.map((l) => Type.Literal(l)), { default: "info" as LogLevel }),
  CORS_ORIGINS: Type.String({ default: "", description: "Comma-separated allowed origins; none by default" }),
  SHUTDOWN_TIMEOUT_MS: Type.Integer({ minimum: 0, maximum: 120_000, default: 10_000 }),
};

/**
 * Reads the settings a schema names from the environment, converts and defaults them, checks them once
 * and freezes the result. A malformed value throws a ConfigError naming the variable.
 */
export function loadConfig<P extends TProperties>(
  schema: TObject<P>,
  env: Record<string, string | undefined> = process.env,
): Readonly<Static<TObject<P>>> {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(schema.properties)) {
    const value = env[key];
    if (value !== undefined && value !== "") raw[key] = value;
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
