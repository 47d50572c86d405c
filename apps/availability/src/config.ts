import { Type } from "@sinclair/typebox";
import { authSettings, commonSettings, loadConfig, portSetting, urlSetting } from "@w2meet/kit";

/** Settings of the availability service, read once from the environment. */
export const AvailabilityConfig = Type.Object({
  PORT: portSetting(3002),
  USERS_URL: urlSetting(["http", "https"], "http://127.0.0.1:3001", "Base URL of the users service"),
  // Longer than the users service's own database deadline (1.5 s), so its 503 arrives before this gives up.
  USERS_TIMEOUT_MS: Type.Integer({ minimum: 1, maximum: 60_000, default: 2000, description: "Longest wait for the users service" }),
  ...commonSettings,
  ...authSettings,
});

export const loadAvailabilityConfig = (env?: Record<string, string | undefined>) => loadConfig(AvailabilityConfig, env);
export type AvailabilityConfig = ReturnType<typeof loadAvailabilityConfig>;
