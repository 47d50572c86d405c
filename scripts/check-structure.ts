// `bun run lint` (part of it): the layout the README's folder table describes, checked.
// - An app's feature folder has its routes (routes.ts) and the plain functions they call (service.ts).
// - No file reaches into another app, and no package into an app: what apps share lives in packages/.
// - No grab-bag folders (utils/, common/, helpers/, misc/).
import { dirname, join, relative, resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "..");
const GRAB_BAGS = new Set(["utils", "util", "common", "helpers", "misc", "shared"]);
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["']([^"']+)["']/g;

/** Which app a path under the root belongs to, if any. */
const appOf = (path: string) => /^apps\/([^/]+)\//.exec(path)?.[1];

export async function structureProblems(root = ROOT): Promise<string[]> {
  const problems: string[] = [];
  const files = [...new Bun.Glob("{apps,packages}/**/*.{ts,tsx}").scanSync({ cwd: root })]
    .filter((file) => !file.includes("node_modules/"))
    .sort();
  for (const file of files) {
    const folders = dirname(file).split("/");
    const bag = folders.find((folder) => GRAB_BAGS.has(folder));
    if (bag) problems.push(`${file}: lives in a grab-bag folder "${bag}/"; name the folder for what it does`);

    const source = await Bun.file(join(root, file)).text();
    for (const [, specifier] of source.matchAll(IMPORT)) {
      if (!specifier!.startsWith(".")) continue;
      const target = relative(root, resolve(root, dirname(file), specifier!));
      const from = appOf(file);
      const to = appOf(`${target}/`) ?? appOf(target);
      if (to && from !== to) {
        problems.push(`${file}: imports ${specifier} from ${from ? `another app (${to})` : `an app (${to})`}; share it through a package`);
      }
    }
  }
  for (const routes of files.filter((file) => /^apps\/[^/]+\/src\/[^/]+\/routes\.ts$/.test(file))) {
    const service = join(dirname(routes), "service.ts");
    if (!files.includes(service)) problems.push(`${routes}: a feature's routes call plain functions in ${service}, which is missing`);
  }
  for (const routes of files.filter((file) => file.endsWith("/routes.ts") && !/^apps\/[^/]+\/src\/[^/]+\/routes\.ts$/.test(file))) {
    problems.push(`${routes}: routes belong in a feature folder, apps/<app>/src/<feature>/routes.ts`);
  }
  return problems;
}

if (import.meta.main) {
  const problems = await structureProblems();
  for (const problem of problems) console.error(problem);
  if (problems.length) process.exit(1);
  console.log("structure: apps, features and packages in their places");
}
