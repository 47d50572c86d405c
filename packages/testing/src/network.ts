/** A port nothing listens on right now. */
export function freePort(): number {
  const server = Bun.serve({ port: 0, fetch: () => new Response() });
  const port = server.port!;
  server.stop(true);
  return port;
}

/** A URL whose port refuses connections, to stand in for a server that is down. */
export const closedPortUrl = (scheme: string, path = "") => `${scheme}://127.0.0.1:${freePort()}${path}`;
