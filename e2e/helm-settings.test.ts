// The chart's environment against each app's settings (apps/<app>/src/config.ts) and compose.yml: every
// setting a deployment needs is given, credentials only from Secrets the values name, and the calls between
// services go where compose sends them, through headless Services so every replica is seen.
import { beforeAll, describe, expect, test } from "bun:test";
import { asMapping, buildOf } from "@w2meet/deployment";
import { loadConfig } from "@w2meet/kit";
import { runtimeEnv } from "../scripts/runtime-env.ts";
import { type KubeObject, ofKind, render, VARIANTS, type Variant, valuesOf } from "./chart.ts";
import { type AppWorkload, appContainersOf, deploymentsByApp, envOf, internalCallsOf } from "./chart-workloads.ts";
import { loadProject } from "./project.ts";

const { apps: APPS, settingsOf, compose, serviceOf, dockerfileOf } = await loadProject();
type Setting = { default?: unknown; pattern?: string; description?: string; emptyIsValue?: boolean };
const schemas = Object.fromEntries(await Promise.all(APPS.map(async (app) => [app, await settingsOf(app)] as const)));
const settings = Object.fromEntries(APPS.map((app) => [app, schemas[app]!.properties as Record<string, Setting>]));
const imageEnv = Object.fromEntries(
  await Promise.all(
    APPS.map(async (app) => {
      const final = (await dockerfileOf(app)).at(-1)!;
      const pairs = final.instructions
        .filter((i) => i.keyword === "ENV")
        .flatMap((i) => i.args.split(/\s+/).map((pair) => pair.split("=")));
      return [app, Object.fromEntries(pairs)] as const;
    }),
  ),
);

/**
 * What a deployment must set: a setting with no default, one whose default is a local address (it only
 * works on a developer's machine), or one whose description says that empty, its default, means a
 * development stand-in (JWT_PRIVATE_KEY: "empty: a development key").
 */
const needed = (app: string) =>
  Object.entries(settings[app]!)
    .filter(
      ([, s]) =>
        s.default === undefined || /127\.0\.0\.1|localhost/.test(String(s.default)) || /empty: [^;]*development/i.test(s.description ?? ""),
    )
    .map(([name]) => name);
/** Settings that may carry a credential: URLs of data stores (not http) and private keys. */
const credentialSettings = (app: string) =>
  Object.entries(settings[app]!)
    .filter(([name, s]) => (s.pattern?.includes("://") && !s.pattern.includes("http")) || /PRIVATE_KEY/.test(name))
    .map(([name]) => name);

/** compose.yml's calls from an app to another: URL settings whose host is a service built with APP=<app>. */
const composeCalls = (app: string) =>
  Object.entries(asMapping(compose.services[serviceOf(app)!]!.environment)).flatMap(([setting, value]) => {
    if (!/^https?:\/\//.test(value)) return [];
    const url = new URL(value);
    const to = buildOf(compose.services[url.hostname] ?? {})?.args.APP;
    return to ? [{ setting, to, path: url.pathname }] : [];
  });

for (const variant of Object.keys(VARIANTS) as Variant[]) {
  describe(`the chart's settings with the ${variant} values`, () => {
    let objects: KubeObject[] = [];
    let deployments = new Map<string, AppWorkload>();
    beforeAll(() => {
      objects = render(variant);
      deployments = deploymentsByApp(objects, APPS);
    });

    test("sets only settings the apps read, or the runtime's (scripts/runtime-env.ts)", () => {
      for (const { app, workload, container } of appContainersOf(objects, APPS)) {
        const known = [...Object.keys(settings[app]!), ...Object.keys(runtimeEnv(app))];
        for (const name of envOf(container).keys()) expect(known, `${workload.metadata.name}: ${app} reads ${name}`).toContain(name);
      }
    });

    test("provides every setting with no default, or whose default is only good on a developer's machine", () => {
      for (const { app, container } of deployments.values()) {
        const env = envOf(container);
        for (const name of needed(app)) {
          const given = env.get(name);
          const provided =
            given?.valueFrom !== undefined || Boolean(given?.value) || (given?.value === "" && settings[app]![name]!.emptyIsValue === true);
          expect(provided, `${app}: ${name} is provided`).toBe(true);
        }
      }
    });

    test("gives plain values each app's config accepts, and the runtime settings the native runs use", () => {
      for (const { app, container } of deployments.values()) {
        const plain = Object.fromEntries(
          [...envOf(container).values()].filter((e) => e.value !== undefined).map((e) => [e.name, e.value!]),
        );
        expect(() => loadConfig(schemas[app] as never, plain), app).not.toThrow();
        expect({ ...imageEnv[app], ...plain }, `${app}'s container`).toMatchObject(runtimeEnv(app));
      }
    });

    test("takes credentials from Secrets only, each a Secret and key the values name (or the dev Secret's)", () => {
      const values = valuesOf(variant);
      const devSecret = ofKind(objects, "Secret")[0];
      const documented = (name: string, key: string) => {
        if (variant === "dev") return name === devSecret?.metadata.name && key in { ...devSecret.data, ...devSecret.stringData };
        return Object.values(values.secrets as Record<string, Record<string, string>>).some(
          (entry) =>
            Object.entries(entry).some(([field, value]) => /Secret$/.test(field) && value === name) &&
            Object.entries(entry).some(([field, value]) => /[kK]ey$/.test(field) && value === key),
        );
      };
      for (const { app, workload, container } of appContainersOf(objects, APPS)) {
        const env = envOf(container);
        for (const name of credentialSettings(app)) {
          const given = env.get(name);
          if (given && given.value !== undefined) expect(given.value, `${workload.metadata.name}: ${name} is a plain value`).toBe("");
        }
        for (const { name, valueFrom } of env.values()) {
          const ref = valueFrom?.secretKeyRef;
          if (ref)
            expect(documented(ref.name, ref.key), `${workload.metadata.name}: ${name} from Secret ${ref.name} key ${ref.key}`).toBe(true);
        }
      }
      for (const auth of ofKind(objects, "TriggerAuthentication")) {
        for (const ref of auth.spec.secretTargetRef ?? [])
          expect(documented(ref.name, ref.key), `${auth.metadata.name}: ${ref.name} ${ref.key}`).toBe(true);
      }
    });

    test("calls the services compose calls, at the same paths, through headless Services to the apps' ports", () => {
      for (const { app, container } of deployments.values()) {
        const calls = internalCallsOf(objects, container, APPS);
        const reached = calls.filter((call) => call.to).map((call) => ({ setting: call.setting, to: call.to, path: call.url.pathname }));
        expect(
          reached.sort((a, b) => a.setting.localeCompare(b.setting)),
          app,
        ).toEqual(composeCalls(app).sort((a, b) => a.setting.localeCompare(b.setting)));
        for (const { setting, service, url, to } of calls.filter((call) => call.to)) {
          // Through a ClusterIP every keep-alive connection stays on the one pod it reached first.
          expect(service!.spec.clusterIP, `${app}: ${setting} names a headless Service`).toBe("None");
          const port = service!.spec.ports.find((p: { port: number }) => p.port === Number(url.port || 80));
          expect(port, `${app}: ${setting}'s port ${url.port} is a port of Service ${service!.metadata.name}`).toBeDefined();
          const target = deployments
            .get(to!)!
            .container.ports.find((p: { name: string; containerPort: number }) =>
              [p.name, p.containerPort].includes(port.targetPort ?? port.port),
            );
          expect(target, `${app}: ${setting} reaches ${to}'s container port`).toBeDefined();
        }
      }
    });
  });
}
