/**
 * Zod schemas for the parts of Kubernetes objects the cluster view reads, and their slim in-memory form.
 * Everything else in an object is dropped at the boundary, so the cache holds only what detection needs.
 */
import { z } from 'zod';

const StringMap = z
  .record(z.string(), z.string())
  .nullish()
  .transform((m) => m ?? {});

const MetaSchema = z.object({
  name: z.string(),
  namespace: z.string().nullish(),
  labels: StringMap,
});

const EnvSchema = z.object({ name: z.string(), value: z.string().nullish() });
const ContainerSchema = z.object({
  name: z.string(),
  image: z.string().nullish(),
  env: z.array(EnvSchema).nullish(),
});
const PodSpecSchema = z.object({
  containers: z.array(ContainerSchema).nullish(),
  volumes: z.array(z.object({ configMap: z.object({ name: z.string().nullish() }).nullish() })).nullish(),
});
const TemplateSchema = z.object({
  metadata: z.object({ labels: StringMap }).nullish(),
  spec: PodSpecSchema.nullish(),
});

const count = z
  .number()
  .nullish()
  .transform((n) => n ?? 0);

export const DaemonSetSchema = z.object({
  metadata: MetaSchema,
  spec: z.object({ template: TemplateSchema.nullish() }).nullish(),
  status: z.object({ desiredNumberScheduled: count, numberReady: count }).nullish(),
});
export const DeploymentSchema = z.object({
  metadata: MetaSchema,
  spec: z.object({ replicas: z.number().nullish(), template: TemplateSchema.nullish() }).nullish(),
  status: z.object({ readyReplicas: count }).nullish(),
});
export const ServiceSchema = z.object({
  metadata: MetaSchema,
  spec: z
    .object({
      clusterIP: z.string().nullish(),
      selector: StringMap,
      ports: z
        .array(
          z.object({
            name: z.string().nullish(),
            port: z.number(),
            targetPort: z.union([z.number(), z.string()]).nullish(),
          }),
        )
        .nullish(),
    })
    .nullish(),
});
export const ConfigMapSchema = z.object({ metadata: MetaSchema, data: StringMap });
export const NamespaceSchema = z.object({ metadata: z.object({ name: z.string() }) });

export interface SlimContainer {
  name: string;
  image: string;
  /** Literal env values only (valueFrom is a secret we never read), e.g. { GF_AUTH_ANONYMOUS_ENABLED: "true" }. */
  env: Record<string, string>;
}

export interface SlimWorkload {
  kind: 'DaemonSet' | 'Deployment' | 'StatefulSet';
  namespace: string;
  name: string;
  labels: Record<string, string>;
  /** Pod template labels, matched against Service selectors. */
  podLabels: Record<string, string>;
  containers: SlimContainer[];
  /** ConfigMaps mounted as volumes, e.g. ["grafana-config"]. */
  configMaps: string[];
  ready: number;
  desired: number;
}

export interface SlimService {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  selector: Record<string, string>;
  headless: boolean;
  ports: { name: string | null; port: number; targetPort: number | string | null }[];
}

export interface SlimConfigMap {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  data: Record<string, string>;
}

/** What detection reads; the cluster view keeps one of these up to date from the informers. */
export interface Inventory {
  workloads: readonly SlimWorkload[];
  services: readonly SlimService[];
  configMaps: readonly SlimConfigMap[];
  namespaces: readonly string[];
}

type Template = z.infer<typeof TemplateSchema> | null | undefined;

function podParts(t: Template) {
  const containers: SlimContainer[] = (t?.spec?.containers ?? []).map((c) => {
    const env: Record<string, string> = {};
    for (const e of c.env ?? []) if (typeof e.value === 'string') env[e.name] = e.value;
    return { name: c.name, image: c.image ?? '', env };
  });
  const configMaps = (t?.spec?.volumes ?? [])
    .map((v) => v.configMap?.name)
    .filter((n): n is string => typeof n === 'string');
  return { podLabels: t?.metadata?.labels ?? {}, containers, configMaps };
}

export type SlimObject =
  | { type: 'workload'; value: SlimWorkload }
  | { type: 'service'; value: SlimService }
  | { type: 'configmap'; value: SlimConfigMap }
  | { type: 'namespace'; value: string };

/** Raw object of the given kind → slim form; null when the object does not have the shape we need. */
export function toSlim(kind: string, raw: unknown): SlimObject | null {
  switch (kind) {
    case 'DaemonSet': {
      const r = DaemonSetSchema.safeParse(raw);
      if (!r.success) return null;
      const o = r.data;
      return {
        type: 'workload',
        value: {
          kind: 'DaemonSet',
          namespace: o.metadata.namespace ?? '',
          name: o.metadata.name,
          labels: o.metadata.labels,
          ...podParts(o.spec?.template),
          ready: o.status?.numberReady ?? 0,
          desired: o.status?.desiredNumberScheduled ?? 0,
        },
      };
    }
    case 'Deployment':
    case 'StatefulSet': {
      const r = DeploymentSchema.safeParse(raw);
      if (!r.success) return null;
      const o = r.data;
      return {
        type: 'workload',
        value: {
          kind,
          namespace: o.metadata.namespace ?? '',
          name: o.metadata.name,
          labels: o.metadata.labels,
          ...podParts(o.spec?.template),
          ready: o.status?.readyReplicas ?? 0,
          // spec.replicas defaults to 1 when unset.
          desired: o.spec?.replicas ?? 1,
        },
      };
    }
    case 'Service': {
      const r = ServiceSchema.safeParse(raw);
      if (!r.success) return null;
      const o = r.data;
      return {
        type: 'service',
        value: {
          namespace: o.metadata.namespace ?? '',
          name: o.metadata.name,
          labels: o.metadata.labels,
          selector: o.spec?.selector ?? {},
          headless: o.spec?.clusterIP === 'None',
          ports: (o.spec?.ports ?? []).map((p) => ({
            name: p.name ?? null,
            port: p.port,
            targetPort: p.targetPort ?? null,
          })),
        },
      };
    }
    case 'ConfigMap': {
      const r = ConfigMapSchema.safeParse(raw);
      if (!r.success) return null;
      const o = r.data;
      return {
        type: 'configmap',
        value: {
          namespace: o.metadata.namespace ?? '',
          name: o.metadata.name,
          labels: o.metadata.labels,
          data: o.data,
        },
      };
    }
    case 'Namespace': {
      const r = NamespaceSchema.safeParse(raw);
      return r.success ? { type: 'namespace', value: r.data.metadata.name } : null;
    }
    default:
      return null;
  }
}

/** Raw objects (each with its `kind`) → Inventory; objects of other kinds are ignored. */
export function buildInventory(objects: readonly { kind?: unknown }[]): Inventory {
  const workloads: SlimWorkload[] = [];
  const services: SlimService[] = [];
  const configMaps: SlimConfigMap[] = [];
  const namespaces: string[] = [];
  for (const o of objects) {
    const slim = typeof o.kind === 'string' ? toSlim(o.kind, o) : null;
    if (slim?.type === 'workload') workloads.push(slim.value);
    else if (slim?.type === 'service') services.push(slim.value);
    else if (slim?.type === 'configmap') configMaps.push(slim.value);
    else if (slim?.type === 'namespace') namespaces.push(slim.value);
  }
  return { workloads, services, configMaps, namespaces };
}
