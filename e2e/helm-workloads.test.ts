// The chart's workloads against the apps and each other: selectors that select what they should, ports and
// probes the apps really serve, pods that run locked down with bounded resources and shut down gracefully,
// and migrations run once per release rather than by every pod.
import { beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { containersOf, type KubeObject, ofKind, render, selects, VARIANTS, type Variant, workloadsOf } from "./chart.ts";
import {
  type AppWorkload,
  appContainersOf,
  containerPortOf,
  deploymentsByApp,
  envOf,
  podLabelsOf,
  selectedWorkloads,
} from "./chart-workloads.ts";
import { allApps, documentOf } from "./in-process-apps.ts";
import { loadProject, ROOT } from "./project.ts";

const { apps: APPS, settingsOf } = await loadProject();
const settings = Object.fromEntries(await Promise.all(APPS.map(async (app) => [app, await settingsOf(app)] as const)));
const openApiPaths = Object.fromEntries(
  await Promise.all(Object.entries(allApps).map(async ([app, built]) => [app, Object.keys((await documentOf(built)).paths)] as const)),
);
const defaultOf = (app: string, name: string) => settings[app]!.properties[name]?.default;
const nameOf = (object: KubeObject) => `${object.kind} ${object.metadata.name}`;

for (const variant of Object.keys(VARIANTS) as Variant[]) {
  describe(`the chart with the ${variant} values`, () => {
    let objects: KubeObject[] = [];
    let deployments = new Map<string, AppWorkload>();
    beforeAll(() => {
      objects = render(variant);
      deployments = deploymentsByApp(objects, APPS);
    });

    test("runs every app of apps/ in one Deployment of its own image", () => {
      expect([...deployments.keys()].sort()).toEqual(APPS);
      for (const { workload } of deployments.values()) expect(workload.spec.template.spec.containers.length, nameOf(workload)).toBe(1);
    });

    test("gives every workload a selector that selects its own pods and no other workload's", () => {
      for (const workload of workloadsOf(objects)) {
        if (workload.kind === "Job") continue;
        expect(selects(workload.spec.selector, podLabelsOf(workload)), nameOf(workload)).toBe(true);
        expect(selectedWorkloads(objects, workload.spec.selector).map(nameOf), `${nameOf(workload)} selects only its own pods`).toEqual([
          nameOf(workload),
        ]);
      }
    });

    test("points every Service, PodDisruptionBudget and autoscaler at workloads it renders, on ports their containers open", () => {
      for (const service of ofKind(objects, "Service")) {
        const selected = selectedWorkloads(objects, service.spec.selector ?? {});
        expect(selected.length, `${nameOf(service)} selects a workload`).toBe(1);
        for (const port of service.spec.ports) {
          const target = port.targetPort ?? port.port;
          const opened = containersOf(selected[0]!).some((container) => containerPortOf(container, target) !== undefined);
          expect(
            opened,
            `${nameOf(service)} port ${port.name ?? port.port} → ${target} is a container port of ${nameOf(selected[0]!)}`,
          ).toBe(true);
        }
      }
      for (const budget of ofKind(objects, "PodDisruptionBudget")) {
        expect(selectedWorkloads(objects, budget.spec.selector).map(nameOf), nameOf(budget)).toHaveLength(1);
      }
      for (const scaler of ofKind(objects, "HorizontalPodAutoscaler", "ScaledObject")) {
        const { kind = "Deployment", name } = scaler.spec.scaleTargetRef;
        expect(
          ofKind(objects, kind).map((target) => target.metadata.name),
          `${nameOf(scaler)} scales ${kind} ${name}`,
        ).toContain(name);
      }
    });

    test("gives each app a PodDisruptionBudget that lets a node drain, and leaves replicas to the autoscaler where there is one", () => {
      for (const { app, workload } of deployments.values()) {
        const budgets = ofKind(objects, "PodDisruptionBudget").filter((budget) => selects(budget.spec.selector, podLabelsOf(workload)));
        expect(budgets.length, `${app} has a PodDisruptionBudget`).toBe(1);
        const scaled = ofKind(objects, "HorizontalPodAutoscaler", "ScaledObject").some(
          (s) => s.spec.scaleTargetRef.name === workload.metadata.name,
        );
        // Helm would set replicas back on every upgrade, fighting the autoscaler.
        if (scaled) expect(workload.spec.replicas, `${app} has no replicas of its own while autoscaled`).toBeUndefined();
        // A budget that lets no pod go at the fewest replicas the app runs would block every node drain.
        const scaler = ofKind(objects, "HorizontalPodAutoscaler", "ScaledObject").find(
          (s) => s.spec.scaleTargetRef.name === workload.metadata.name,
        );
        const fewest = Number(workload.spec.replicas ?? scaler?.spec.minReplicas ?? scaler?.spec.minReplicaCount ?? 1);
        const { minAvailable, maxUnavailable } = budgets[0]!.spec;
        const percent = (value: string) => Number.parseFloat(value) / 100;
        const mayGo =
          maxUnavailable !== undefined
            ? typeof maxUnavailable === "number"
              ? maxUnavailable
              : Math.ceil(percent(maxUnavailable) * fewest)
            : fewest - (typeof minAvailable === "number" ? minAvailable : Math.ceil(percent(minAvailable) * fewest));
        expect(mayGo, `${app}'s PodDisruptionBudget lets a pod of its ${fewest} go`).toBeGreaterThanOrEqual(1);
      }
    });

    test("opens each app's container on the port the app listens on (its PORT setting, else its default)", () => {
      for (const { app, container } of deployments.values()) {
        const port = Number(envOf(container).get("PORT")?.value ?? defaultOf(app, "PORT"));
        expect(port, `${app} listens on a port`).toBeGreaterThan(0);
        expect(
          container.ports.map((p: { containerPort: number }) => p.containerPort),
          app,
        ).toEqual([port]);
      }
    });

    test("probes liveness on /health/live and readiness on /health, paths of each app's OpenAPI document, on its port", () => {
      for (const { app, container } of deployments.values()) {
        const probes = { livenessProbe: "/health/live", readinessProbe: "/health", startupProbe: "/health/live" };
        for (const [probe, wanted] of Object.entries(probes)) {
          const httpGet = container[probe]?.httpGet;
          if (probe === "startupProbe" && !container[probe]) continue;
          expect(httpGet?.path, `${app} ${probe}`).toBe(wanted);
          expect(openApiPaths[app], `${app}'s OpenAPI document has ${httpGet.path}`).toContain(httpGet.path);
          expect(containerPortOf(container, httpGet.port), `${app} ${probe} port`).toBe(container.ports[0].containerPort);
        }
      }
    });

    test("runs every W2Meet container as non-root, on a read-only root filesystem, with no privilege escalation", () => {
      for (const { app, workload, container } of appContainersOf(objects, APPS)) {
        const pod = workload.spec.template.spec.securityContext ?? {};
        const own = container.securityContext ?? {};
        const where = `${nameOf(workload)} ${container.name} (${app})`;
        expect(own.runAsNonRoot ?? pod.runAsNonRoot, `${where}: runAsNonRoot`).toBe(true);
        expect(own.runAsUser ?? pod.runAsUser ?? 65532, `${where}: runAsUser`).not.toBe(0);
        expect(own.readOnlyRootFilesystem, `${where}: readOnlyRootFilesystem`).toBe(true);
        expect(own.allowPrivilegeEscalation, `${where}: allowPrivilegeEscalation`).toBe(false);
        expect(own.privileged ?? false, `${where}: privileged`).toBe(false);
      }
    });

    test("gives every container of every workload CPU and memory requests and limits, requests within limits", () => {
      const quantity = (value: string | number) => {
        const [, number, unit = ""] = /^([0-9.]+)([a-zA-Z]*)$/.exec(String(value)) ?? [];
        const units: Record<string, number> = { "": 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3 };
        if (number === undefined || units[unit] === undefined) throw new Error(`Not a quantity: ${value}`);
        return Number(number) * units[unit]!;
      };
      for (const workload of workloadsOf(objects)) {
        for (const container of containersOf(workload)) {
          const { requests = {}, limits = {} } = container.resources ?? {};
          for (const resource of ["cpu", "memory"]) {
            const where = `${nameOf(workload)} ${container.name} ${resource}`;
            expect(requests[resource], `${where} request`).toBeDefined();
            expect(limits[resource], `${where} limit`).toBeDefined();
            expect(quantity(requests[resource]), `${where} request within its limit`).toBeLessThanOrEqual(quantity(limits[resource]));
          }
        }
      }
    });

    test("waits longer before killing a pod than its preStop pause and the app's SHUTDOWN_TIMEOUT_MS together", () => {
      for (const { app, workload, container } of deployments.values()) {
        const preStop = container.lifecycle?.preStop;
        const bunSleep = /Bun\.sleep\((\d+)\)/.exec((preStop?.exec?.command ?? []).join(" "))?.[1];
        const pauseSeconds =
          preStop === undefined ? 0 : (preStop.sleep?.seconds ?? (bunSleep === undefined ? Number.NaN : Number(bunSleep) / 1000));
        expect(pauseSeconds, `${app}'s preStop is a pause these checks can read`).not.toBeNaN();
        const shutdownMs = Number(envOf(container).get("SHUTDOWN_TIMEOUT_MS")?.value ?? defaultOf(app, "SHUTDOWN_TIMEOUT_MS"));
        const grace = workload.spec.template.spec.terminationGracePeriodSeconds ?? 30;
        expect(grace, app).toBeGreaterThan(pauseSeconds + shutdownMs / 1000);
      }
    });

    test("migrates each app's database once per release, in a hook Job, while its pods do not migrate", () => {
      const owners = APPS.filter((app) => "DATABASE_URL" in settings[app]!.properties);
      expect(owners.length).toBeGreaterThan(0);
      const jobs = appContainersOf(ofKind(objects, "Job"), APPS);
      for (const app of owners) {
        const found = jobs.filter((job) => job.app === app);
        expect(found.length, `${app} has one migration Job`).toBe(1);
        const { workload, container } = found[0]!;
        const hooks = String(workload.metadata.annotations?.["helm.sh/hook"] ?? "").split(",");
        expect(hooks, `${nameOf(workload)} runs before the release's pods, on install and upgrade`).toEqual(
          expect.arrayContaining(["pre-install", "pre-upgrade"]),
        );
        const script = (container.command ?? []).find((part: string) => part.endsWith(".ts"));
        expect(script && existsSync(join(ROOT, script)), `${nameOf(workload)} runs ${script}, a file of the repository`).toBe(true);
        expect(envOf(container).has("DATABASE_URL"), `${nameOf(workload)} is given DATABASE_URL`).toBe(true);
        const pod = envOf(deployments.get(app)!.container);
        if ("MIGRATE_ON_START" in settings[app]!.properties)
          expect(pod.get("MIGRATE_ON_START")?.value, `${app}'s pods do not migrate`).toBe("false");
        else throw new Error(`${app} has no MIGRATE_ON_START setting: its pods would each migrate at start`);
      }
    });
  });
}
