import { expect, test } from "bun:test";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { structureProblems } from "./check-structure.ts";

async function tree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "w2meet-structure-"));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

test("accepts features with routes and service, apps that share through packages", async () => {
  const root = await tree({
    "apps/a/src/things/routes.ts": 'import * as things from "./service.ts";\nimport { kit } from "@w2meet/kit";',
    "apps/a/src/things/service.ts": 'import { helper } from "../../../../packages/kit/src/helper.ts";',
    "apps/a/test/harness.ts": 'import { app } from "../src/app.ts";',
  });
  expect(await structureProblems(root)).toEqual([]);
});

test("names each file that breaks the layout, and why", async () => {
  const root = await tree({
    "apps/a/src/things/routes.ts": 'import { other } from "../../../b/src/other/service.ts";',
    "apps/b/src/other/routes.ts": 'const lazy = await import("../../../a/src/app.ts");\nimport "./service.ts";',
    "apps/b/src/other/service.ts": "",
    "apps/b/src/routes.ts": "",
    "packages/kit/src/utils/format.ts": 'import { x } from "../../../../apps/a/src/x.ts";',
  });
  const problems = await structureProblems(root);
  expect(problems).toEqual([
    expect.stringMatching(/^apps\/a\/src\/things\/routes\.ts: imports .* from another app \(b\)/),
    expect.stringMatching(/^apps\/b\/src\/other\/routes\.ts: imports .* from another app \(a\)/),
    expect.stringMatching(/^packages\/kit\/src\/utils\/format\.ts: lives in a grab-bag folder "utils\/"/),
    expect.stringMatching(/^packages\/kit\/src\/utils\/format\.ts: imports .* from an app \(a\)/),
    expect.stringMatching(/^apps\/a\/src\/things\/routes\.ts: .*service\.ts, which is missing/),
    expect.stringMatching(/^apps\/b\/src\/routes\.ts: routes belong in a feature folder/),
  ]);
});
