// What only the suggestions service's tests share.
import { createLogger } from "@w2meet/kit";
import { buildSuggestionsApp } from "../src/app.ts";
import { createSuggestionsClients } from "../src/clients.ts";
import { loadSuggestionsConfig } from "../src/config.ts";

const quiet = createLogger({ service: "suggestions", level: "error", sink: () => {} });

/** The suggestions app over the availability service at `availabilityUrl` (usually a fake), its logs silenced. */
export function suggestionsAppOver(availabilityUrl: string, env: Record<string, string> = {}) {
  const config = loadSuggestionsConfig({ AVAILABILITY_URL: availabilityUrl, ...env });
  return buildSuggestionsApp(config, createSuggestionsClients(config, quiet));
}
