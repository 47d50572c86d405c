// The chart's entrance against compose's: the IngressRoutes and Middlewares, read as Traefik reads them,
// route every path compose's labels route to the same app, with the same path after stripping and the same
// middlewares in the same order and settings (rate limits, breakers, retries, security headers and the
// gateway's problem details); a POST to /api/tasks or /api/auth is never retried.
import { beforeAll, describe, expect, test } from "bun:test";
import { type Gateway, route } from "@w2meet/deployment";
import { type KubeObject, ofKind, render, type Variant, valuesOf } from "./chart.ts";
import { deploymentsByApp, podLabelsOf } from "./chart-workloads.ts";
import { selects } from "./chart.ts";
import { loadProject } from "./project.ts";

const { gateway: composeGateway, compose, apps: APPS } = await loadProject();

/** What Traefik's Kubernetes CRD provider would build from the IngressRoutes and Middlewares. */
function gatewayOfChart(objects: KubeObject[]): Gateway {
  const routers = ofKind(objects, "IngressRoute").flatMap((ingress) =>
    ingress.spec.routes.map(
      (r: { match: string; priority?: number; services?: { name: string }[]; middlewares?: { name: string }[] }, i: number) => ({
        name: `${ingress.metadata.name}#${i}`,
        provider: "file" as const,
        rule: r.match,
        entryPoints: ingress.spec.entryPoints ?? [],
        service: r.services?.[0]?.name,
        middlewares: (r.middlewares ?? []).map((m) => m.name),
        priority: r.priority,
      }),
    ),
  );
  return { routers, middlewares: new Map(ofKind(objects, "Middleware").map((m) => [m.metadata.name, m.spec])), services: new Map() };
}

/** The app behind a compose service name (`users@docker`), or Traefik's own service (`ping@internal`). */
const composeTarget = (service: string) => {
  if (service.endsWith("@internal")) return service;
  const owner = composeGateway.services.get(service)?.owner;
  return owner && (compose.services[owner]?.build as { args?: { APP?: string } } | undefined)?.args?.APP;
};
/** The app behind a Kubernetes Service of the chart, or Traefik's own service. */
const chartTarget = (objects: KubeObject[], service: string) => {
  if (service.endsWith("@internal")) return service;
  const selector = ofKind(objects, "Service").find((s) => s.metadata.name === service)?.spec.selector;
  return selector && [...deploymentsByApp(objects, APPS).values()].find(({ workload }) => selects(selector, podLabelsOf(workload)))?.app;
};

/**
 * A middleware's settings in one spelling for both: keys lower-cased (labels are), lists comma-joined,
 * scalars as strings; the errors middleware's service as the app it reaches.
 */
function canonical(middleware: Record<string, unknown>, target: (service: unknown) => string | undefined): unknown {
  const normal = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.join(",");
    if (value && typeof value === "object")
      return Object.fromEntries(
        Object.entries(value)
          .map(([key, item]) => [key.toLowerCase(), normal(item)])
          .sort(([a], [b]) => String(a).localeCompare(String(b))),
      );
    return String(value);
  };
  const result = normal(middleware) as Record<string, Record<string, unknown>>;
  if (result.errors) result.errors.service = target((middleware.errors as { service: unknown }).service);
  return result;
}

/** Every path compose's rules name, and one under each prefix, plus paths no rule names. */
const probePaths = [
  ...new Set([
    "/",
    "/nothing",
    "/api",
    "/api/unknown",
    "/health",
    ...composeGateway.routers.flatMap((router) =>
      [...(router.rule ?? "").matchAll(/(Path|PathPrefix)\(`([^`]*)`\)/g)].flatMap(([, matcher, path]) =>
        matcher === "PathPrefix" ? [path!, `${path!.replace(/\/$/, "")}/probe`] : [path!],
      ),
    ),
  ]),
];

/** How a request for `path` is handled: the app it reaches, the path it sees and the middlewares on the way. */
function handling(gateway: Gateway, path: string, entryPoint: string, host: string, target: (service: string) => unknown) {
  const found = route(gateway, path, entryPoint, host);
  if (!found) return undefined;
  const errorsTarget = (service: unknown) =>
    String(
      target(typeof service === "string" ? service : String((service as { name: string }).name)) ?? `unknown ${JSON.stringify(service)}`,
    );
  return {
    app: target(found.router.service!),
    upstreamPath: found.upstreamPath,
    middlewares: found.router.middlewares.map((name) => {
      const middleware = gateway.middlewares.get(name);
      return middleware ? canonical(middleware, errorsTarget) : `missing middleware ${name}`;
    }),
  };
}

const checks: { variant: Variant; entryPoints: string[] }[] = [
  { variant: "default", entryPoints: ["web", "websecure"] },
  { variant: "production", entryPoints: ["websecure"] },
];
for (const { variant, entryPoints } of checks) {
  describe(`the entrance with the ${variant} values`, () => {
    let objects: KubeObject[] = [];
    let chartGateway: Gateway;
    let host = "localhost";
    beforeAll(() => {
      objects = render(variant);
      chartGateway = gatewayOfChart(objects);
      host = String((valuesOf(variant).ingress as { host?: string }).host || "localhost");
    });

    test("routes every path as compose does: same app, same path after stripping, same middlewares in the same order", () => {
      for (const entryPoint of entryPoints) {
        for (const path of probePaths) {
          const wanted = handling(composeGateway, path, entryPoint, "localhost", composeTarget);
          const got = handling(chartGateway, path, entryPoint, host, (service) => chartTarget(objects, service));
          expect(got, `${entryPoint} ${path}`).toEqual(wanted);
        }
      }
    });

    test("redirects plain HTTP to HTTPS for its host, as compose does for any host but this machine's, when TLS is on", () => {
      const tls = (valuesOf(variant).ingress as { tls?: { enabled?: boolean; redirectEntryPoints?: string[] } }).tls;
      if (!tls?.enabled) return;
      // compose redirects to its published HTTPS port, the chart to HTTPS's own: only the scheme is compared.
      const redirect = (gateway: Gateway, path: string, requestHost: string) => {
        const found = route(gateway, path, "web", requestHost);
        return {
          service: found?.router.service,
          middlewares: found?.router.middlewares.map((name) => {
            const redirectScheme = Object.entries(gateway.middlewares.get(name) ?? {}).find(
              ([type]) => type.toLowerCase() === "redirectscheme",
            );
            return redirectScheme ? { redirectscheme: String(redirectScheme[1].scheme) } : name;
          }),
        };
      };
      expect(tls.redirectEntryPoints).toEqual(["web"]);
      for (const path of probePaths) expect(redirect(chartGateway, path, host), path).toEqual(redirect(composeGateway, path, host));
    });

    test("never retries a POST to /api/tasks or /api/auth", () => {
      for (const path of ["/api/tasks", "/api/auth/login", "/api/auth/verification"]) {
        for (const entryPoint of entryPoints) {
          const found = route(chartGateway, path, entryPoint, host);
          expect(found, `${entryPoint} ${path} is routed`).toBeDefined();
          const types = found!.router.middlewares.flatMap((name) => Object.keys(chartGateway.middlewares.get(name) ?? {}));
          expect(types, `${entryPoint} ${path}`).not.toContain("retry");
        }
      }
    });

    test("refers only to Middlewares and Services it renders, on ports they have", () => {
      const services = ofKind(objects, "Service");
      for (const ingress of ofKind(objects, "IngressRoute")) {
        for (const r of ingress.spec.routes) {
          for (const { name } of r.middlewares ?? [])
            expect(chartGateway.middlewares.has(name), `${ingress.metadata.name} uses ${name}`).toBe(true);
          for (const service of r.services ?? []) {
            if (service.kind === "TraefikService") continue;
            const found = services.find((s) => s.metadata.name === service.name);
            expect(found, `${ingress.metadata.name} routes to Service ${service.name}`).toBeDefined();
            expect(
              found!.spec.ports.flatMap((p: { name?: string; port: number }) => [p.name, p.port]),
              service.name,
            ).toContain(service.port);
          }
        }
      }
    });
  });
}
