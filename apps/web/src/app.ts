import { corsOf, createService, type Logger } from "@w2meet/kit";
import type { WebConfig } from "./config.ts";

/** The web app: for now only the kit's health routes; the page and its assets come with its own change. */
export async function buildWebApp(config: WebConfig, logger: Logger) {
  return createService({
    name: "web",
    description: "The W2Meet page: paint your week, see the group's heatmap, book a suggestion.",
    logger,
    cors: corsOf(config),
    tags: [{ name: "page", description: "The page and its assets" }],
  });
}
