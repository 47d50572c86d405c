import { Type } from "@sinclair/typebox";
import { authSettings, commonSettings, loadConfig, portSetting, urlSetting } from "@w2meet/kit";

/** Settings of the suggestions service, read once from the environment. */
export const SuggestionsConfig = Type.Object({
  PORT: portSetting(3003),
  AVAILABILITY_URL: urlSetting(["http", "https"], "http://127.0.0.1:3002", "Base URL of the availability service"),
  // Longer than availability's own wait for users (2 s), so its answer, naming what failed, arrives first.
  AVAILABILITY_TIMEOUT_MS: Type.Integer({
    minimum: 1,
    maximum: 60_000,
    default: 2500,
    description: "Longest wait for the availability service",
  }),
  ...commonSettings,
  ...authSettings,
});

export const loadSuggestionsConfig = (env?: Record<string, string | undefined>) => loadConfig(SuggestionsConfig, env);
export type SuggestionsConfig = ReturnType<typeof loadSuggestionsConfig>;
