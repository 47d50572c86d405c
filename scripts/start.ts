// `bun run start`: every service as a native Bun process on its contract port; Ctrl-C stops them all.
// `<SERVICE>_PORT` moves one (USERS_PORT=4001): the services that call it are given its new URL.
// With no mail server at SMTP_URL, the worker writes invitations to .mail/ instead, and says so.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { runtimeEnv } from "./runtime-env.ts";
import { reachable } from "./servers.ts";

const root = join(import.meta.dir, "..");
const services = readdirSync(join(root, "apps")).filter((name) => existsSync(join(root, "apps", name, "src", "index.ts")));
const KIND = Symbol.for("TypeBox.Kind");

/** The port a service listens on: `<NAME>_PORT`, else its config's default. */
async function portOf(name: string): Promise<number> {
  const given = process.env[`${name.toUpperCase()}_PORT`];
  if (given) return Number(given);
  const config = await import(join(root, "apps", name, "src", "config.ts"));
  const schema = Object.values(config).find((value) => value && typeof value === "object" && (value as never)[KIND] === "Object");
  return (schema as { properties: { PORT: { default: number } } }).properties.PORT.default;
}

const env: Record<string, string | undefined> = { ...process.env };
if (env.PORT) {
  console.warn(
    `PORT=${env.PORT} would give every service the same port; it is ignored. Move one with ${services.map((s) => `${s.toUpperCase()}_PORT`).join(", ")}.`,
  );
  delete env.PORT;
}
const ports = Object.fromEntries(await Promise.all(services.map(async (name) => [name, await portOf(name)] as const)));
// Each caller reaches the others at their ports here, unless told otherwise (USERS_URL=…).
for (const name of services) env[`${name.toUpperCase()}_URL`] ??= `http://127.0.0.1:${ports[name]}`;
// Every service verifies tokens with the users service's keys, wherever users listens.
env.JWKS_URL ??= `${env.USERS_URL}/auth/jwks.json`;

const smtp = env.SMTP_URL ?? "smtp://127.0.0.1:1025";
if (/^smtps?:/.test(smtp) && !(await reachable(smtp, 500))) {
  env.SMTP_URL = `file://${join(root, ".mail")}`;
  console.warn(
    `No mail server at ${smtp}: invitations are written to ${join(root, ".mail")}/ as .eml files instead (set SMTP_URL to mail them).`,
  );
}

const children = services.map((name) => ({
  name,
  process: Bun.spawn(["bun", `apps/${name}/src/index.ts`], {
    cwd: root,
    env: { ...runtimeEnv(name), ...env, PORT: String(ports[name]) },
    stdio: ["ignore", "inherit", "inherit"],
  }),
}));
console.log(
  `started ${services.map((name) => `${name} on http://127.0.0.1:${ports[name]} (docs at /docs)`).join(", ")}; Ctrl-C stops them all`,
);

let stopping = false;
async function stopAll(code: number) {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.process.kill("SIGTERM");
  await Promise.all(children.map((child) => child.process.exited));
  process.exit(code);
}
process.on("SIGINT", () => void stopAll(0));
process.on("SIGTERM", () => void stopAll(0));

// One service stopping on its own (a bad setting, a port in use) stops the rest: a half-started system misleads.
for (const child of children) {
  void child.process.exited.then((code) => {
    if (stopping) return;
    console.error(`${child.name} exited with code ${code}; stopping the others`);
    void stopAll(code || 1);
  });
}
