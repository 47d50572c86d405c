// Every service verifies bearer tokens itself, from the users service's keys: a request that carries a
// token that does not verify is refused on any route, a valid one passes, and none needs a token to
// read what is public. (users and worker, which also issue and require tokens, test that beside them.)
import { afterAll, describe, expect, test } from "bun:test";
import { createLogger } from "@w2meet/kit";
import { jsonRequest, person, startFakeAvailability, startFakeUsers, startTestIssuer } from "@w2meet/testing";
import { buildAvailabilityApp } from "../apps/availability/src/app.ts";
import { createAvailabilityClients } from "../apps/availability/src/clients.ts";
import { loadAvailabilityConfig } from "../apps/availability/src/config.ts";
import { buildGatewayApp } from "../apps/gateway/src/app.ts";
import { loadGatewayConfig } from "../apps/gateway/src/config.ts";
import { buildSuggestionsApp } from "../apps/suggestions/src/app.ts";
import { createSuggestionsClients } from "../apps/suggestions/src/clients.ts";
import { loadSuggestionsConfig } from "../apps/suggestions/src/config.ts";

const quiet = (service: string) => createLogger({ service, level: "error", sink: () => {} });
const issuer = await startTestIssuer();
const stranger = await startTestIssuer();
const people = [person("ada@example.com", { monday: [9, 10] }), person("bob@example.com", { monday: [9, 10] })];
const users = startFakeUsers(people);
const availability = startFakeAvailability(people);
afterAll(() => Promise.all([issuer.stop(), stranger.stop(), users.stop(), availability.stop()]));

const keys = { JWKS_URL: issuer.jwksUrl };
const availabilityConfig = loadAvailabilityConfig({ USERS_URL: users.url, ...keys });
const suggestionsConfig = loadSuggestionsConfig({ AVAILABILITY_URL: availability.url, ...keys });
const services = {
  availability: {
    app: buildAvailabilityApp(availabilityConfig, createAvailabilityClients(availabilityConfig, quiet("availability"))),
    path: "/availability/common_availabilities?users=ada@example.com,bob@example.com",
  },
  suggestions: {
    app: buildSuggestionsApp(suggestionsConfig, createSuggestionsClients(suggestionsConfig, quiet("suggestions"))),
    path: "/suggestions?users=ada@example.com,bob@example.com",
  },
  gateway: { app: buildGatewayApp(loadGatewayConfig(keys), quiet("gateway")), path: "/unrouted/nope" },
};

describe.each(Object.entries(services))("%s", (_, { app, path }) => {
  const call = async (token?: string) => {
    const response = await app.handle(jsonRequest("GET", path, undefined, token ? { authorization: `Bearer ${token}` } : {}));
    return { status: response.status, headers: response.headers, body: (await response.json()) as { detail?: string } };
  };

  test("answers its public routes without a token, and with a valid one", async () => {
    const open = await call();
    expect(open.status).not.toBe(401);
    expect((await call(await issuer.token("ada@example.com"))).status).toBe(open.status);
  });

  test("refuses a token signed by another key, expired, or for another audience or issuer", async () => {
    const refused = [
      await stranger.token("ada@example.com"),
      await issuer.token("ada@example.com", { expiresIn: "-1m" }),
      await issuer.token("ada@example.com", { audience: "elsewhere" }),
      await issuer.token("ada@example.com", { issuer: "someone-else" }),
    ];
    for (const token of refused) {
      const { status, headers } = await call(token);
      expect(status).toBe(401);
      expect(headers.get("www-authenticate")).toContain('error="invalid_token"');
    }
  });
});
