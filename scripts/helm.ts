// Where the chart checks find Helm: the version scripts/install-helm.sh pins (the one pin), in .tools/bin
// where that script puts it, else on PATH. Any other version is not used, so CI checks with what it pins.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(import.meta.dir, "..");
const INSTALL_SCRIPT = join(ROOT, "scripts", "install-helm.sh");
const LOCAL_HELM = join(ROOT, ".tools", "bin", "helm");

/** The Helm version the project pins: $HELM_VERSION, else the default in scripts/install-helm.sh. */
export const HELM_VERSION =
  process.env.HELM_VERSION ?? /HELM_VERSION="\$\{HELM_VERSION:-(v[0-9.]+)\}"/.exec(readFileSync(INSTALL_SCRIPT, "utf8"))![1]!;

/** The version a Helm binary reports (`v3.22.0`), or undefined when it does not run. */
function versionOf(helm: string): string | undefined {
  const ran = Bun.spawnSync([helm, "version", "--template", "{{.Version}}"], { stdout: "pipe", stderr: "ignore" });
  return ran.exitCode === 0 ? ran.stdout.toString().trim() : undefined;
}

/** The path of a Helm at the pinned version (.tools/bin first, then PATH), or undefined when there is none. */
export function pinnedHelm(): string | undefined {
  const onPath = Bun.which("helm");
  return [existsSync(LOCAL_HELM) ? LOCAL_HELM : undefined, onPath ?? undefined]
    .filter((helm): helm is string => helm !== undefined)
    .find((helm) => versionOf(helm) === HELM_VERSION);
}

/** Whether `go` is there to build Helm (on PATH, or where Go's installer puts it). */
export const goAvailable = () => Bun.which("go") !== null || existsSync("/usr/local/go/bin/go");

/** What to do when the pinned Helm is missing: said by the test runner and by the chart checks. */
export const HELM_MISSING =
  `Helm ${HELM_VERSION} is not installed (not in .tools/bin, nor on PATH at that version), so the chart cannot be checked. ` +
  "Run `bun run helm:install` (it builds Helm with Go: install Go from https://go.dev/dl/ first if it is missing).";
