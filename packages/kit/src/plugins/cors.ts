import { cors } from "@elysiajs/cors";
import { Elysia } from "elysia";
import { CASE_ID_HEADER } from "./case-id.ts";

export type CorsPolicy = { origins: readonly string[]; credentials?: boolean };

/**
 * CORS for the configured origins only (none by default: then no CORS header at all), with credentials
 * only when asked for; the case id and cache headers are readable by the page.
 */
export function corsPolicy(policy: CorsPolicy = { origins: [] }) {
  const plugin = new Elysia({ name: "kit.cors" });
  if (!policy.origins.length) return plugin;
  return plugin.use(
    cors({ origin: [...policy.origins], credentials: policy.credentials ?? false, exposeHeaders: [CASE_ID_HEADER, "x-cache"] }),
  );
}
