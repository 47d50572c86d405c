// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright locators, whose innerText() is the rendered text the page shows
// Swagger UI as a person sees it, in headless Chromium: the users service's /docs renders its
// operations without a single request leaving the service's origin, and "Try it out" works, both when
// the service is called directly and behind a stand-in of the gateway that strips prefixes as Traefik does.
// Set DOCS_SCREENSHOT=/tmp/docs.png to keep a picture of the page.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { createTestDatabase, startService, uniquePrefix, type RunningService } from "@w2meet/testing";
import { launchChromium, openConfined, type PageRecord } from "./browser.ts";

const ROOT = join(import.meta.dir, "..");
const TIMEOUT_MS = 60_000;

let users: RunningService;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let gateway: ReturnType<typeof Bun.serve>;

/** Forwards as the gateway does: /users/{docs,health}… and /api/… with the prefix stripped and named. */
function startGatewayStandIn(upstream: string) {
  return Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(request) {
      const url = new URL(request.url);
      const prefix = /^\/users\/(docs|health)(\/|$)/.test(url.pathname) ? "/users" : url.pathname.startsWith("/api/") ? "/api" : undefined;
      if (!prefix) return new Response("no route", { status: 404 });
      const headers = new Headers(request.headers);
      headers.set("x-forwarded-prefix", prefix);
      const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.arrayBuffer();
      return fetch(`${upstream}${url.pathname.slice(prefix.length)}${url.search}`, { method: request.method, headers, body });
    },
  });
}

beforeAll(async () => {
  // Chromium first: without it the test fails at once, saying how to install it.
  browser = await launchChromium();
  database = await createTestDatabase("w2meet_docs_ui");
  users = await startService(join(ROOT, "apps", "users", "src", "index.ts"), {
    DATABASE_URL: database.url,
    CACHE_PREFIX: `docs-ui-test:${crypto.randomUUID().slice(0, 8)}:`,
    // Its person.changed events go to an exchange of the test's own, which nothing reads.
    QUEUE_PREFIX: uniquePrefix("docs-ui"),
  });
  gateway = startGatewayStandIn(users.url);
}, TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
  gateway?.stop(true);
  await users?.stop();
  await database?.drop();
});

const operation = ({ page }: PageRecord, method: string, path: string) =>
  page.locator(`.opblock-${method}:has(.opblock-summary-path[data-path="${path}"])`);

/** Opens the operation, presses "Try it out" then "Execute", and returns its live response's status and request URL. */
async function tryItOut(record: PageRecord, method: string, path: string) {
  const block = operation(record, method, path);
  await block.locator(".opblock-summary-control").click();
  await block.locator(".try-out__btn").click();
  await block.locator(".execute").click();
  const status = block.locator(".live-responses-table tbody .response-col_status").first();
  await status.waitFor();
  return {
    status: (await status.innerText()).trim(),
    requestUrl: (await block.locator(".request-url pre").innerText()).trim(),
    body: await block.locator(".live-responses-table tbody .response-col_description").first().innerText(),
  };
}

async function openDocs(pageUrl: string): Promise<PageRecord> {
  const record = await openConfined(browser.context, new URL(pageUrl).origin);
  record.page.setDefaultTimeout(20_000);
  await record.page.goto(pageUrl);
  await operation(record, "get", "/users/{email}").waitFor();
  return record;
}

describe("Swagger UI of the users service", () => {
  test(
    "renders every operation from the service alone, and Try it out answers 200",
    async () => {
      const record = await openDocs(`${users.url}/docs`);
      const { page } = record;
      expect(await page.locator(".info .title").textContent()).toContain("W2Meet users");
      expect(await page.locator('.opblock-summary-path[data-path^="/users"]').count()).toBe(11);
      expect(await page.locator('.opblock-summary-path[data-path^="/auth"]').count()).toBe(4);
      expect(await page.locator('.opblock-summary-path[data-path^="/health"]').count()).toBe(2);
      // The routes that take a token say so: Swagger UI shows its lock on them and offers "Authorize".
      expect(await page.locator(".btn.authorize").count()).toBe(1);
      expect(await operation(record, "put", "/users/{email}").locator(".authorization__btn").count()).toBe(1);
      // A route anyone may call, with no parameter to fill in.
      const answer = await tryItOut(record, "get", "/auth/jwks.json");
      if (process.env.DOCS_SCREENSHOT) await page.screenshot({ path: process.env.DOCS_SCREENSHOT, fullPage: true });
      expect(answer.status).toBe("200");
      expect(answer.requestUrl).toBe(`${users.url}/auth/jwks.json`);
      expect(answer.body).toContain("Ed25519");

      expect(record.foreignRequests).toEqual([]);
      expect(record.errors).toEqual([]);
      await page.close();
    },
    TIMEOUT_MS,
  );

  test(
    "works behind the gateway: the API under /api, the health routes beside the docs",
    async () => {
      const origin = `http://127.0.0.1:${gateway.port}`;
      const record = await openDocs(`${origin}/users/docs`);

      const keys = await tryItOut(record, "get", "/auth/jwks.json");
      expect(keys.status).toBe("200");
      expect(keys.requestUrl).toBe(`${origin}/api/auth/jwks.json`);
      expect(keys.body).toContain("Ed25519");
      const health = await tryItOut(record, "get", "/health/live");
      expect(health.status).toBe("200");
      expect(health.requestUrl).toBe(`${origin}/users/health/live`);

      expect(record.foreignRequests).toEqual([]);
      expect(record.errors).toEqual([]);
      await record.page.close();
    },
    TIMEOUT_MS,
  );
});
