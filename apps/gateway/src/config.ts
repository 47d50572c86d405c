import { Type } from "@sinclair/typebox";
import { authSettings, commonSettings, loadConfig, portSetting, timeoutSetting, urlSetting } from "@w2meet/kit";

/** Settings of the gateway service, read once from the environment. */
export const GatewayConfig = Type.Object({
  PORT: portSetting(3005),
  USERS_URL: urlSetting(["http", "https"], "http://127.0.0.1:3001", "Base URL of the users service"),
  AVAILABILITY_URL: urlSetting(["http", "https"], "http://127.0.0.1:3002", "Base URL of the availability service"),
  SUGGESTIONS_URL: urlSetting(["http", "https"], "http://127.0.0.1:3003", "Base URL of the suggestions service"),
  WORKER_URL: urlSetting(["http", "https"], "http://127.0.0.1:3004", "Base URL of the worker service"),
  WEB_URL: urlSetting(["http", "https"], "http://127.0.0.1:3006", "Base URL of the web app (the page)"),
  // Longer than a service's own checks of its dependencies (1.5 s each), so their answer arrives first.
  HEALTH_TIMEOUT_MS: timeoutSetting(2500, "Longest wait for one replica's /health"),
  ...commonSettings,
  ...authSettings,
});

export const loadGatewayConfig = (env?: Record<string, string | undefined>) => loadConfig(GatewayConfig, env);
export type GatewayConfig = ReturnType<typeof loadGatewayConfig>;
