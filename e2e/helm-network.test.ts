// The chart's NetworkPolicies and autoscalers against what the apps do. A service may reach exactly the
// services it calls (its URL settings) and its own data stores, and only its callers and Traefik reach it.
// availability and suggestions scale on CPU, the worker (with KEDA) on the length of its task queue.
import { beforeAll, describe, expect, test } from "bun:test";
import { queueNames } from "../apps/worker/src/queue/topology.ts";
import { type KubeObject, NAMESPACE, ofKind, render, type Selector, selects, type Variant, valuesOf, workloadsOf } from "./chart.ts";
import { type AppWorkload, deploymentsByApp, envOf, internalCallsOf, podLabelsOf } from "./chart-workloads.ts";
import { loadProject } from "./project.ts";

const { apps: APPS } = await loadProject();

type Peer = { podSelector?: Selector; namespaceSelector?: Selector; ipBlock?: { cidr: string } };
type Rule = { peers?: Peer[]; ports?: { port?: number | string; protocol?: string }[] };
/** The data stores a setting leads to, as values.yaml's networkPolicy names them. */
const STORES: Record<string, string> = { DATABASE_URL: "postgres", REDIS_URL: "redis", AMQP_URL: "amqp", SMTP_URL: "smtp" };
const DNS_PORT = 53;

/** The policies that select a pod, and whether they isolate its ingress and egress. */
function policiesOf(objects: KubeObject[], labels: Record<string, string>) {
  const policies = ofKind(objects, "NetworkPolicy").filter((policy) => selects(policy.spec.podSelector, labels));
  const types = (policy: KubeObject): string[] => policy.spec.policyTypes ?? ["Ingress", ...(policy.spec.egress ? ["Egress"] : [])];
  return {
    isolated: (type: string) => policies.some((policy) => types(policy).includes(type)),
    ingress: policies
      .filter((p) => types(p).includes("Ingress"))
      .flatMap((p) => (p.spec.ingress ?? []).map((r: { from?: Peer[] }) => ({ ...r, peers: r.from }))) as Rule[],
    egress: policies
      .filter((p) => types(p).includes("Egress"))
      .flatMap((p) => (p.spec.egress ?? []).map((r: { to?: Peer[] }) => ({ ...r, peers: r.to }))) as Rule[],
  };
}

/** Whether a peer can be a pod of the release with these labels (an ipBlock may hold any pod's address). */
const peerSelects = (peer: Peer, labels: Record<string, string>) => {
  if (peer.ipBlock) return true;
  const namespace = peer.namespaceSelector ? selects(peer.namespaceSelector, { "kubernetes.io/metadata.name": NAMESPACE }) : true;
  return namespace && selects(peer.podSelector ?? {}, labels);
};
/** Whether rules let traffic to or from a pod with these labels through on a port (a number, or a named port of the pod). */
const allows = (rules: Rule[], labels: Record<string, string>, port: number, portName?: string) =>
  rules.some(
    (rule) =>
      (!rule.peers?.length || rule.peers.some((peer) => peerSelects(peer, labels))) &&
      (!rule.ports?.length || rule.ports.some((p) => p.port === undefined || p.port === port || p.port === portName)),
  );

for (const variant of ["default", "production", "dev"] as Variant[]) {
  describe(`network policies with the ${variant} values`, () => {
    let objects: KubeObject[] = [];
    let deployments = new Map<string, AppWorkload>();
    beforeAll(() => {
      objects = render(variant);
      deployments = deploymentsByApp(objects, APPS);
    });
    const callsOf = (app: string) =>
      new Set(internalCallsOf(objects, deployments.get(app)!.container, APPS).flatMap((call) => (call.to ? [call.to] : [])));
    const portOf = (app: string) => deployments.get(app)!.container.ports[0] as { name?: string; containerPort: number };

    test("isolate every pod of the release, in and out", () => {
      for (const workload of workloadsOf(objects)) {
        const { isolated } = policiesOf(objects, podLabelsOf(workload));
        expect(isolated("Ingress"), `${workload.kind} ${workload.metadata.name}: ingress is isolated`).toBe(true);
        expect(isolated("Egress"), `${workload.kind} ${workload.metadata.name}: egress is isolated`).toBe(true);
      }
    });

    test("let each app reach exactly the apps it calls, and be reached by exactly its callers", () => {
      for (const from of deployments.values()) {
        const { egress } = policiesOf(objects, podLabelsOf(from.workload));
        for (const to of deployments.values()) {
          if (to.app === from.app) continue;
          const calls = callsOf(from.app).has(to.app);
          const { containerPort, name } = portOf(to.app);
          expect(allows(egress, podLabelsOf(to.workload), containerPort, name), `${from.app} → ${to.app} leaves ${from.app}`).toBe(calls);
          const { ingress } = policiesOf(objects, podLabelsOf(to.workload));
          expect(allows(ingress, podLabelsOf(from.workload), containerPort, name), `${from.app} → ${to.app} enters ${to.app}`).toBe(calls);
        }
      }
    });

    test("let Traefik reach every app it routes to, from outside the release's namespace", () => {
      const routed = new Set(
        ofKind(objects, "IngressRoute").flatMap((ingress) =>
          ingress.spec.routes.flatMap((r: { services?: { name: string }[] }) => (r.services ?? []).map((s) => s.name)),
        ),
      );
      for (const { app, workload } of deployments.values()) {
        const serves = ofKind(objects, "Service").some(
          (s) => routed.has(s.metadata.name) && selects(s.spec.selector ?? {}, podLabelsOf(workload)),
        );
        if (!serves) continue;
        const { ingress } = policiesOf(objects, podLabelsOf(workload));
        // Traefik's peer names another namespace than the release's.
        const fromTraefik = ingress.filter((rule) => rule.peers?.some((peer) => peer.namespaceSelector && !peerSelects(peer, {})));
        const { containerPort, name } = portOf(app);
        const onPort = fromTraefik.some(
          (rule) => !rule.ports?.length || rule.ports.some((p) => p.port === containerPort || p.port === name),
        );
        expect(onPort, `Traefik reaches ${app} on its port`).toBe(true);
      }
    });

    test("let each app out only to DNS, the apps it calls and its own data stores, on their ports", () => {
      const values = valuesOf(variant).networkPolicy as Record<string, { port: number }>;
      const devSecret = ofKind(objects, "Secret")[0];
      const storePort = (setting: string, key: string) => {
        const devUrl = variant === "dev" ? { ...devSecret?.data, ...devSecret?.stringData }[key] : undefined;
        return devUrl ? Number(new URL(devUrl).port) : values[STORES[setting]!]!.port;
      };
      for (const { app, workload, container } of deployments.values()) {
        const wanted = new Set([DNS_PORT, ...[...callsOf(app)].map((to) => portOf(to).containerPort)]);
        for (const [name, env] of envOf(container)) {
          if (STORES[name] && env.valueFrom?.secretKeyRef) wanted.add(storePort(name, env.valueFrom.secretKeyRef.key));
        }
        const { egress } = policiesOf(objects, podLabelsOf(workload));
        const opened = egress.flatMap((rule) =>
          (rule.ports?.length ? rule.ports : [{ port: undefined }]).map((p) => p.port ?? "every port"),
        );
        expect(new Set(opened), app).toEqual(wanted);
      }
    });
  });
}

describe("autoscaling", () => {
  test("scales availability and suggestions on CPU in the production values", () => {
    const objects = render("production");
    const deployments = deploymentsByApp(objects, APPS);
    for (const app of ["availability", "suggestions"]) {
      const name = deployments.get(app)!.workload.metadata.name;
      const hpa = ofKind(objects, "HorizontalPodAutoscaler").find((h) => h.spec.scaleTargetRef.name === name);
      expect(hpa, `${app} has a HorizontalPodAutoscaler`).toBeDefined();
      expect(
        hpa!.spec.metrics.map((m: { resource?: { name: string } }) => m.resource?.name),
        app,
      ).toContain("cpu");
      expect(hpa!.spec.minReplicas, `${app} keeps a replica through a disruption`).toBeGreaterThanOrEqual(2);
    }
  });

  test("scales the worker with KEDA on its own task queue, read with its own broker URL", () => {
    const objects = render("keda");
    const worker = deploymentsByApp(objects, APPS).get("worker")!;
    const env = envOf(worker.container);
    const [scaled] = ofKind(objects, "ScaledObject");
    expect(scaled!.spec.scaleTargetRef.name).toBe(worker.workload.metadata.name);
    const [trigger] = scaled!.spec.triggers;
    expect(trigger.type).toBe("rabbitmq");
    expect(trigger.metadata.queueName).toBe(queueNames(env.get("QUEUE_PREFIX")!.value!).queue);
    expect(scaled!.spec.minReplicaCount, "the worker also answers POST /api/tasks: never scaled to zero").toBeGreaterThanOrEqual(1);
    const auth = ofKind(objects, "TriggerAuthentication").find((a) => a.metadata.name === trigger.authenticationRef.name);
    const host = auth!.spec.secretTargetRef.find((ref: { parameter: string }) => ref.parameter === "host");
    const { name, key } = env.get("AMQP_URL")!.valueFrom!.secretKeyRef!;
    expect({ name: host.name, key: host.key }).toEqual({ name, key });
  });
});
