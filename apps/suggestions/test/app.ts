// What only the suggestions service's tests share.
import { afterAll, beforeAll } from "bun:test";
import type { UserAvailability } from "@w2meet/contracts";
import { createLogger } from "@w2meet/kit";
import { type FakeAvailability, startFakeAvailability } from "@w2meet/testing";
import { buildSuggestionsApp } from "../src/app.ts";
import { createSuggestionsClients } from "../src/clients.ts";
import { loadSuggestionsConfig } from "../src/config.ts";

const quiet = createLogger({ service: "suggestions", level: "error", sink: () => {} });

/** The suggestions app over the availability service at `availabilityUrl` (usually a fake), its logs silenced. */
export function suggestionsAppOver(availabilityUrl: string, env: Record<string, string> = {}) {
  const config = loadSuggestionsConfig({ AVAILABILITY_URL: availabilityUrl, ...env });
  return buildSuggestionsApp(config, createSuggestionsClients(config, quiet));
}

/**
 * For one test file: the app over a fake availability service answering for `people`, started before the
 * file's tests and stopped after them.
 */
export function suggestionsOverFake(people: UserAvailability[]) {
  let availability: FakeAvailability | undefined;
  let app: ReturnType<typeof suggestionsAppOver> | undefined;
  beforeAll(() => {
    availability = startFakeAvailability(people);
    app = suggestionsAppOver(availability.url);
  });
  afterAll(() => availability?.stop());
  return { handle: (request: Request) => app!.handle(request) };
}
