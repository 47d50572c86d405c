import { Type } from "@sinclair/typebox";
import { commonSettings, loadConfig, portSetting, timeoutSetting } from "@w2meet/kit";

const optionalUrl = (description: string) =>
  Type.String({ pattern: "^(https?://[^\\s]+)?$", default: "", description: `${description}; unset: /api is routed by Traefik` });

/** Settings of the web app, read once from the environment. */
export const WebConfig = Type.Object({
  PORT: portSetting(3006),
  USERS_URL: optionalUrl("Base URL of the users service, to forward /api/users and /api/auth to (development)"),
  AVAILABILITY_URL: optionalUrl("Base URL of the availability service, to forward /api/availability to (development)"),
  SUGGESTIONS_URL: optionalUrl("Base URL of the suggestions service, to forward /api/suggestions to (development)"),
  WORKER_URL: optionalUrl("Base URL of the worker service, to forward /api/tasks to (development)"),
  // Longer than the services' own waits for their dependencies, so their answer arrives first.
  API_TIMEOUT_MS: timeoutSetting(10_000, "Longest wait for a forwarded /api answer before a 503"),
  ...commonSettings,
});

export const loadWebConfig = (env?: Record<string, string | undefined>) => loadConfig(WebConfig, env);
export type WebConfig = ReturnType<typeof loadWebConfig>;
