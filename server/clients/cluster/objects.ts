/**
 * Zod schemas for the parts of Kubernetes objects the cluster view reads, and their slim in-memory form.
 * Everything else in an object is dropped at the boundary, so the cache holds only what detection needs.
 */
import { z } from 'zod';
import { ciliumDashboardUids } from '../../cilium/dashboards';
import { DYNAMIC_METRICS_KEYS } from '../../cilium/hubble-metrics';
import { isTeamNamespace, type SlimNamespace } from './namespaces';
import { toPolicySummary, type PolicySummary } from './policies';

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
export const NamespaceSchema = z.object({ metadata: z.object({ name: z.string(), labels: StringMap }) });
/** discovery.k8s.io/v1 EndpointSlice: which Service it belongs to and its endpoints' ready conditions. */
export const EndpointSliceSchema = z.object({
  metadata: MetaSchema,
  endpoints: z
    .array(
      z.object({
        addresses: z.array(z.string()).nullish(),
        /** `ready: null` means unknown, which consumers read as ready (the API's own advice). */
        conditions: z.object({ ready: z.boolean().nullish() }).nullish(),
        targetRef: z
          .object({ kind: z.string().nullish(), namespace: z.string().nullish(), name: z.string().nullish() })
          .nullish(),
      }),
    )
    .nullish(),
});

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
  /** Only the keys detection reads: all of cilium-config, else `grafana.ini` and the dynamic metrics file. */
  data: Record<string, string>;
  /** Cilium dashboard UIDs found in its `*.json` values, e.g. ["vtuWtdumz"]; the JSON itself is not kept. */
  dashboardUids: string[];
}

export interface SlimEndpointSlice {
  namespace: string;
  /** The Service it belongs to (label `kubernetes.io/service-name`). */
  service: string;
  /** One per endpoint: a stable id (pod, else first address) and its ready condition. */
  endpoints: { id: string; ready: boolean }[];
}

export type { SlimNamespace };

/** What detection reads; the cluster view keeps one of these up to date from the informers. */
export interface Inventory {
  workloads: readonly SlimWorkload[];
  services: readonly SlimService[];
  configMaps: readonly SlimConfigMap[];
  namespaces: readonly SlimNamespace[];
  /** A Service without any slice here (none made yet, or slices unreadable) falls back to its workload's counts. */
  endpointSlices: readonly SlimEndpointSlice[];
}

/** ConfigMap data keys detection reads (besides all of cilium-config). */
const KEPT_KEYS = new Set<string>(['grafana.ini', ...DYNAMIC_METRICS_KEYS]);

function slimConfigMapData(name: string, data: Record<string, string>) {
  const kept: Record<string, string> = {};
  const uids = new Set<string>();
  for (const [k, v] of Object.entries(data)) {
    if (name === 'cilium-config' || KEPT_KEYS.has(k)) kept[k] = v;
    if (k.endsWith('.json')) for (const u of ciliumDashboardUids(v)) uids.add(u);
  }
  return { data: kept, dashboardUids: [...uids] };
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
  | { type: 'endpointslice'; value: SlimEndpointSlice }
  | { type: 'namespace'; value: SlimNamespace }
  | { type: 'policy'; value: PolicySummary };

/** `slim` of what `schema` parses out of `raw`; null when the object does not have the shape. */
function parsed<S extends z.ZodType>(
  schema: S,
  raw: unknown,
  slim: (o: z.infer<S>) => SlimObject | null,
): SlimObject | null {
  const r = schema.safeParse(raw);
  return r.success ? slim(r.data) : null;
}

/** What every slim object keeps of its metadata. */
const metaOf = (m: z.infer<typeof MetaSchema>) => ({
  namespace: m.namespace ?? '',
  name: m.name,
  labels: m.labels,
});

function workload(
  kind: SlimWorkload['kind'],
  o: { metadata: z.infer<typeof MetaSchema>; spec?: { template?: Template } | null },
  ready: number,
  desired: number,
): SlimObject {
  return {
    type: 'workload',
    value: { kind, ...metaOf(o.metadata), ...podParts(o.spec?.template), ready, desired },
  };
}

/** Raw object of the given kind → slim form; null when the object does not have the shape we need. */
export function toSlim(kind: string, raw: unknown): SlimObject | null {
  switch (kind) {
    case 'DaemonSet':
      return parsed(DaemonSetSchema, raw, (o) =>
        workload(kind, o, o.status?.numberReady ?? 0, o.status?.desiredNumberScheduled ?? 0),
      );
    case 'Deployment':
    case 'StatefulSet':
      // spec.replicas defaults to 1 when unset.
      return parsed(DeploymentSchema, raw, (o) =>
        workload(kind, o, o.status?.readyReplicas ?? 0, o.spec?.replicas ?? 1),
      );
    case 'Service':
      return parsed(ServiceSchema, raw, (o) => ({
        type: 'service',
        value: {
          ...metaOf(o.metadata),
          selector: o.spec?.selector ?? {},
          headless: o.spec?.clusterIP === 'None',
          ports: (o.spec?.ports ?? []).map((p) => ({
            name: p.name ?? null,
            port: p.port,
            targetPort: p.targetPort ?? null,
          })),
        },
      }));
    case 'ConfigMap':
      return parsed(ConfigMapSchema, raw, (o) => ({
        type: 'configmap',
        value: { ...metaOf(o.metadata), ...slimConfigMapData(o.metadata.name, o.data) },
      }));
    case 'EndpointSlice':
      return parsed(EndpointSliceSchema, raw, (o) => {
        const service = o.metadata.labels['kubernetes.io/service-name'];
        if (!service) return null;
        const endpoints = (o.endpoints ?? []).map((e, i) => {
          const t = e.targetRef;
          const id = t?.name
            ? `${t.kind ?? ''}/${t.namespace ?? ''}/${t.name}`
            : (e.addresses?.[0] ?? `#${i}`);
          return { id, ready: e.conditions?.ready !== false };
        });
        return {
          type: 'endpointslice',
          value: { namespace: o.metadata.namespace ?? '', service, endpoints },
        };
      });
    case 'Namespace':
      return parsed(NamespaceSchema, raw, ({ metadata: { name, labels } }) => ({
        type: 'namespace',
        value: { name, team: isTeamNamespace(name, labels) },
      }));
    case 'CiliumNetworkPolicy':
    case 'CiliumClusterwideNetworkPolicy':
    case 'NetworkPolicy': {
      const p = toPolicySummary(kind, raw);
      return p ? { type: 'policy', value: p } : null;
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
  const namespaces: SlimNamespace[] = [];
  const endpointSlices: SlimEndpointSlice[] = [];
  for (const o of objects) {
    const slim = typeof o.kind === 'string' ? toSlim(o.kind, o) : null;
    if (slim?.type === 'workload') workloads.push(slim.value);
    else if (slim?.type === 'service') services.push(slim.value);
    else if (slim?.type === 'configmap') configMaps.push(slim.value);
    else if (slim?.type === 'endpointslice') endpointSlices.push(slim.value);
    else if (slim?.type === 'namespace') namespaces.push(slim.value);
  }
  return { workloads, services, configMaps, namespaces, endpointSlices };
}
