import { corsOf, createService, type Logger } from "@w2meet/kit";
import { apiForwardingRoutes } from "./api-forwarding/routes.ts";
import { apiTargets } from "./api-forwarding/service.ts";
import type { WebConfig } from "./config.ts";
import { pageAssetRoutes } from "./page-assets/routes.ts";
import { bundlePage } from "./page-assets/service.ts";

/**
 * The web app: the page (your week at `/`, the group at `/group`, their bundled assets under
 * `/assets/`), and, natively where no Traefik routes `/api`, the API forwarded to the services.
 */
export async function buildWebApp(config: WebConfig, logger: Logger) {
  const bundle = await bundlePage();
  return createService({
    name: "web",
    description: "The W2Meet page: paint your week, see the group's heatmap, book a suggestion.",
    logger,
    cors: corsOf(config),
    tags: [{ name: "page", description: "The page and its assets" }],
  })
    .use(pageAssetRoutes(bundle))
    .use(apiForwardingRoutes({ targets: apiTargets(config), timeoutMs: config.API_TIMEOUT_MS }));
}
