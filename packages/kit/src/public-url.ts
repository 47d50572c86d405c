const PREFIX = /^(\/[A-Za-z0-9._~-]+)+$/;
const HOST = /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?$/;
const PROTO = /^https?$/;

/** Where the gateway publishes every service's API routes (it strips this prefix before forwarding). */
export const GATEWAY_API_PREFIX = "/api";

/** A forwarded header's first value when it is well-formed; undefined otherwise. */
function forwarded(request: Request, name: string, valid: RegExp): string | undefined {
  const value = request.headers.get(name)?.split(",")[0]?.trim().replace(/\/+$/, "");
  return value && valid.test(value) ? value : undefined;
}

/**
 * The path prefix a proxy stripped before forwarding the request (`X-Forwarded-Prefix`, set by Traefik's
 * stripPrefix, e.g. `/api` or `/users`); undefined when called directly or when the value is not a plain path.
 */
export const forwardedPrefix = (request: Request) => forwarded(request, "x-forwarded-prefix", PREFIX);

/**
 * The base URL a client reached this service's routes at, for links in answers (e.g. `status_url`).
 * `publicUrl` (the gateway's public origin) wins when set: its routes are under `/api`. Otherwise it
 * is read from the request — behind a proxy from its `X-Forwarded-Host`, `-Proto` and the prefix it
 * stripped (`X-Forwarded-Prefix`, e.g. `/api` through Traefik) — so a link works natively and through
 * the gateway alike. Forwarded values that are not well-formed are ignored.
 */
export function publicBase(request: Request, publicUrl = ""): string {
  if (publicUrl) return `${publicUrl.replace(/\/+$/, "")}${GATEWAY_API_PREFIX}`;
  const url = new URL(request.url);
  const proto = forwarded(request, "x-forwarded-proto", PROTO) ?? url.protocol.slice(0, -1);
  const host = forwarded(request, "x-forwarded-host", HOST) ?? url.host;
  return `${proto}://${host}${forwardedPrefix(request) ?? ""}`;
}
