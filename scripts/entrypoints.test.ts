// Every service's entry point refuses to start with a malformed setting, and says which one.
import { expect, test } from "bun:test";
import { readdirSync, existsSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(import.meta.dir, "..");
const APPS = readdirSync(join(ROOT, "apps")).filter((app) => existsSync(join(ROOT, "apps", app, "src", "index.ts")));

for (const app of APPS) {
  for (const [variable, value] of [["PORT", "eighty"], ["LOG_LEVEL", "loud"]] as const) {
    test(`${app} stops at start with a message naming a malformed ${variable}`, async () => {
      const child = Bun.spawn(["bun", join(ROOT, "apps", app, "src", "index.ts")], {
        env: { ...process.env, [variable]: value },
        stdout: "pipe",
        stderr: "pipe",
      });
      const [code, stderr] = await Promise.all([child.exited, new Response(child.stderr).text()]);
      expect(code).not.toBe(0);
      const line = JSON.parse(stderr.trim().split("\n").at(-1)!);
      expect(line).toMatchObject({ level: "error", service: app, msg: "cannot start" });
      expect(line.error).toContain(variable);
    });
  }
}
