// Headless Chromium for the tests that look at a page as a person would. playwright-core drives the
// system's Chromium (Debian's package); it never downloads a browser of its own.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

const CHROMIUM_PATH = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

// No request of the browser's own (updates, sync, field trials) may leave the machine during a test.
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** A browser without a profile, for tests that need several contexts (time zones, screen sizes). */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(`Chromium is needed by the browser tests and is not at ${CHROMIUM_PATH} (apt-get install -y chromium)`);
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ARGS });
}

/** A browser with a fresh profile; `close()` ends it and removes the profile. Fails, saying how to get one, without Chromium. */
export async function launchChromium(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is needed by the browser tests and is not at ${CHROMIUM_PATH}. Install Debian's package ` +
        "(sudo apt-get update && sudo apt-get install -y chromium), or set CHROMIUM_PATH to a Chromium or Chrome binary.",
    );
  }
  const profile = mkdtempSync(join(tmpdir(), "w2meet-chromium-"));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, headless: true, args: ARGS });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** What a page did that a test should know about: requests to other origins (aborted) and errors it logged. */
export type PageRecord = { page: Page; foreignRequests: string[]; errors: string[] };

/** Opens a page that may reach only `origin`: any other request is aborted and recorded. */
export async function openConfined(context: BrowserContext, origin: string): Promise<PageRecord> {
  const page = await context.newPage();
  const record: PageRecord = { page, foreignRequests: [], errors: [] };
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin) return route.continue();
    record.foreignRequests.push(url);
    return route.abort("blockedbyclient");
  });
  // CSP violations are reported on the console as errors.
  page.on("console", (message) => {
    if (message.type() === "error") record.errors.push(message.text());
  });
  page.on("pageerror", (error) => record.errors.push(String(error)));
  return record;
}
