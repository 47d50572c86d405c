import { corsOf, createService, createServiceClient, type Logger, type ServiceClientOptions, tokenVerifierOf } from "@w2meet/kit";
import type { GatewayConfig } from "./config.ts";
import { gatewayErrorRoutes } from "./gateway-errors/routes.ts";
import { SERVICE_NAMES, type ServiceName } from "./services.ts";
import { systemHealthRoutes } from "./system-health/routes.ts";

const baseUrlSetting: Record<ServiceName, keyof GatewayConfig> = {
  users: "USERS_URL",
  availability: "AVAILABILITY_URL",
  suggestions: "SUGGESTIONS_URL",
  worker: "WORKER_URL",
  web: "WEB_URL",
};

/**
 * The gateway's own service, beside Traefik: problem details for the errors Traefik makes, and the
 * system's health in one answer. It depends on nothing, so it can answer while every service is down.
 * `resolve` stands in for DNS (the replicas of each service's host name) in tests.
 */
export function buildGatewayApp(config: GatewayConfig, logger: Logger, options: { resolve?: ServiceClientOptions["resolve"] } = {}) {
  const services = Object.fromEntries(
    SERVICE_NAMES.map((name) => [
      name,
      createServiceClient({
        name,
        baseUrl: String(config[baseUrlSetting[name]]),
        timeoutMs: config.HEALTH_TIMEOUT_MS,
        resolve: options.resolve,
      }),
    ]),
  );
  return createService({
    name: "gateway",
    description: "The gateway's own routes: problem details for the errors Traefik makes, and every service's health in one answer.",
    logger,
    cors: corsOf(config),
    verifyTokens: tokenVerifierOf(config),
    tags: [{ name: "gateway", description: "What the gateway answers itself" }],
    // The answer to a request no router took is about its path, whatever its body.
    takesBodies: false,
  })
    .use(gatewayErrorRoutes())
    .use(systemHealthRoutes({ services, timeoutMs: config.HEALTH_TIMEOUT_MS }));
}
