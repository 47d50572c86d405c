import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const PAGE_DIR = join(import.meta.dir, "..", "page");

/** The page's two screens, by the path that serves each, and the HTML file it is built from. */
export const SCREENS = { "/": "week.html", "/group": "group.html" } as const;

/** One built file, kept in memory in each encoding it is served in. */
export type PageFile = {
  type: string;
  etag: string;
  /** Hashed assets never change under their name; the HTML is revalidated. */
  immutable: boolean;
  identity: Uint8Array;
  gzip: Uint8Array;
  br: Uint8Array;
};

/** The built page: each file by the path it is served at. */
export type PageBundle = Map<string, PageFile>;

// Only the page's own origin: no inline script or style, no other host, nothing framed.
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

/**
 * Bundles and minifies the page with Bun (HTML, TypeScript and CSS, the shared code split into a
 * chunk), once, into memory, compressed ahead with gzip and brotli.
 */
export async function bundlePage(): Promise<PageBundle> {
  const result = await Bun.build({
    entrypoints: Object.values(SCREENS).map((file) => join(PAGE_DIR, file)),
    minify: true,
    splitting: true,
    target: "browser",
    publicPath: "/",
    naming: { entry: "[name].[ext]", chunk: "assets/[name]-[hash].[ext]", asset: "assets/[name]-[hash].[ext]" },
  });
  if (!result.success) throw new AggregateError(result.logs, "The page did not build");
  const bundle: PageBundle = new Map();
  for (const output of result.outputs) {
    const name = output.path.replace(/^\.\//, "");
    const identity = new Uint8Array(await output.arrayBuffer());
    const isHtml = name.endsWith(".html");
    bundle.set(isHtml ? name : `/${name}`, {
      type: output.type,
      etag: `"${Bun.hash(identity).toString(36)}"`,
      immutable: !isHtml,
      identity,
      gzip: gzipSync(identity, { level: 9 }),
      br: brotliCompressSync(identity, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
    });
  }
  return bundle;
}

/** The answer for one file: the smallest encoding the client accepts, 304 when its copy is current. */
export function servePageFile(file: PageFile, request: Request): Response {
  const headers: Record<string, string> = {
    "content-type": file.type,
    etag: file.etag,
    vary: "accept-encoding",
    "cache-control": file.immutable ? "public, max-age=31536000, immutable" : "no-cache",
    "x-content-type-options": "nosniff",
  };
  if (!file.immutable) {
    headers["content-security-policy"] = CONTENT_SECURITY_POLICY;
    headers["referrer-policy"] = "no-referrer";
  }
  if (request.headers.get("if-none-match") === file.etag) return new Response(null, { status: 304, headers });
  const accepted = request.headers.get("accept-encoding") ?? "";
  if (/\bbr\b/.test(accepted)) return new Response(file.br, { headers: { ...headers, "content-encoding": "br" } });
  if (/\bgzip\b/.test(accepted)) return new Response(file.gzip, { headers: { ...headers, "content-encoding": "gzip" } });
  return new Response(file.identity, { headers });
}
