// The Helm chart in deploy/helm/w2meet as an operator's `helm install` would make it: rendered by the pinned
// Helm (scripts/install-helm.sh) for the values files and options the checks cover, and read into objects.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { HELM_MISSING, pinnedHelm } from "../scripts/helm.ts";
import { ROOT } from "./project.ts";

/** The chart's folder, relative to the repository (README's folder table names it). */
export const CHART = "deploy/helm/w2meet";
const RELEASE = "w2meet";
export const NAMESPACE = "w2meet";
/** The Kubernetes version the chart is linted and rendered for: the one whose API schemas kubernetes-models 5 carries. */
export const KUBE_VERSION = "v1.36.0";

/** The values the chart is checked with: its defaults, the production-like file, development dependencies, KEDA. */
export const VARIANTS = {
  default: [],
  production: ["--values", join(CHART, "values-production.yaml")],
  dev: ["--set", "dev.enabled=true"],
  keda: ["--set", "worker.keda.enabled=true"],
} as const satisfies Record<string, readonly string[]>;
export type Variant = keyof typeof VARIANTS;

/** A rendered Kubernetes object, with the fields the checks read. */
export type KubeObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  // biome-ignore lint/suspicious/noExplicitAny: a rendered object's spec is whatever its kind says; its schema is checked separately.
  spec?: any;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  /** The template it came from (Helm's `# Source:` line); not enumerable, so not taken for a field. */
  readonly source: string;
};

/** Runs the pinned Helm in the repository's root; throws, saying how to install it, when there is none. */
export function helm(args: string[]): { exitCode: number; output: string } {
  const binary = pinnedHelm();
  if (!binary) throw new Error(HELM_MISSING);
  const ran = Bun.spawnSync([binary, ...args], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
  return { exitCode: ran.exitCode, output: `${ran.stdout.toString()}${ran.stderr.toString()}` };
}

/** `helm template` of the chart with these arguments: the manifests as text, or the error Helm gave. */
function template(args: readonly string[]): string {
  const rendered = helm(["template", RELEASE, CHART, "--namespace", NAMESPACE, "--kube-version", KUBE_VERSION, ...args]);
  if (rendered.exitCode !== 0) throw new Error(`helm template ${args.join(" ")} failed:\n${rendered.output}`);
  return rendered.output;
}

/** Reads `helm template` output: every non-empty document, with the template it came from. */
function objectsOf(manifests: string): KubeObject[] {
  let source = "(unknown template)";
  return manifests.split(/^---\s*$/m).flatMap((text) => {
    // A template that emits several documents names its source before the first only.
    source = /^# Source: (.+)$/m.exec(text)?.[1] ?? source;
    const object = parse(text) as KubeObject | null;
    return object === null ? [] : [Object.defineProperty(object, "source", { value: source, enumerable: false })];
  });
}

const rendered = new Map<Variant, KubeObject[]>();

/** The chart's objects for one variant (rendered once per test run). */
export function render(variant: Variant): KubeObject[] {
  if (!rendered.has(variant)) rendered.set(variant, objectsOf(template(VARIANTS[variant])));
  return rendered.get(variant)!;
}

/** Objects of one kind, e.g. `ofKind(objects, "Deployment")`. */
export const ofKind = (objects: KubeObject[], ...kinds: string[]) => objects.filter((object) => kinds.includes(object.kind));

/** The chart's values for a variant: values.yaml, with the variant's values file over it (its --set flags aside). */
export function valuesOf(variant: Variant): Record<string, unknown> {
  const read = (file: string) => parse(readFileSync(join(ROOT, file), "utf8")) as Record<string, unknown>;
  const merge = (base: unknown, over: unknown): unknown => {
    if (!isMapping(base) || !isMapping(over)) return over === undefined ? base : over;
    return Object.fromEntries([...new Set([...Object.keys(base), ...Object.keys(over)])].map((key) => [key, merge(base[key], over[key])]));
  };
  const files = (VARIANTS[variant] as readonly string[]).filter((_, i, args) => args[i - 1] === "--values");
  return files.reduce((values, file) => merge(values, read(file)) as Record<string, unknown>, read(join(CHART, "values.yaml")));
}
const isMapping = (value: unknown): value is Record<string, unknown> =>
  Boolean(value) && typeof value === "object" && !Array.isArray(value);

/** A label selector (matchLabels and matchExpressions, or a Service's plain map) and whether it selects `labels`. */
export type Selector = { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] };
export function selects(selector: Selector | Record<string, string>, labels: Record<string, string> = {}): boolean {
  const { matchLabels, matchExpressions } =
    "matchLabels" in selector || "matchExpressions" in selector
      ? (selector as Selector)
      : { matchLabels: selector as Record<string, string>, matchExpressions: [] };
  const byLabels = Object.entries(matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  const byExpressions = (matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    switch (operator) {
      case "In":
        return key in labels && values.includes(labels[key]!);
      case "NotIn":
        return !(key in labels) || !values.includes(labels[key]!);
      case "Exists":
        return key in labels;
      case "DoesNotExist":
        return !(key in labels);
      default:
        throw new Error(`Unknown selector operator ${operator}`);
    }
  });
  return byLabels && byExpressions;
}

/** Objects that run pods, each with its pod template. */
const WORKLOAD_KINDS = ["Deployment", "StatefulSet", "DaemonSet", "Job"];
export const workloadsOf = (objects: KubeObject[]) => ofKind(objects, ...WORKLOAD_KINDS);

/** A container of a pod template. */
export type Container = {
  name: string;
  image: string;
  // biome-ignore lint/suspicious/noExplicitAny: the container's fields are schema-checked; these checks read a few.
  [field: string]: any;
};
export const containersOf = (workload: KubeObject): Container[] => [
  ...(workload.spec.template.spec.initContainers ?? []),
  ...workload.spec.template.spec.containers,
];
