import { tmpdir } from "node:os";
// The web app started natively beside the system, forwarding /api to it, and what its browser tests share.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startService, type RunningService } from "@w2meet/testing";
import type { Page } from "playwright-core";
import type { System } from "./system.ts";

const ROOT = join(import.meta.dir, "..");

/** Starts apps/web with every *_URL pointing at `system`'s services. */
export function startWebApp(system: System): Promise<RunningService> {
  return startService(join(ROOT, "apps", "web", "src", "index.ts"), {
    USERS_URL: system.users().url,
    AVAILABILITY_URL: system.availability.url,
    SUGGESTIONS_URL: system.suggestions.url,
    WORKER_URL: system.worker.url,
  });
}

// The README's screenshots: refreshed in docs/screenshots/ with UPDATE_SCREENSHOTS=1, else taken into a
// scratch folder, so a test run leaves the checkout as it was.
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === "1" ? join(ROOT, "docs", "screenshots") : join(tmpdir(), "w2meet-screenshots");

/** Takes a full-page screenshot of one of the main screens (see SCREENSHOTS). */
export const screenshot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

type AxeViolation = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] };

/** The serious and critical accessibility violations axe-core finds on the page (its context must bypass the CSP to inject it). */
export async function seriousViolations(page: Page): Promise<string[]> {
  const source = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  await page.evaluate(source);
  const violations = (await page.evaluate(
    "axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations)",
  )) as AxeViolation[];
  return violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => `${violation.id}: ${violation.help} at ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`);
}

/** The instant a heatmap or grid label names ("Mon 24 Nov 09:00") in `zone`, for a year around now. */
export function instantOf(label: string, zone: string): number {
  const [, day, month, time] = /^\w+ (\d+) (\w+) (\d\d:\d\d)/.exec(label)!;
  const now = new Date();
  for (const year of [now.getUTCFullYear(), now.getUTCFullYear() + 1]) {
    const guess = Date.parse(`${day} ${month} ${year} ${time} UTC`);
    // The zone's offset at that moment, from how the zone writes it.
    const parts = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" }).formatToParts(new Date(guess));
    const offset = parts.find((part) => part.type === "timeZoneName")!.value.replace("GMT", "") || "+00:00";
    const [sign, hours, minutes] = [offset[0] === "-" ? -1 : 1, Number(offset.slice(1, 3)), Number(offset.slice(4, 6))];
    const instant = guess - sign * (hours * 60 + minutes) * 60_000;
    if (Math.abs(instant - now.getTime()) < 40 * 86_400_000) return instant;
  }
  throw new Error(`No instant near now for ${label}`);
}
