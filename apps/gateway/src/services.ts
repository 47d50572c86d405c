/**
 * The services behind the gateway and the public paths each one answers, as the routers on their
 * containers' labels in compose.yml route them (e2e/gateway.test.ts holds the two together).
 */
const SERVICES = {
  users: { api: ["/api/users", "/api/auth"] },
  availability: { api: ["/api/availability"] },
  suggestions: { api: ["/api/suggestions"] },
  worker: { api: ["/api/tasks"] },
} as const;
export type ServiceName = keyof typeof SERVICES;
export const SERVICE_NAMES = Object.keys(SERVICES) as ServiceName[];

/** Each service's health and Swagger UI are routed under its name: `/users/health`, `/users/docs`. */
const OPS_PATHS = ["health", "docs"] as const;

const under = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);

/** The service that answers `path` through the gateway, if any does. */
export function serviceOfPath(path: string): ServiceName | undefined {
  return SERVICE_NAMES.find(
    (name) => SERVICES[name].api.some((prefix) => under(path, prefix)) || OPS_PATHS.some((ops) => under(path, `/${name}/${ops}`)),
  );
}
