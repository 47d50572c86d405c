// `bun run bench:page`: the web page's weight and time to interactive in headless Chromium. Starts the web
// app alone (its /api answers 404s, which the page shows; the page itself is what is measured), loads each
// screen with an empty cache and no CPU throttling, and reports the bytes of JS and CSS (raw and as served,
// brotli), everything transferred, and the time from navigation start until the screen takes input.
import { join } from "node:path";
import { startService } from "@w2meet/testing";
import { chromium } from "playwright-core";

const ROOT = join(import.meta.dir, "..");
const web = await startService(join(ROOT, "apps", "web", "src", "index.ts"), {});
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu"],
});
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

try {
  for (const [screen, ready] of [
    ["/", "form#profile button"],
    ["/group", "form#group-form button"],
  ] as const) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const sizes: Record<string, { raw: number; served: number }> = {};
    let transferred = 0;
    page.on("response", async (response) => {
      const kind = response.url().endsWith(".js") ? "js" : response.url().endsWith(".css") ? "css" : "other";
      const served = Number(response.headers()["content-length"] ?? (await response.body()).length);
      const raw = (await response.body()).length;
      transferred += served;
      sizes[kind] = { raw: (sizes[kind]?.raw ?? 0) + raw, served: (sizes[kind]?.served ?? 0) + served };
    });
    const started = performance.now();
    await page.goto(`${web.url}${screen}`);
    // Interactive: the module script has run and wired the form (the submit is handled, not a navigation).
    await page.locator(ready).waitFor();
    await page.waitForFunction("document.readyState === 'complete' && !!document.querySelector('select[name=zone] option')");
    const interactive = performance.now() - started;
    await page.waitForLoadState("networkidle");
    console.log(
      `${screen.padEnd(7)} JS ${kb(sizes.js?.raw ?? 0)} raw, ${kb(sizes.js?.served ?? 0)} served · CSS ${kb(sizes.css?.raw ?? 0)} raw, ` +
        `${kb(sizes.css?.served ?? 0)} served · total ${kb(transferred)} · interactive in ${interactive.toFixed(0)} ms`,
    );
    await context.close();
  }
} finally {
  await browser.close();
  await web.stop();
}
