// Every service's app built in process, with no client connected: enough for what answers without its
// dependencies, such as the OpenAPI document. The users app verifies tokens with its own keys, so it gets
// a development key in a folder of its own, removed when the process exits.
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "@w2meet/kit";
import { buildAvailabilityApp } from "../apps/availability/src/app.ts";
import { loadAvailabilityConfig } from "../apps/availability/src/config.ts";
import { buildGatewayApp } from "../apps/gateway/src/app.ts";
import { loadGatewayConfig } from "../apps/gateway/src/config.ts";
import { buildSuggestionsApp } from "../apps/suggestions/src/app.ts";
import { loadSuggestionsConfig } from "../apps/suggestions/src/config.ts";
import { buildUsersApp } from "../apps/users/src/app.ts";
import { tokenIssuerOf } from "../apps/users/src/clients.ts";
import { loadUsersConfig } from "../apps/users/src/config.ts";
import { buildWorkerApp } from "../apps/worker/src/app.ts";
import { loadWorkerConfig } from "../apps/worker/src/config.ts";
import { buildWebApp } from "../apps/web/src/app.ts";
import { loadWebConfig } from "../apps/web/src/config.ts";

const logger = createLogger({ service: "in-process-apps", level: "error" });
const unused = {} as never;
const keyFolder = join(tmpdir(), `w2meet-in-process-${crypto.randomUUID()}`);
process.on("exit", () => rmSync(keyFolder, { recursive: true, force: true }));
const usersConfig = loadUsersConfig({ JWT_KEY_FILE: join(keyFolder, "key.json") });
const usersClients = {
  sql: unused,
  inTime: unused,
  redis: unused,
  cache: unused,
  ledger: unused,
  throttle: unused,
  worker: unused,
  broker: unused,
  logger,
};

/** The four services behind the gateway, by app name. */
export const serviceApps = {
  users: buildUsersApp(usersConfig, { ...usersClients, tokens: tokenIssuerOf(usersConfig, logger) }),
  availability: buildAvailabilityApp(loadAvailabilityConfig({}), { users: unused, logger }),
  suggestions: buildSuggestionsApp(loadSuggestionsConfig({}), { availability: unused, logger }),
  worker: buildWorkerApp(loadWorkerConfig({}), { sql: unused, broker: unused, mailer: unused, users: unused, logger }),
};

/** Every app in apps/: the gateway's own service and the page too. */
export const allApps = {
  ...serviceApps,
  web: await buildWebApp(loadWebConfig({}), logger),
  gateway: buildGatewayApp(loadGatewayConfig({}), logger),
};

type Response = { description: string; content?: Record<string, { schema: unknown }> };
type Operation = { requestBody?: { content: Record<string, unknown> }; responses: Record<string, Response> };
type Servers = { url: string }[];
/** The parts of an OpenAPI document the checks read. */
export type Document = { servers: Servers; paths: Record<string, Record<string, Operation> & { servers?: Servers }> };

/** An app's OpenAPI document (/docs/json), as the service serves it; `headers` as a request would send them. */
export const documentOf = async (app: { handle(request: Request): Promise<globalThis.Response> }, headers: Record<string, string> = {}) =>
  (await (await app.handle(new Request("http://localhost/docs/json", { headers }))).json()) as Document;
