/**
 * The services behind the gateway and the public paths each one answers, as the routers on their
 * containers' labels in compose.yml route them (e2e/gateway.test.ts holds the two together).
 */
const SERVICES = {
  users: { paths: ["/api/users", "/api/auth"] },
  availability: { paths: ["/api/availability"] },
  suggestions: { paths: ["/api/suggestions"] },
  worker: { paths: ["/api/tasks"] },
  // The page: your week at /, the group at /group, and their bundled assets.
  web: { paths: ["/", "/group", "/assets"] },
} as const;
export type ServiceName = keyof typeof SERVICES;
export const SERVICE_NAMES = Object.keys(SERVICES) as ServiceName[];

/** Each service's health and Swagger UI are routed under its name: `/users/health`, `/users/docs`. */
const OPS_PATHS = ["health", "docs"] as const;

// The root names only itself: every other path is under some prefix of its own.
const under = (path: string, prefix: string) => path === prefix || (prefix !== "/" && path.startsWith(`${prefix}/`));

/** The service that answers `path` through the gateway, if any does. */
export function serviceOfPath(path: string): ServiceName | undefined {
  return SERVICE_NAMES.find(
    (name) => SERVICES[name].paths.some((prefix) => under(path, prefix)) || OPS_PATHS.some((ops) => under(path, `/${name}/${ops}`)),
  );
}
