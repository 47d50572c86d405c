import { asMapping, type ComposeFile } from "./compose-file.ts";

/** A Traefik HTTP router, from a container's labels (`docker`) or the dynamic file (`file`). */
export type Router = {
  name: string;
  provider: "docker" | "file";
  /** The Compose service whose labels declare it. */
  owner?: string;
  rule?: string;
  entryPoints: string[];
  service?: string;
  middlewares: string[];
  priority?: number;
};

/** A Traefik middleware's configuration, e.g. `{ stripPrefix: { prefixes: ["/api"] } }`. */
type Middleware = Record<string, Record<string, unknown>>;

/** What Traefik would build from compose.yml's labels and the file provider's dynamic configuration. */
export type Gateway = {
  routers: Router[];
  middlewares: Map<string, Middleware>;
  /** Load-balanced services by qualified name (`users@docker`): their port and health check. */
  services: Map<string, { owner: string; port?: number; healthcheckPath?: string }>;
};

/** A router as the file provider declares it. */
type FileRouter = { rule: string; entryPoints?: string[]; service?: string; middlewares?: string[]; priority?: number };
type Dynamic = { http?: { routers?: Record<string, FileRouter>; middlewares?: Record<string, Middleware> } };

const splitList = (value: string | undefined) =>
  (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

/** Qualifies a reference made from `provider` (`users` from a label means `users@docker`). */
const qualify = (name: string, provider: string) => (name.includes("@") ? name : `${name}@${provider}`);

/** Reads the routers, middlewares and services that the labels and the dynamic file declare. */
export function gatewayOf(compose: ComposeFile, dynamic: Dynamic): Gateway {
  const gateway: Gateway = { routers: [], middlewares: new Map(), services: new Map() };
  for (const [name, router] of Object.entries(dynamic.http?.routers ?? {})) {
    gateway.routers.push({
      name: `${name}@file`,
      provider: "file",
      rule: router.rule,
      entryPoints: router.entryPoints ?? [],
      service: router.service && qualify(router.service, "file"),
      middlewares: (router.middlewares ?? []).map((m: string) => qualify(m, "file")),
      priority: router.priority,
    });
  }
  for (const [name, middleware] of Object.entries(dynamic.http?.middlewares ?? {})) gateway.middlewares.set(`${name}@file`, middleware);

  for (const [owner, service] of Object.entries(compose.services)) {
    const labels = asMapping(service.labels);
    if (labels["traefik.enable"] !== "true") continue;
    const groups = new Map<string, Map<string, Record<string, string>>>();
    for (const [key, value] of Object.entries(labels)) {
      const match = key.match(/^traefik\.http\.(routers|middlewares|services)\.([^.]+)\.(.+)$/);
      if (!match) continue;
      const [, kind, name, option] = match as unknown as [string, string, string, string];
      const byName = groups.get(kind) ?? groups.set(kind, new Map()).get(kind)!;
      (byName.get(name) ?? byName.set(name, {}).get(name)!)[option.toLowerCase()] = value;
    }
    for (const [name, options] of groups.get("routers") ?? []) {
      gateway.routers.push({
        name: `${name}@docker`,
        provider: "docker",
        owner,
        rule: options.rule,
        entryPoints: splitList(options.entrypoints),
        service: options.service && qualify(options.service, "docker"),
        middlewares: splitList(options.middlewares).map((m) => qualify(m, "docker")),
        priority: options.priority === undefined ? undefined : Number(options.priority),
      });
    }
    for (const [name, options] of groups.get("middlewares") ?? []) {
      const middleware: Middleware = {};
      for (const [option, value] of Object.entries(options)) {
        // errors.status → { errors: { status } }; errors.statusrewrites.599 → { errors: { statusrewrites: { 599 } } }
        const [type, field, ...rest] = option.split(".") as [string, string, ...string[]];
        middleware[type] ??= {};
        if (rest.length === 0) {
          middleware[type][field] = value;
        } else {
          middleware[type][field] ??= {};
          (middleware[type][field] as Record<string, string>)[rest.join(".")] = value;
        }
      }
      gateway.middlewares.set(`${name}@docker`, middleware);
    }
    for (const [name, options] of groups.get("services") ?? []) {
      const port = options["loadbalancer.server.port"];
      gateway.services.set(`${name}@docker`, {
        owner,
        port: port === undefined ? undefined : Number(port),
        healthcheckPath: options["loadbalancer.healthcheck.path"],
      });
    }
  }
  return gateway;
}

/**
 * Evaluates a Traefik v3 rule against a request's path and host name. Knows the path matchers (Path,
 * PathPrefix, PathRegexp), Host, and &&, ||, ! and parentheses; any other matcher is an error, so a
 * check never passes by ignoring part of a rule.
 */
export function ruleMatches(rule: string, path: string, host = "localhost"): boolean {
  const tokens = rule.match(/`[^`]*`|&&|\|\||[()!,]|[A-Za-z]+|\S/g) ?? [];
  let at = 0;
  const peek = () => tokens[at];
  const take = (expected?: string) => {
    const token = tokens[at++];
    if (expected !== undefined && token !== expected) throw new Error(`Rule ${rule}: expected ${expected}, found ${token}`);
    return token!;
  };
  const matcher = (name: string, args: string[]): boolean => {
    switch (name) {
      case "Path":
        return args.includes(path);
      case "PathPrefix":
        return args.some((prefix) => path.startsWith(prefix));
      case "PathRegexp":
        return args.some((pattern) => new RegExp(pattern).test(path));
      case "Host":
        return args.some((name) => name.toLowerCase() === host.toLowerCase());
      default:
        throw new Error(`Rule ${rule}: matcher ${name} is not evaluated by this check`);
    }
  };
  const factor = (): boolean => {
    const token = take();
    if (token === "!") return !factor();
    if (token === "(") {
      const value = expression();
      take(")");
      return value;
    }
    take("(");
    const args: string[] = [];
    while (peek() !== ")") {
      const arg = take();
      if (!arg.startsWith("`")) throw new Error(`Rule ${rule}: arguments must be backquoted`);
      args.push(arg.slice(1, -1));
      if (peek() === ",") take(",");
    }
    take(")");
    return matcher(token, args);
  };
  const term = (): boolean => {
    let value = factor();
    while (peek() === "&&") {
      take();
      value = factor() && value;
    }
    return value;
  };
  const expression = (): boolean => {
    let value = term();
    while (peek() === "||") {
      take();
      value = term() || value;
    }
    return value;
  };
  const result = expression();
  if (at !== tokens.length) throw new Error(`Rule ${rule}: unexpected ${tokens[at]}`);
  return result;
}

/**
 * Where a request for `path` (to `host`) on `entryPoint` ends up: the router Traefik picks and the path the
 * service sees once the router's stripPrefix, replacePath and replacePathRegex middlewares ran.
 */
export function route(
  gateway: Gateway,
  path: string,
  entryPoint = "web",
  host = "localhost",
): { router: Router; upstreamPath: string } | undefined {
  const candidates = gateway.routers
    .filter((router) => router.rule && router.entryPoints.includes(entryPoint) && ruleMatches(router.rule, path, host))
    // Traefik's default priority is the length of the rule; the longest wins.
    .sort((a, b) => (b.priority ?? b.rule!.length) - (a.priority ?? a.rule!.length));
  const router = candidates[0];
  if (!router) return undefined;
  let upstreamPath = path;
  for (const name of router.middlewares) {
    const middleware = gateway.middlewares.get(name);
    const replacement = middleware?.replacepath?.path ?? middleware?.replacePath?.path;
    if (replacement !== undefined) upstreamPath = String(replacement);
    const byRegex = middleware?.replacepathregex ?? middleware?.replacePathRegex;
    if (byRegex?.regex !== undefined) {
      // Go's $1 in a replacement is JavaScript's too.
      upstreamPath = upstreamPath.replace(new RegExp(String(byRegex.regex)), String(byRegex.replacement));
    }
    const prefixes = middleware?.stripprefix?.prefixes ?? middleware?.stripPrefix?.prefixes;
    if (prefixes === undefined) continue;
    const list = Array.isArray(prefixes) ? (prefixes as string[]) : splitList(String(prefixes));
    const prefix = list.find((p) => upstreamPath.startsWith(p));
    if (prefix) upstreamPath = `/${upstreamPath.slice(prefix.length).replace(/^\/+/, "")}`;
  }
  return { router, upstreamPath };
}

/** The path prefixes a router strips, in order; a request for `upstreamPath` must carry them. */
export function strippedPrefixes(gateway: Gateway, router: Router): string[] {
  return router.middlewares.flatMap((name) => {
    const prefixes = gateway.middlewares.get(name)?.stripprefix?.prefixes ?? gateway.middlewares.get(name)?.stripPrefix?.prefixes;
    if (prefixes === undefined) return [];
    return Array.isArray(prefixes) ? (prefixes as string[]) : splitList(String(prefixes));
  });
}

/** Parses a Go duration such as `60s`, `1m30s` or `250ms` into seconds. */
export function durationSeconds(value: string): number {
  const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001, us: 1e-6, µs: 1e-6, ns: 1e-9 };
  let seconds = 0;
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g)];
  if (!parts.length || parts.map((p) => p[0]).join("") !== value) throw new Error(`Not a duration: ${value}`);
  for (const [, amount, unit] of parts) seconds += Number(amount) * units[unit!]!;
  return seconds;
}
