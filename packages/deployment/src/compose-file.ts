import { parse } from "yaml";

/** The parts of a Compose service the checks read. */
export type ComposeService = {
  image?: string;
  build?: string | { context?: string; dockerfile?: string; args?: Record<string, string | number> | string[] };
  container_name?: string;
  ports?: unknown[];
  volumes?: unknown[];
  environment?: Record<string, string | number | boolean | null> | string[];
  labels?: Record<string, string> | string[];
  networks?: string[] | Record<string, unknown>;
  depends_on?: string[] | Record<string, { condition: string }>;
  healthcheck?: { test?: string | string[]; disable?: boolean };
  restart?: string;
  deploy?: { replicas?: number };
};

export type ComposeFile = {
  services: Record<string, ComposeService>;
  networks?: Record<string, { name?: string } | null>;
  volumes?: Record<string, unknown>;
};

/** A `${NAME...}` reference in a Compose file, and whether it works when NAME is unset. */
export type Interpolation = { name: string; hasDefault: boolean };

const REFERENCE = /\$(\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])((?:[^{}]|\{[^{}]*\})*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/**
 * Replaces Compose variable references the way `docker compose` does: `${VAR}`, `$VAR`,
 * `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR:+alt}`; `$$` is a literal `$`.
 */
export function interpolate(text: string, env: Record<string, string | undefined>): string {
  return text.replace(REFERENCE, (_whole, escaped: string, braced?: string, operator?: string, operand = "", bare?: string) => {
    if (escaped === "$") return "$";
    const name = braced ?? bare!;
    const value = env[name];
    const unsetOrEmpty = value === undefined || value === "";
    switch (operator) {
      case ":-":
        return unsetOrEmpty ? interpolate(operand, env) : value!;
      case "-":
        return value === undefined ? interpolate(operand, env) : value;
      case ":?":
      case "?":
        if (operator === ":?" ? unsetOrEmpty : value === undefined) throw new Error(`${name} is required: ${operand}`);
        return value!;
      case ":+":
        return unsetOrEmpty ? "" : interpolate(operand, env);
      case "+":
        return value === undefined ? "" : interpolate(operand, env);
      default:
        return value ?? "";
    }
  });
}

/** Every variable a Compose file references (comments aside), with whether each has a default. */
export function interpolations(text: string): Interpolation[] {
  const strings: string[] = [];
  const collect = (value: unknown): void => {
    if (typeof value === "string") strings.push(value);
    else if (Array.isArray(value)) value.forEach(collect);
    else if (value && typeof value === "object") {
      for (const [key, item] of Object.entries(value)) {
        strings.push(key);
        collect(item);
      }
    }
  };
  collect(parse(text, { merge: true }));
  const found = new Map<string, boolean>();
  for (const match of strings.join("\n").matchAll(REFERENCE)) {
    if (match[1] === "$") continue;
    const name = match[2] ?? match[5]!;
    const hasDefault = match[3] === ":-" || match[3] === "-" || match[3] === ":+" || match[3] === "+";
    found.set(name, (found.get(name) ?? true) && hasDefault);
  }
  return [...found].map(([name, hasDefault]) => ({ name, hasDefault }));
}

/** Interpolates every string of a parsed document, keys included. */
function interpolateDocument(value: unknown, env: Record<string, string | undefined>): unknown {
  if (typeof value === "string") return interpolate(value, env);
  if (Array.isArray(value)) return value.map((item) => interpolateDocument(item, env));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [interpolate(k, env), interpolateDocument(v, env)]));
  }
  return value;
}

/** Parses a Compose file (YAML merge keys resolved) and interpolates it with `env`, as `docker compose config` would. */
export function parseCompose(text: string, env: Record<string, string | undefined> = {}): ComposeFile {
  const document = parse(text, { merge: true }) as ComposeFile;
  return interpolateDocument(document, env) as ComposeFile;
}

/** A `KEY=value` list or a mapping, as a mapping of strings (null stays unset). */
export function asMapping(value: Record<string, unknown> | string[] | undefined): Record<string, string> {
  if (!value) return {};
  if (Array.isArray(value)) {
    return Object.fromEntries(
      value.map((entry) => {
        const at = entry.indexOf("=");
        return at < 0 ? [entry, ""] : [entry.slice(0, at), entry.slice(at + 1)];
      }),
    );
  }
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => [k, String(v)]),
  );
}

/** Names of the networks a service joins. */
export const networksOf = (service: ComposeService): string[] =>
  Array.isArray(service.networks) ? service.networks : Object.keys(service.networks ?? {});

/** Names of the services a service waits for, with the condition it waits for. */
export function dependenciesOf(service: ComposeService): Record<string, string> {
  const depends = service.depends_on ?? {};
  if (Array.isArray(depends)) return Object.fromEntries(depends.map((name) => [name, "service_started"]));
  return Object.fromEntries(Object.entries(depends).map(([name, { condition }]) => [name, condition]));
}

/** The Dockerfile, context and build arguments a service is built from, relative to the Compose file. */
export function buildOf(service: ComposeService): { context: string; dockerfile: string; args: Record<string, string> } | undefined {
  if (!service.build) return undefined;
  if (typeof service.build === "string") return { context: service.build, dockerfile: "Dockerfile", args: {} };
  const { context = ".", dockerfile = "Dockerfile", args } = service.build;
  return { context, dockerfile, args: asMapping(args) };
}
