// The Traefik configuration, checked without a Docker engine: every router reaches a service on the port its
// app listens on, and every public route of each service's OpenAPI document (from the running services)
// is reachable through the gateway.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { IDLE_TIMEOUT_SECONDS } from "@w2meet/kit";
import { createTestDatabase, startService, TEST_TOPOLOGY_PREFIX, type RunningService } from "@w2meet/testing";
import { asMapping, durationSeconds, lastOf, networksOf, route, strippedPrefixes } from "@w2meet/deployment";
import { loadProject, ROOT } from "./project.ts";

const { compose, staticConfig, gateway, apps: APPS, serviceOf, dockerfileOf, listeningPort, settingsOf } = await loadProject();

describe("traefik", () => {
  test("routes every router from an entrypoint to a service on the port its app listens on", async () => {
    const entryPoints = Object.keys(staticConfig.entryPoints);
    for (const router of gateway.routers) {
      expect(router.rule, `${router.name} has a rule`).toBeTruthy();
      expect(router.entryPoints.length, `${router.name} has an entrypoint`).toBeGreaterThan(0);
      for (const entryPoint of router.entryPoints) expect(entryPoints).toContain(entryPoint);
      for (const middleware of router.middlewares)
        expect(gateway.middlewares.has(middleware), `${router.name} uses ${middleware}, which exists`).toBe(true);
      if (router.service?.endsWith("@internal")) continue;
      const service = gateway.services.get(router.service!);
      expect(service, `${router.name} leads to a declared service`).toBeDefined();
      const app = APPS.find((a) => serviceOf(a) === service!.owner)!;
      expect(service!.port).toBe(await listeningPort(app));
    }
    for (const app of APPS) {
      const final = (await dockerfileOf(app)).at(-1)!;
      expect(Number(lastOf(final, "EXPOSE")), `apps/${app}/Dockerfile exposes the app's port`).toBe(await listeningPort(app));
    }
  });

  test("health-checks every app's replicas on /health/live", () => {
    for (const app of APPS) expect(gateway.services.get(`${serviceOf(app)}@docker`)?.healthcheckPath).toBe("/health/live");
  });

  test("reaches every multi-network app container on the network Traefik shares with it", () => {
    const networkName = (key: string) => compose.networks?.[key]?.name ?? key;
    const traefikNetworks = networksOf(compose.services.traefik!).map(networkName);
    expect(staticConfig.providers.docker.exposedByDefault).toBe(false);
    for (const app of APPS) {
      const service = compose.services[serviceOf(app)!]!;
      const network = asMapping(service.labels)["traefik.docker.network"];
      expect(network, `${app} names its Traefik network`).toBeDefined();
      expect(networksOf(service).map(networkName)).toContain(network!);
      expect(traefikNetworks).toContain(network!);
    }
  });

  test("drops idle upstream connections before the services close them", () => {
    const idle = durationSeconds(staticConfig.serversTransport.forwardingTimeouts.idleConnTimeout);
    expect(idle).toBeLessThan(IDLE_TIMEOUT_SECONDS);
  });

  test("answers GET /health itself and never routes /metrics", () => {
    expect(route(gateway, "/health")?.router.service).toBe("ping@internal");
    expect(staticConfig.ping).toBeDefined();
    for (const app of APPS) {
      expect(route(gateway, `/${serviceOf(app)}/metrics`), `/${serviceOf(app)}/metrics is not routed`).toBeUndefined();
      expect(route(gateway, `/api/${serviceOf(app)}/metrics`)?.upstreamPath ?? "").not.toBe("/metrics");
    }
  });
});

describe("the services behind the gateway", () => {
  const running: RunningService[] = [];
  const databases: { drop: () => Promise<void> }[] = [];
  const documents = new Map<string, { paths: Record<string, unknown> }>();
  const swaggerPages = new Map<string, string>();
  type ServedDocument = { servers: { url: string }[]; paths: Record<string, { servers?: { url: string }[] }> };
  const gatewayDocuments = new Map<string, ServedDocument>();
  const runningOf = new Map<string, RunningService>();

  beforeAll(async () => {
    const run = crypto.randomUUID().slice(0, 8);
    await Promise.all(
      APPS.map(async (app) => {
        // Each app's own defaults reach the local servers; only what must not collide with other runs is set.
        const settings = Object.keys((await settingsOf(app)).properties);
        const env: Record<string, string> = {};
        if (settings.includes("DATABASE_URL")) {
          const database = await createTestDatabase("w2meet_compose");
          databases.push(database);
          env.DATABASE_URL = database.url;
        }
        if (settings.includes("CACHE_PREFIX")) env.CACHE_PREFIX = `compose-test:${run}:`;
        // One fixed prefix: the worker declares durable queues at start, and a name per run would leave a
        // new set behind every time. No task is ever published to them.
        if (settings.includes("QUEUE_PREFIX")) env.QUEUE_PREFIX = `${TEST_TOPOLOGY_PREFIX}compose`;
        const service = await startService(join(ROOT, "apps", app, "src", "index.ts"), env);
        running.push(service);
        documents.set(app, (await (await fetch(`${service.url}/docs/json`)).json()) as { paths: Record<string, unknown> });
        swaggerPages.set(app, await (await fetch(`${service.url}/docs`)).text());
        // As Traefik's stripPrefix forwards /{service}/docs/json.
        const forwarded = { headers: { "x-forwarded-prefix": `/${serviceOf(app)}` } };
        gatewayDocuments.set(app, (await (await fetch(`${service.url}/docs/json`, forwarded)).json()) as ServedDocument);
        runningOf.set(app, service);
      }),
    );
  }, 60_000);

  afterAll(async () => {
    await Promise.all(running.map((service) => service.stop()));
    await Promise.all(databases.map((database) => database.drop()));
  });

  test("every route of each service's OpenAPI document is reachable through a router to that service", () => {
    for (const app of APPS) {
      const service = `${serviceOf(app)}@docker`;
      const routers = gateway.routers.filter((router) => router.service === service);
      for (const template of Object.keys(documents.get(app)!.paths)) {
        const path = template.replace(/\{[^}]+\}/g, "someone@example.com");
        const reachable = routers.some((router) => {
          const found = route(gateway, strippedPrefixes(gateway, router).join("") + path);
          return found?.router.service === service && found.upstreamPath === path;
        });
        expect(reachable, `${app}: ${template} is reachable through the gateway`).toBe(true);
      }
    }
  });

  test("Swagger UI of each service finds its document and its files behind the /{service} prefix", async () => {
    for (const app of APPS) {
      const name = serviceOf(app)!;
      const page = swaggerPages.get(app)!;
      const specUrl = page.match(/data-openapi-url="([^"]+)"/)?.[1];
      expect(specUrl, `${app}'s Swagger UI names its document`).toBeDefined();
      expect(route(gateway, `/${name}/docs`)).toMatchObject({ router: { service: `${name}@docker` }, upstreamPath: "/docs" });
      const document = new URL(specUrl!, `http://localhost:8080/${name}/docs`).pathname;
      expect(route(gateway, document)).toMatchObject({ router: { service: `${name}@docker` }, upstreamPath: "/docs/json" });
      const files = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!).filter((url) => !url.startsWith("data:"));
      expect(files.length, `${app}'s Swagger UI loads its files`).toBeGreaterThan(0);
      for (const file of files) {
        const found = route(gateway, new URL(file, `http://localhost:8080/${name}/docs`).pathname);
        expect(found?.router.service, `${file} of ${app}'s Swagger UI`).toBe(`${name}@docker`);
        expect((await fetch(`${runningOf.get(app)!.url}${found!.upstreamPath}`)).status, `${file} of ${app}'s Swagger UI`).toBe(200);
      }
    }
  });

  test("Try it out through the gateway reaches each route: the document served behind it names the gateway's /api", () => {
    for (const app of APPS) {
      const service = `${serviceOf(app)}@docker`;
      const { servers, paths } = gatewayDocuments.get(app)!;
      expect(servers.length, `${app} names one server behind the gateway`).toBe(1);
      for (const [template, item] of Object.entries(paths)) {
        // A path's own servers, when it has them, replace the document's.
        const server = (item.servers ?? servers)[0]!.url.replace(/\/$/, "");
        const path = template.replace(/\{[^}]+\}/g, "someone@example.com");
        const found = route(gateway, server + path);
        expect(found, `${app}: ${server}${template} through the gateway`).toMatchObject({ router: { service }, upstreamPath: path });
      }
    }
  });
});
