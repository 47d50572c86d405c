import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { asMapping, buildOf, dockerignore, gatewayOf, parseCompose, parseDockerfile } from "@w2meet/deployment";

export const ROOT = join(import.meta.dir, "..");
export const read = (path: string) => Bun.file(join(ROOT, path)).text();

/** A setting schema as the apps' config.ts export it: a TypeBox object whose properties may carry defaults. */
export type Settings = { properties: Record<string, { default?: unknown }> };

const KIND = Symbol.for("TypeBox.Kind");

/** compose.yml, the Traefik configuration and the apps, read once, the way the checks look at them. */
export async function loadProject() {
  const composeText = await read("compose.yml");
  const compose = parseCompose(composeText);
  const staticConfig = parse(await read("traefik/traefik.yml"));
  const gateway = gatewayOf(compose, parse(await read("traefik/dynamic/gateway.yml")));
  const ignored = dockerignore(await read(".dockerignore"));
  /** Every app in apps/. */
  const apps = readdirSync(join(ROOT, "apps"))
    .filter((name) => existsSync(join(ROOT, "apps", name, "package.json")))
    .sort();
  /** The Compose service that builds an app's image (the one Dockerfile, with `APP` set to the app). */
  const serviceOf = (app: string) => Object.entries(compose.services).find(([, service]) => buildOf(service)?.args.APP === app)?.[0];
  /** The Dockerfile as Docker reads it for the app's service: its build arguments resolved. */
  const dockerfileOf = async (app: string) => {
    const build = buildOf(compose.services[serviceOf(app)!]!)!;
    return parseDockerfile(await read(build.dockerfile), build.args);
  };
  /** The one TypeBox object schema an app's config.ts exports (e.g. UsersConfig), found by kind, not by name. */
  const settingsOf = async (app: string): Promise<Settings> => {
    const module = await import(join(ROOT, "apps", app, "src", "config.ts"));
    const schemas = Object.values(module).filter(
      (value) => value && typeof value === "object" && (value as Record<symbol, unknown>)[KIND] === "Object",
    );
    if (schemas.length !== 1) throw new Error(`apps/${app}/src/config.ts exports ${schemas.length} TypeBox object schemas, not one`);
    return schemas[0] as Settings;
  };
  /** The port an app listens on under compose: its PORT setting there, else the config's default. */
  const listeningPort = async (app: string) =>
    Number(asMapping(compose.services[serviceOf(app)!]!.environment).PORT ?? (await settingsOf(app)).properties.PORT?.default);
  return { composeText, compose, staticConfig, gateway, ignored, apps, serviceOf, dockerfileOf, settingsOf, listeningPort };
}
