// The Traefik configuration, checked without a Docker engine: every router reaches a service on the port its
// app listens on, and every public route of each service's OpenAPI document (from the running services)
// is reachable through the gateway.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { IDLE_TIMEOUT_SECONDS, INTERNAL_TAG } from "@w2meet/kit";
import { createTestDatabase, startService, TEST_TOPOLOGY_PREFIX, type RunningService } from "@w2meet/testing";
import { asMapping, durationSeconds, lastOf, networksOf, route, strippedPrefixes } from "@w2meet/deployment";
import { BREAKER_OPEN_STATUS } from "../apps/gateway/src/gateway-errors/service.ts";
import { serviceOfPath } from "../apps/gateway/src/services.ts";
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

  test("routes to an app's replicas by their container's health, on /health/live, with no balancer check of its own", () => {
    for (const app of APPS) {
      // A balancer check would take the last replica out before Docker does, and Traefik would answer a plain 503.
      expect(gateway.services.get(`${serviceOf(app)}@docker`)?.healthcheckPath, app).toBeUndefined();
      expect([compose.services[serviceOf(app)!]!.healthcheck?.test ?? []].flat().join(" "), app).toContain("/health/live");
    }
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

  test("answers GET /health itself and never routes /metrics to a service", () => {
    expect(route(gateway, "/health")?.router.service).toBe("ping@internal");
    expect(staticConfig.ping).toBeDefined();
    for (const app of APPS) {
      for (const path of [`/${serviceOf(app)}/metrics`, `/api/${serviceOf(app)}/metrics`, "/metrics"]) {
        const found = route(gateway, path);
        expect(found?.upstreamPath, `${path} reaches no /metrics`).not.toBe("/metrics");
        if (found?.router.service !== `${serviceOf(app)}@docker`)
          expect(found).toMatchObject({ router: { service: "gateway@docker" }, upstreamPath: `/unrouted${path}` });
      }
    }
  });

  test("sends the security headers on every answer but the HTTPS redirect", () => {
    for (const router of gateway.routers.filter((r) => r.name !== "to-https@docker")) {
      expect(router.middlewares[0], `${router.name} starts with the security headers`).toBe("security-headers@file");
    }
  });

  test("serves every route over HTTP and HTTPS, and redirects plain HTTP for any host name but this machine's", () => {
    expect(staticConfig.entryPoints.websecure.http.tls).toBeDefined();
    for (const router of gateway.routers.filter((r) => r.name !== "to-https@docker")) {
      expect(router.entryPoints.sort(), router.name).toEqual(["web", "websecure"]);
    }
    for (const host of ["localhost", "127.0.0.1", "[::1]"])
      expect(route(gateway, "/api/users/x", "web", host)?.router.name).toBe("users@docker");
    expect(route(gateway, "/api/users/x", "web", "w2meet.example.com")?.router.name).toBe("to-https@docker");
    expect(route(gateway, "/api/users/x", "websecure", "w2meet.example.com")?.router.name).toBe("users@docker");
    const redirect = gateway.middlewares.get("to-https@docker")?.redirectscheme;
    expect(redirect).toEqual({ scheme: "https", port: "8443" });
    expect(compose.services.traefik!.ports).toContain(`${redirect!.port}:${staticConfig.entryPoints.websecure.address.replace(":", "")}`);
  });
});

type Document = { paths: Record<string, Record<string, { responses?: Record<string, unknown>; tags?: string[] }>> };
const documents = new Map<string, Document>();

/** Every status any operation of a service's OpenAPI document answers with. */
const documentedStatuses = (document: Document) =>
  Object.values(document.paths).flatMap((item) =>
    Object.values(item).flatMap((operation) => Object.keys(operation?.responses ?? {}).map(Number)),
  );

/** Routes of the gateway service that Traefik calls itself (its errors page, its lowest router) rather than routing to. */
const reachedByTraefik = (app: string, template: string) =>
  app === "gateway" && Object.values(documents.get(app)!.paths[template] ?? {}).every((operation) => operation?.tags?.includes("gateway"));

/** Routes only other services call (the kit's INTERNAL_TAG): the gateway must not route them. */
const internal = (app: string, template: string) =>
  Object.values(documents.get(app)!.paths[template] ?? {}).every((operation) => operation?.tags?.includes(INTERNAL_TAG));

describe("the services behind the gateway", () => {
  const running: RunningService[] = [];
  const databases: { drop: () => Promise<void> }[] = [];
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
        documents.set(app, (await (await fetch(`${service.url}/docs/json`)).json()) as Document);
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

  test("every public route of each service's OpenAPI document is reachable through a router to that service, and no internal one", () => {
    for (const app of APPS) {
      const service = `${serviceOf(app)}@docker`;
      const routers = gateway.routers.filter((router) => router.service === service);
      for (const template of Object.keys(documents.get(app)!.paths)) {
        if (reachedByTraefik(app, template)) continue;
        const path = template.replace(/\{[^}]+\}/g, "someone@example.com");
        const reachable = routers.some((router) => {
          const found = route(gateway, strippedPrefixes(gateway, router).join("") + path);
          return found?.router.service === service && found.upstreamPath === path;
        });
        if (internal(app, template)) {
          expect(reachable, `${app}: ${template} is internal, not reachable through the gateway`).toBe(false);
          expect(Object.keys(gatewayDocuments.get(app)!.paths), `${app}: ${template} is left out behind the gateway`).not.toContain(
            template,
          );
        } else {
          expect(reachable, `${app}: ${template} is reachable through the gateway`).toBe(true);
        }
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
        if (reachedByTraefik(app, template)) continue;
        // A path's own servers, when it has them, replace the document's.
        const server = (item.servers ?? servers)[0]!.url.replace(/\/$/, "");
        const path = template.replace(/\{[^}]+\}/g, "someone@example.com");
        const found = route(gateway, server + path);
        expect(found, `${app}: ${server}${template} through the gateway`).toMatchObject({ router: { service }, upstreamPath: path });
      }
    }
  });
});

describe("errors the gateway makes itself", () => {
  const SERVICE_APPS = APPS.filter((app) => app !== "gateway");

  test("every request no service's router takes goes to the gateway service, its path under /unrouted", () => {
    for (const path of ["/nope", "/groups", "/group/x", "/assets", "/api", "/api/nope", "/users", "/users/metrics", "/api/health/x"]) {
      expect(route(gateway, path), path).toMatchObject({
        router: { name: "unrouted@docker", service: "gateway@docker" },
        upstreamPath: `/unrouted${path}`,
      });
    }
  });

  test("each router's errors middleware catches only statuses the routes behind it never answer, and the rate limit's 429 where it can", () => {
    for (const app of SERVICE_APPS) {
      const name = serviceOf(app)!;
      const document = documents.get(app)!;
      for (const router of gateway.routers.filter((r) => r.service === `${name}@docker`)) {
        const errorsName = router.middlewares[1]!;
        expect(errorsName, `${router.name} renders the gateway's errors right after the security headers`).toEndWith(
          "gateway-errors@docker",
        );
        const errors = gateway.middlewares.get(errorsName)?.errors as Record<string, unknown>;
        expect(errors.service).toBe("gateway@docker");
        expect(String(errors.query)).toStartWith("/errors/{status}?");
        expect(errors.statusrewrites).toEqual({ [BREAKER_OPEN_STATUS]: "503" });
        const caught = String(errors.status).split(",").map(Number);
        expect(caught).toContain(BREAKER_OPEN_STATUS);
        // What the routes this router takes answer themselves, from the service's own document.
        const prefix = strippedPrefixes(gateway, router).join("");
        const behind = Object.entries(document.paths).filter(
          ([template]) => route(gateway, prefix + template.replace(/\{[^}]+\}/g, "x"))?.router.name === router.name,
        );
        // The page's routes are left out of the web app's document (no API): its router is checked on its own below.
        if (router.name === "web@docker") continue;
        expect(behind.length, `${router.name} takes some of ${name}'s routes`).toBeGreaterThan(0);
        const answered = documentedStatuses({ paths: Object.fromEntries(behind) });
        for (const status of caught) expect(answered, `${router.name}: ${name} never answers ${status} there`).not.toContain(status);
        if (!answered.includes(429)) expect(caught, `${router.name} turns the rate limit's 429 into a problem`).toContain(429);
        for (const inner of ["rate-limit", "circuit-breaker"]) {
          const at = router.middlewares.indexOf(`${name}-${inner}@docker`);
          if (at !== -1) expect(at).toBeGreaterThan(1);
        }
      }
    }
  });

  test("a circuit breaker opens on network errors only, for 2 s, with the status its errors middleware turns into a 503", () => {
    for (const app of SERVICE_APPS) {
      const breaker = gateway.middlewares.get(`${serviceOf(app)}-circuit-breaker@docker`)?.circuitbreaker;
      expect(breaker, app).toEqual({
        expression: "NetworkErrorRatio() > 0.5",
        fallbackduration: "2s",
        recoveryduration: "2s",
        responsecode: String(BREAKER_OPEN_STATUS),
      });
    }
  });

  test("the gateway service names, for every path a service's router takes, that service", () => {
    for (const app of SERVICE_APPS) {
      const name = serviceOf(app)!;
      for (const router of gateway.routers.filter((r) => r.service === `${name}@docker`)) {
        for (const template of Object.keys(documents.get(app)!.paths)) {
          const publicPath = strippedPrefixes(gateway, router).join("") + template.replace(/\{[^}]+\}/g, "x");
          if (route(gateway, publicPath)?.router.name === router.name) expect(serviceOfPath(publicPath), publicPath).toBe(name as never);
        }
      }
    }
    expect(serviceOfPath("/api/nope")).toBeUndefined();
  });

  test("the page's paths go to the web app as they are, and its router catches the gateway's own errors", () => {
    for (const path of ["/", "/group", "/assets/week-0a1b2c.js", "/assets/week-0a1b2c.css"]) {
      expect(route(gateway, path), path).toMatchObject({ router: { name: "web@docker", service: "web@docker" }, upstreamPath: path });
    }
    const router = gateway.routers.find((r) => r.name === "web@docker")!;
    expect(router.middlewares.slice(0, 2)).toEqual(["security-headers@file", "web-gateway-errors@docker"]);
    expect(String(gateway.middlewares.get("web-gateway-errors@docker")?.errors?.status).split(",")).toContain("429");
  });

  test("/api/health is the gateway service's health of every service", () => {
    expect(route(gateway, "/api/health")).toMatchObject({ router: { service: "gateway@docker" }, upstreamPath: "/health/system" });
    expect(documents.get("gateway")!.paths["/health/system"]).toBeDefined();
  });
});
