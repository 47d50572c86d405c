// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright locators, whose innerText() is the rendered text the page shows
// The web page in headless Chromium against the real services: painting a week (drag and keyboard),
// kept across a reload; a group seen from two time zones; the heatmap against the API; an infeasible
// group's relaxations; booking to a downloadable invitation; axe-core on both screens. The screenshots
// in docs/screenshots/ are taken here.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { RunningService } from "@w2meet/testing";
import type { Browser, Page } from "playwright-core";
import { launchBrowser } from "./browser.ts";
import { startSystem, type System } from "./system.ts";
import { instantOf, screenshot, seriousViolations, startWebApp } from "./web-page.ts";

const TIMEOUT_MS = 120_000;
const ADA = "ada@example.com";
const BOB = "bob@example.com";
const CAROL = "carol@example.com";

let system: System;
let web: RunningService;
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
  system = await startSystem("web-ui");
  web = await startWebApp(system);
  // Bob is free all Monday in New York; Carol only on Tuesday mornings in UTC: never with Ada.
  for (const [email, time_zone, availabilities] of [
    [BOB, "America/New_York", { monday: ["00:00-24:00"] }],
    [CAROL, "UTC", { tuesday: [6] }],
  ] as const) {
    const created = await system.post("/users", { email, name: email.split("@")[0], time_zone, availabilities });
    expect(created.status).toBe(201);
  }
}, TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
  await web?.stop();
  await system?.stop();
});

async function open(path: string, timezoneId: string, options: { width?: number; bypassCSP?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({
    timezoneId,
    bypassCSP: options.bypassCSP ?? false,
    viewport: { width: options.width ?? 1280, height: 900 },
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`${web.url}${path}`);
  return page;
}

const cell = (page: Page, label: string) => page.getByRole("gridcell", { name: new RegExp(`^${label}`) });

test(
  "a week painted by dragging and by keyboard is saved, kept across a reload, and in the API",
  async () => {
    const page = await open("/", "Europe/Berlin");
    await page.getByLabel("Email").fill(ADA);
    await page.getByLabel("Name", { exact: true }).fill("Ada");
    await expect(page.locator("select[name=zone]").inputValue()).resolves.toBe("Europe/Berlin");
    await page.getByRole("button", { name: "Open my week" }).click();

    const from = (await cell(page, "Monday 09:00").boundingBox())!;
    const to = (await cell(page, "Wednesday 11:00").boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 8 });
    await page.mouse.up();
    await cell(page, "Friday 14:00").focus();
    await page.keyboard.press("Space");
    await page.keyboard.press("Shift+ArrowDown");
    await expect(cell(page, "Friday 15:00, free").count()).resolves.toBe(1);
    await page
      .getByRole("status")
      .filter({ hasText: /^Saved$/ })
      .waitFor();
    await screenshot(page, "week");

    const stored = (await (await system.send("GET", `/users/${ADA}`)).json()) as {
      availabilities: Record<string, unknown>;
      time_zone: string;
    };
    expect(stored.time_zone).toBe("Europe/Berlin");
    expect(stored.availabilities).toMatchObject({ monday: [9, 10, 11], tuesday: [9, 10, 11], wednesday: [9, 10, 11], friday: [14, 15] });

    await page.reload();
    await cell(page, "Wednesday 11:00, free").waitFor();
    await expect(page.getByRole("gridcell", { name: /, free$/ }).count()).resolves.toBe(11);
    await page.context().close();
  },
  TIMEOUT_MS,
);

/** The labels of the heatmap's cells where everyone is free. */
async function everyoneFree(page: Page) {
  await page.getByRole("grid").waitFor();
  return page.getByRole("gridcell", { name: /: 2 of 2 free/ }).evaluateAll((cells) => cells.map((c) => c.getAttribute("aria-label")!));
}

test(
  "two people in different time zones see the same common hours, each in their own time, matching the API's heatmap",
  async () => {
    const berlin = await open(`/group?users=${ADA},${BOB}`, "Europe/Berlin");
    const newYork = await open(`/group?users=${ADA},${BOB}`, "America/New_York");
    const inBerlin = await everyoneFree(berlin);
    const inNewYork = await everyoneFree(newYork);
    expect(inBerlin.every((label) => /09:00|10:00|11:00/.test(label))).toBe(true);
    const instants = (labels: string[], zone: string) => new Set(labels.map((label) => instantOf(label, zone)));
    // The windows start at each viewer's midnight, so compare the instants both windows hold.
    const common = [...instants(inBerlin, "Europe/Berlin")].filter((instant) => instants(inNewYork, "America/New_York").has(instant));
    expect(common.length).toBeGreaterThanOrEqual(1);
    expect(inNewYork.some((label) => /09:00|10:00|11:00/.test(label))).toBe(false);

    // Every cell's counts are the API's, and a focused cell names who is free and who is not.
    const labels = await berlin.getByRole("gridcell").evaluateAll((cells) => cells.map((c) => c.getAttribute("aria-label")!));
    const url = new URL(berlin.url());
    const from = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Berlin" }).format(new Date());
    const api = (await (
      await fetch(`${web.url}/api/availability/heatmap?users=${ADA},${BOB}&tz=Europe/Berlin&from=${from}&days=7&step=60`)
    ).json()) as { dates: { slots: number[] }[] };
    const counted = labels.map((label) => Number(/: (\d+) of/.exec(label)![1]));
    const expected = Array.from({ length: 24 }, (_, row) => api.dates.map((date) => date.slots[row]!)).flat();
    expect(counted).toEqual(expected);
    expect(url.searchParams.get("users")).toBe(`${ADA},${BOB}`);
    await berlin.getByRole("gridcell", { name: inBerlin[0]! }).focus();
    await expect(berlin.locator("#who").innerText()).resolves.toContain(`Free (2): ${ADA}, ${BOB}`);
    await berlin.getByRole("radio").first().waitFor();
    await screenshot(berlin, "group");
    await berlin.context().close();
    await newYork.context().close();
  },
  TIMEOUT_MS,
);

test(
  "an infeasible group shows what is in the way, and applying a relaxation yields a suggestion",
  async () => {
    const page = await open(`/group?users=${ADA},${CAROL}`, "Europe/Berlin");
    await page.getByText("No time fits everyone").waitFor();
    const relaxations = page.locator(".relaxations button");
    await relaxations.first().waitFor();
    await screenshot(page, "explanation");
    await relaxations.first().click();
    await page.getByRole("radio").first().waitFor();
    await page.context().close();
  },
  TIMEOUT_MS,
);

test(
  "booking the picked suggestion ends with an invitation whose DTSTART is that instant",
  async () => {
    const page = await open(`/group?users=${ADA},${BOB}`, "Europe/Berlin");
    const choice = page.getByRole("radio").first();
    await choice.waitFor();
    const start = await choice.inputValue();
    await page.getByLabel("Title").fill("Design review");
    await page.getByRole("button", { name: "Book" }).click();
    const link = page.getByRole("link", { name: /Download the invitation/ });
    await link.waitFor({ timeout: 30_000 });
    await screenshot(page, "booked");
    const ics = await (await fetch(`${web.url}${await link.getAttribute("href")}`)).text();
    const [, stamp] = /DTSTART[^:]*:(\d{8}T\d{6}Z?)/.exec(ics)!;
    const iso = `${stamp!.slice(0, 4)}-${stamp!.slice(4, 6)}-${stamp!.slice(6, 8)}T${stamp!.slice(9, 11)}:${stamp!.slice(11, 13)}:${stamp!.slice(13, 15)}Z`;
    expect(Date.parse(iso)).toBe(Date.parse(start));
    await page.context().close();
  },
  TIMEOUT_MS,
);

test(
  "both screens have no serious or critical accessibility violations, and fit a phone",
  async () => {
    for (const path of ["/", `/group?users=${ADA},${BOB}`]) {
      const page = await open(path, "Europe/Berlin", { bypassCSP: true });
      if (path === "/") {
        await page.getByLabel("Email").fill(ADA);
        await page.getByLabel("Name", { exact: true }).fill("Ada");
        await page.getByRole("button", { name: "Open my week" }).click();
      }
      await page.getByRole("grid").first().waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await page.context().close();
    }
    const phone = await open(`/group?users=${ADA},${BOB}`, "Europe/Berlin", { width: 390 });
    await phone.getByRole("radio").first().waitFor();
    expect((await phone.evaluate("document.documentElement.scrollWidth")) as number).toBeLessThanOrEqual(390);
    await screenshot(phone, "phone");
    await phone.context().close();
  },
  TIMEOUT_MS,
);
