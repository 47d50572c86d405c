// The Helm chart, checked with the tools its users run, without a cluster: the pinned Helm lints and
// renders it for each set of values, and every rendered object is validated against the Kubernetes API
// schemas and the Traefik and KEDA CRD schemas. Its workloads and its entrance are checked against the
// apps in helm-workloads.test.ts and helm-entrance.test.ts.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { HELM_VERSION } from "../scripts/helm.ts";
import { CHART, helm, KUBE_VERSION, ofKind, render, VARIANTS, type Variant } from "./chart.ts";
import { MODELS, SCHEMA_PACKAGES, schemaErrors } from "./kubernetes-schemas.ts";
import { loadProject, ROOT } from "./project.ts";

const { compose } = await loadProject();
const variants = Object.keys(VARIANTS) as Variant[];
const packageOf = (name: string) => JSON.parse(readFileSync(join(ROOT, "e2e", "node_modules", name, "package.json"), "utf8"));

/** The API versions the chart may use: the stable ones, and the CRDs' served versions of Traefik v3 and KEDA v2. */
const API_VERSIONS = [
  "v1",
  "apps/v1",
  "batch/v1",
  "policy/v1",
  "autoscaling/v2",
  "networking.k8s.io/v1",
  "traefik.io/v1alpha1",
  "keda.sh/v1alpha1",
];

test(`Helm ${HELM_VERSION}, the pinned version, is installed (bun run helm:install)`, () => {
  const version = helm(["version", "--template", "{{.Version}}"]);
  expect(version.output).toBe(HELM_VERSION);
});

describe("helm lint --strict", () => {
  for (const variant of ["default", "production"] as const) {
    test(`passes with no warning for the ${variant} values`, () => {
      const lint = helm(["lint", CHART, "--strict", "--kube-version", KUBE_VERSION, ...VARIANTS[variant]]);
      expect(lint.output).toContain("1 chart(s) linted, 0 chart(s) failed");
      expect(lint.output).not.toContain("[WARNING]");
      expect(lint.exitCode).toBe(0);
    });
  }
});

describe("helm template", () => {
  test("renders for the oldest Kubernetes the chart accepts (Chart.yaml's kubeVersion), and refuses an older one", () => {
    const kubeVersion: string = parse(readFileSync(join(ROOT, CHART, "Chart.yaml"), "utf8")).kubeVersion;
    const [, major, minor] = /^>=\s*v?(\d+)\.(\d+)/.exec(kubeVersion) ?? [];
    expect(major, `Chart.yaml's kubeVersion (${kubeVersion}) names its oldest version`).toBeDefined();
    const at = (version: string) => helm(["template", "w2meet", CHART, "--kube-version", version]);
    const oldest = at(`v${major}.${minor}.0`);
    expect(oldest.exitCode, oldest.output).toBe(0);
    expect(at(`v${major}.${Number(minor) - 1}.0`).output).toContain("incompatible with Kubernetes");
  });

  for (const variant of variants) {
    test(`renders the ${variant} values into objects that each pass their API schema, with no unknown field`, () => {
      const objects = render(variant);
      expect(objects.length).toBeGreaterThan(0);
      expect(objects.flatMap(schemaErrors)).toEqual([]);
    });
  }

  test("names every object uniquely within its kind", () => {
    for (const variant of variants) {
      const names = render(variant).map((object) => `${object.apiVersion}/${object.kind} ${object.metadata.name}`);
      expect(
        names.filter((name, i) => names.indexOf(name) !== i),
        variant,
      ).toEqual([]);
    }
  });

  test("uses only stable Kubernetes APIs and the Traefik and KEDA CRD versions the schemas are of", () => {
    for (const variant of variants) {
      for (const object of render(variant))
        expect(API_VERSIONS, `${variant}: ${object.kind} ${object.metadata.name}`).toContain(object.apiVersion);
    }
    // The Traefik schemas come from Traefik v3's CRD types, the version compose.yml runs; KEDA's from KEDA v2's.
    const traefikInputs: string[] = packageOf("@kubernetes-models/traefik")["go-generate"].input;
    expect(traefikInputs).toContain("github.com/traefik/traefik/v3/pkg/provider/kubernetes/crd/traefikio/v1alpha1");
    expect(compose.services.traefik!.image).toMatch(/^traefik:v3(\.|$)/);
    expect(packageOf("@kubernetes-models/keda")["go-generate"].input).toContain("github.com/kedacore/keda/v2/apis/keda/v1alpha1");
    for (const key of ["traefik.io/v1alpha1/IngressRoute", "traefik.io/v1alpha1/Middleware", "keda.sh/v1alpha1/ScaledObject"]) {
      expect(MODELS.get(key)?.from, key).toBeDefined();
    }
  });

  test("renders KEDA's ScaledObject only when worker.keda.enabled, and then no HorizontalPodAutoscaler of its own for the worker", () => {
    expect(ofKind(render("default"), "ScaledObject", "TriggerAuthentication")).toEqual([]);
    const keda = render("keda");
    const [scaled] = ofKind(keda, "ScaledObject");
    expect(scaled).toBeDefined();
    const target = scaled!.spec.scaleTargetRef.name;
    expect(ofKind(keda, "HorizontalPodAutoscaler").map((hpa) => hpa.spec.scaleTargetRef.name)).not.toContain(target);
  });
});

describe("the schema check", () => {
  const deployment = (container: Record<string, unknown>) => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "broken" },
    spec: { selector: { matchLabels: { a: "b" } }, template: { metadata: { labels: { a: "b" } }, spec: { containers: [container] } } },
  });

  test("finds a wrong type, a missing field, a field the schema does not have and a kind with no schema", () => {
    expect(schemaErrors(deployment({ name: "x", image: "i" }))).toEqual([]);
    expect(schemaErrors(deployment({ name: "x", ports: [{ containerPort: "3001" }] })).join()).toContain("must be integer");
    expect(schemaErrors(deployment({ image: "i" })).join()).toContain("must have required property name");
    expect(schemaErrors(deployment({ name: "x", readynessProbe: {} }))).toEqual([
      "apps/v1/Deployment broken: /spec/template/spec/containers/0/readynessProbe is not a field of apps/v1/Deployment",
    ]);
    const middleware = {
      apiVersion: "traefik.io/v1alpha1",
      kind: "Middleware",
      metadata: { name: "m" },
      spec: { stripprefix: { prefixes: ["/api"] } },
    };
    expect(schemaErrors(middleware)).toEqual([
      "traefik.io/v1alpha1/Middleware m: /spec/stripprefix is not a field of traefik.io/v1alpha1/Middleware",
    ]);
    expect(schemaErrors({ apiVersion: "example.com/v1", kind: "Thing", metadata: { name: "t" } }).join()).toContain("no schema");
  });

  test("uses the model packages at the versions e2e/package.json pins", () => {
    const pinned: Record<string, string> = JSON.parse(readFileSync(join(ROOT, "e2e", "package.json"), "utf8")).devDependencies;
    for (const { name } of SCHEMA_PACKAGES) expect(packageOf(name).version, name).toBe(pinned[name]!);
  });
});

describe("values files", () => {
  /** A value that holds a credential itself rather than naming where one is: a URL with a password, a key, a token. */
  const looksSecret = (value: string) =>
    /^[a-z][a-z0-9+.-]*:\/\/[^/@\s:]+:[^/@\s]+@/i.test(value) ||
    /-----BEGIN [A-Z ]*(PRIVATE KEY|CERTIFICATE)-----/.test(value) ||
    /"d"\s*:\s*"/.test(value) ||
    /^[A-Za-z0-9+/_=-]{40,}$/.test(value);
  /** Keys whose value is a credential (a password, a token…); names of Secrets and of their keys are not. */
  const secretKey = (key: string) =>
    /(password|passwd|secret|token|private|api_?key)/i.test(key) && !/(Key|Secret|SecretName|Name|Ref)$/.test(key);
  /** A number or a flag (TOKEN_TTL_SECONDS: "900") is no credential, whatever its key says. */
  const plainScalar = (value: string) => /^(\d+|true|false)$/.test(value);

  const leaves = (value: unknown, path: string): { path: string; key: string; value: string }[] => {
    if (Array.isArray(value)) return value.flatMap((item, i) => leaves(item, `${path}[${i}]`));
    if (value && typeof value === "object")
      return Object.entries(value).flatMap(([key, item]) => leaves(item, path ? `${path}.${key}` : key));
    return [{ path, key: path.split(".").at(-1)!, value: value === null || value === undefined ? "" : String(value) }];
  };

  for (const file of ["values.yaml", "values-production.yaml"]) {
    test(`${file} holds no credential: Secrets are referenced by name and key`, () => {
      const values = parse(readFileSync(join(ROOT, CHART, file), "utf8"));
      for (const leaf of leaves(values, "")) {
        expect(looksSecret(leaf.value), `${file}: ${leaf.path} looks like a credential`).toBe(false);
        if (secretKey(leaf.key) && !plainScalar(leaf.value)) expect(leaf.value, `${file}: ${leaf.path} holds a credential`).toBe("");
      }
    });
  }

  test("no Secret is rendered but the development one, and no plain env value holds a credential", () => {
    for (const variant of variants) {
      const secrets = ofKind(render(variant), "Secret");
      expect(secrets.length, variant).toBe(variant === "dev" ? 1 : 0);
      for (const workload of ofKind(render(variant), "Deployment", "StatefulSet", "Job")) {
        for (const container of workload.spec.template.spec.containers) {
          for (const env of container.env ?? []) {
            if (env.value !== undefined)
              expect(looksSecret(String(env.value)), `${variant}: ${workload.metadata.name} ${env.name}`).toBe(false);
          }
        }
      }
    }
  });
});
