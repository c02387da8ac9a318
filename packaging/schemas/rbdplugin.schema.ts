/**
 * The RBDPlugin custom resource as Rainbond v6.6+ stores it. Field names and types copied from
 * goodrain/rainbond:config/crd/rainbond.io_rbdplugins.yaml (embedded and re-applied by rbd-api since v6.6.0).
 * Strict: a field the CRD does not declare would be pruned by the API server, so rendering one is a bug.
 */
import { z } from 'zod';
import { DNS1123_LABEL } from '../../contract/names';

/** Label keys the console and rbd-api read (goodrain/rainbond:api/handler/cluster.go). */
export const RBDPLUGIN_LABEL_ENABLE = 'plugin.rainbond.io/enable';
export const RBDPLUGIN_LABEL_NAME = 'plugin.rainbond.io/name';

export const RBDPluginSpecSchema = z.strictObject({
  /** CRD `display_name` (string): menu label; console maps it to alias/display_name. */
  display_name: z.string().min(1),
  /** CRD `plugin_type` (enum JSInject|Iframe). */
  plugin_type: z.enum(['JSInject', 'Iframe']),
  /** CRD `frontend_component` (string): informational, "Frontend component name". */
  frontend_component: z.string().optional(),
  /** CRD `entry_path` (string): informational, "Entry path for the plugin". */
  entry_path: z.string().optional(),
  /** CRD `plugin_views` (array of enum Platform|Team|Application|Component). */
  plugin_views: z.array(z.enum(['Platform', 'Team', 'Application', 'Component'])),
  /** CRD `menu_title` (string): informational. */
  menu_title: z.string().optional(),
  /** CRD `route_path` (string): informational. */
  route_path: z.string().optional(),
  /** CRD `namespace` (string): "Namespace identifier for the plugin", informational. */
  namespace: z.string().optional(),
  /** CRD `backend_service` (string): host:port (scheme optional) the region reverse-proxies to. */
  backend_service: z.string().regex(/^(https?:\/\/)?[a-z0-9.-]+:\d{1,5}$/),
  /** CRD `frontend_service` (string): full URL of the JS bundle, rbd-api GETs it, e.g. svc.ns.svc.cluster.local:8080/static/main.js. */
  frontend_service: z.string().regex(/^(https?:\/\/)?[a-z0-9.-]+:\d{1,5}\/\S+\.js$/),
});

export const RBDPluginSchema = z.strictObject({
  /** Group/version of the CRD: rainbond.io, served version v1alpha1. */
  apiVersion: z.literal('rainbond.io/v1alpha1'),
  kind: z.literal('RBDPlugin'),
  /** Cluster-scoped (CRD `scope: Cluster`): no metadata.namespace. */
  metadata: z.strictObject({
    /** Plugin id used in every console URL (/plugins/{name}). */
    name: z.string().regex(DNS1123_LABEL),
    labels: z.record(z.string(), z.string()).refine((l) => l[RBDPLUGIN_LABEL_ENABLE] === 'true', {
      message: `expected label ${RBDPLUGIN_LABEL_ENABLE}="true"`,
    }),
    annotations: z.record(z.string(), z.string()).optional(),
  }),
  spec: RBDPluginSpecSchema,
});
export type RBDPlugin = z.infer<typeof RBDPluginSchema>;
