// The rendered chart read as the apps see it: which workload runs which app of apps/, the environment its
// container gets, and where a Service, a port name or a URL's host name leads.
import { type Container, containersOf, type KubeObject, NAMESPACE, ofKind, selects, workloadsOf } from "./chart.ts";

/** A workload running one app of apps/ (by its image), and the app's container. */
export type AppWorkload = { app: string; workload: KubeObject; container: Container };

/** The app a W2Meet image runs: <registry>/<repository>/<app>:<tag>, the app one of apps/. */
const appOfImage = (image: string, apps: string[]) => {
  const app = /([^/:@]+)(?::[^/@]*)?(?:@.*)?$/.exec(image)?.[1];
  return app && apps.includes(app) ? app : undefined;
};

/** Every container of every workload that runs one of the apps, with its app. */
export const appContainersOf = (objects: KubeObject[], apps: string[]): AppWorkload[] =>
  workloadsOf(objects).flatMap((workload) =>
    containersOf(workload).flatMap((container) => {
      const app = appOfImage(container.image, apps);
      return app ? [{ app, workload, container }] : [];
    }),
  );

/** The Deployment of each app (the long-running service), by app. */
export function deploymentsByApp(objects: KubeObject[], apps: string[]): Map<string, AppWorkload> {
  const byApp = new Map<string, AppWorkload>();
  for (const found of appContainersOf(ofKind(objects, "Deployment"), apps)) {
    if (byApp.has(found.app))
      throw new Error(
        `${found.app} runs in two Deployments: ${byApp.get(found.app)!.workload.metadata.name}, ${found.workload.metadata.name}`,
      );
    byApp.set(found.app, found);
  }
  return byApp;
}

/** One environment variable as the container gets it: a plain value, or a reference to a Secret's key. */
export type EnvVar = {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string }; [source: string]: unknown };
};

/** A container's environment by name; a name given twice is an error (Kubernetes would keep the last silently). */
export function envOf(container: Container): Map<string, EnvVar> {
  const env = new Map<string, EnvVar>();
  for (const entry of (container.env ?? []) as EnvVar[]) {
    if (env.has(entry.name)) throw new Error(`${container.name} sets ${entry.name} twice`);
    env.set(entry.name, entry);
  }
  if (container.envFrom?.length)
    throw new Error(`${container.name} takes env from whole ConfigMaps or Secrets, which these checks cannot follow`);
  return env;
}

/** The container port a Service's targetPort or a probe's port names (a number, or a port's name). */
export const containerPortOf = (container: Container, port: number | string): number | undefined =>
  ((container.ports ?? []) as { name?: string; containerPort: number }[]).find((p) =>
    typeof port === "number" ? p.containerPort === port : p.name === port,
  )?.containerPort;

/** The pods' labels of a workload. */
export const podLabelsOf = (workload: KubeObject): Record<string, string> => workload.spec.template.metadata?.labels ?? {};

/** The workloads whose pods a selector selects. */
export const selectedWorkloads = (objects: KubeObject[], selector: Parameters<typeof selects>[0]) =>
  workloadsOf(objects).filter((workload) => selects(selector, podLabelsOf(workload)));

/**
 * The Service a host name names from inside the release's namespace: `name`, `name.namespace`,
 * `name.namespace.svc` or `name.namespace.svc.cluster.local`; undefined for anything else.
 */
function serviceOfHost(objects: KubeObject[], host: string): KubeObject | undefined {
  const [name, namespace, ...rest] = host.split(".");
  if (namespace !== undefined && namespace !== NAMESPACE) return undefined;
  if (rest.length && !["svc", "svc.cluster.local"].includes(rest.join("."))) return undefined;
  return ofKind(objects, "Service").find((service) => service.metadata.name === name);
}

/** A call one app makes to another: the URL setting, the app it reaches, the Service it goes through and the URL. */
export type InternalCall = { setting: string; to: string | undefined; service: KubeObject | undefined; url: URL };

/** The calls an app's container is configured to make: its http(s) URL settings and where their host names lead. */
export function internalCallsOf(objects: KubeObject[], container: Container, apps: string[]): InternalCall[] {
  const deployments = deploymentsByApp(objects, apps);
  return [...envOf(container).values()].flatMap(({ name, value }) => {
    if (!value || !/^https?:\/\//.test(value)) return [];
    const url = new URL(value);
    const service = serviceOfHost(objects, url.hostname);
    const to =
      service && [...deployments.values()].find(({ workload }) => selects(service.spec.selector ?? {}, podLabelsOf(workload)))?.app;
    return [{ setting: name, to, service, url }];
  });
}
