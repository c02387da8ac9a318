/**
 * The RAM app template (metadata.json of a Rainbond app-market app). Field names and types copied from
 * goodrain/rainbond-oam:pkg/ram/v1alpha1/types.go (RainbondApplicationConfig, Component, ComponentProbe,
 * ImageInfo, ComponentPort, ComponentEnv, ComponentExtendMethodRule, K8sResource, ComponentK8sAttribute,
 * PlatformPlugin). Go `int`/`bool`/`string` become integer/boolean/string; fields without `omitempty` are required.
 * Only what a template we render carries is modelled; unknown keys are rejected so a typo cannot ship.
 */
import { z } from 'zod';
import { DNS1123_LABEL } from '../../contract/names';

const int = z.number().int();
/** 32 lowercase hex chars, the shape of Rainbond ids (make_uuid / md5 hexdigest). */
const hex32 = z.string().regex(/^[0-9a-f]{32}$/);

/** types.go ComponentProbe. */
export const ComponentProbeSchema = z.strictObject({
  /** `ID` int (note the upper-case json name). */
  ID: int,
  /** `initial_delay_second` int. */
  initial_delay_second: int,
  /** `failure_threshold` int. */
  failure_threshold: int,
  /** `service_id` string. */
  service_id: z.string(),
  /** `http_header` string, "" for none. */
  http_header: z.string(),
  /** `cmd` string, "" for HTTP probes. */
  cmd: z.string(),
  /** `probe_id` string. */
  probe_id: z.string(),
  /** `scheme` string: "http" | "tcp" | "cmd". */
  scheme: z.enum(['http', 'tcp', 'cmd']),
  /** `success_threshold` int. */
  success_threshold: int,
  /** `timeout_second` int. */
  timeout_second: int,
  /** `is_used` bool. */
  is_used: z.boolean(),
  /** `period_second` int. */
  period_second: int,
  /** `port` int (Validation: port 0 needs a cmd). */
  port: int.min(1).max(65535),
  /** `mode` string: "readiness" | "liveness" | "ignore" (Rainbond probe modes). */
  mode: z.enum(['readiness', 'liveness', 'ignore']),
  /** `path` string, e.g. "/readyz". */
  path: z.string(),
});

/** types.go ImageInfo (`service_image`). */
export const ImageInfoSchema = z.strictObject({
  /** `hub_password` string. */
  hub_password: z.string(),
  /** `namespace` string: registry namespace, e.g. "goodrain". */
  namespace: z.string(),
  /** `hub_url` string: registry host, e.g. "registry.cn-hangzhou.aliyuncs.com". */
  hub_url: z.string(),
  /** `hub_user` string. */
  hub_user: z.string(),
  /** `is_trust` bool. */
  is_trust: z.boolean(),
});

/** types.go ComponentPort; `k8s_service_name` names the Service in frontend_service / backend_service. */
export const ComponentPortSchema = z.strictObject({
  /** `port_alias` string, console rule ^[A-Z][A-Z0-9_]*$. */
  port_alias: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
  /** `protocol` string: http|tcp|udp|grpc|mysql. */
  protocol: z.enum(['http', 'tcp', 'udp', 'grpc', 'mysql']),
  /** `tenant_id` string, "" in templates. */
  tenant_id: z.string(),
  /** `container_port` int. */
  container_port: int.min(1).max(65535),
  /** `is_outer_service` bool. */
  is_outer_service: z.boolean(),
  /** `is_inner_service` bool. */
  is_inner_service: z.boolean(),
  /** `name` string. */
  name: z.string(),
  /** `k8s_service_name` string: the Service name the console puts into frontend_service. */
  k8s_service_name: z.string().regex(DNS1123_LABEL).optional(),
});

/** types.go ComponentEnv. */
export const ComponentEnvSchema = z.strictObject({
  /** `attr_name` string: the variable name. */
  attr_name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
  /** `name` string: display name. */
  name: z.string(),
  /** `is_change` bool: editable after install. */
  is_change: z.boolean(),
  /** `attr_value` string. */
  attr_value: z.string(),
  /** `container_port` int32, 0 for non-port variables. */
  container_port: int,
});

/** types.go ComponentExtendMethodRule. */
export const ExtendMethodRuleSchema = z.strictObject({
  min_node: int,
  step_memory: int,
  is_restart: int,
  step_node: int,
  max_memory: int,
  max_node: int,
  min_memory: int,
  init_memory: int,
});

/** types.go ComponentK8sAttribute; names supported: nodeSelector/labels/tolerations/volumes/serviceAccountName/privileged/affinity. */
export const ComponentK8sAttributeSchema = z.strictObject({
  /** `component_id` string. */
  component_id: z.string(),
  /** `name` string, e.g. "serviceAccountName". */
  name: z.enum([
    'nodeSelector',
    'labels',
    'tolerations',
    'volumes',
    'serviceAccountName',
    'privileged',
    'affinity',
  ]),
  /** `save_type` string: json|yaml|string. */
  save_type: z.enum(['json', 'yaml', 'string']),
  /** `attribute_value` string. */
  attribute_value: z.string(),
});

/** types.go Component (json names; required = no omitempty). */
export const ComponentSchema = z.strictObject({
  /** `memory` int, MB (container limit). */
  memory: int.min(0),
  /** `cpu` int, millicores (container limit). */
  cpu: int.min(0),
  /** `probes` []ComponentProbe. */
  probes: z.array(ComponentProbeSchema),
  /** `service_image` ImageInfo. */
  service_image: ImageInfoSchema,
  /** `service_id` string. */
  service_id: hex32,
  /** `extend_method` DeployType: stateless_multiple|stateless_singleton|state_multiple|state_singleton. */
  extend_method: z.enum(['stateless_multiple', 'stateless_singleton', 'state_multiple', 'state_singleton']),
  /** `service_key` string. */
  service_key: hex32,
  /** `service_share_uuid` string (omitempty); platform plugins: md5(plugin_id + ":" + service_cname). */
  service_share_uuid: hex32,
  /** `share_type` string (omitempty): "image". */
  share_type: z.literal('image'),
  /** `mnt_relation_list` []ComponentShareVolume. */
  mnt_relation_list: z.array(z.unknown()),
  /** `service_source` string, "docker_image" for image components. */
  service_source: z.string(),
  /** `dep_service_map_list` []ComponentDep. */
  dep_service_map_list: z.array(z.strictObject({ dep_service_key: z.string() })),
  /** `service_connect_info_map_list` []ComponentEnv. */
  service_connect_info_map_list: z.array(ComponentEnvSchema),
  /** `service_volume_map_list` []ComponentVolume. */
  service_volume_map_list: z.array(z.unknown()),
  /** `version` string: the image tag. */
  version: z.string(),
  /** `k8s_component_name` string (DNS-1123). */
  k8s_component_name: z.string().regex(DNS1123_LABEL),
  /** `port_map_list` []ComponentPort. */
  port_map_list: z.array(ComponentPortSchema),
  /** `service_name` string. */
  service_name: z.string(),
  /** `category` string. */
  category: z.string(),
  /** `service_env_map_list` []ComponentEnv. */
  service_env_map_list: z.array(ComponentEnvSchema),
  /** `service_alias` string. */
  service_alias: z.string().min(1),
  /** `deploy_version` string. */
  deploy_version: z.string(),
  /** `extend_method_map` ComponentExtendMethodRule. */
  extend_method_map: ExtendMethodRuleSchema,
  /** `service_type` string: "application". */
  service_type: z.string(),
  /** `arch` string, e.g. "amd64". */
  arch: z.string(),
  /** `report` []ComponentReport. */
  report: z.array(z.unknown()),
  /** `service_cname` string: display name; platform_plugin.frontend_component refers to it. */
  service_cname: z.string().min(1),
  /** `share_image` string: image the installer pulls. */
  share_image: z.string().min(1),
  /** `image` string. */
  image: z.string().min(1),
  /** `cmd` string. */
  cmd: z.string(),
  /** `language` string. */
  language: z.string(),
  /** `component_monitors` []ComponentMonitor. */
  component_monitors: z.array(z.unknown()),
  /** `component_graphs` []ComponentGraph. */
  component_graphs: z.array(z.unknown()),
  /** `labels` map[string]string (omitempty). */
  labels: z.record(z.string(), z.string()).optional(),
  /** `component_k8s_attributes` []ComponentK8sAttribute. */
  component_k8s_attributes: z.array(ComponentK8sAttributeSchema),
});

/** types.go K8sResource. */
export const K8sResourceSchema = z.strictObject({
  /** `name` string: object name. */
  name: z.string().min(1),
  /** `kind` string: same as the Kubernetes kind. */
  kind: z.string().min(1),
  /** `content` string: the object's YAML. */
  content: z.string().min(1),
});

/** types.go PlatformPlugin; console share_services.py `_build_platform_plugin_config` writes the same keys. */
export const PlatformPluginSchema = z.strictObject({
  /** `is_platform_plugin` bool. */
  is_platform_plugin: z.literal(true),
  /** `plugin_id` string → RBDPlugin metadata.name. */
  plugin_id: z.string().regex(DNS1123_LABEL),
  /** `plugin_name` string → spec.display_name. */
  plugin_name: z.string().min(1),
  /** `plugin_type` string → spec.plugin_type. */
  plugin_type: z.enum(['JSInject', 'Iframe']),
  /** `frontend_component` string: service_cname of the component serving the bundle. */
  frontend_component: z.string().min(1),
  /** `entry_path` string, e.g. "/static/main.js". */
  entry_path: z.string().min(1),
  /** `inject_position` []string → spec.plugin_views ("NoInject" sentinel normalised to []). */
  inject_position: z.array(z.enum(['Platform', 'Team', 'Application', 'Component'])),
  /** `menu_title` string. */
  menu_title: z.string(),
  /** `route_path` string, e.g. "/plugins/<id>". */
  route_path: z.string(),
});

/** types.go RainbondApplicationConfig. */
export const RainbondApplicationConfigSchema = z.strictObject({
  /** `group_key` string: app model id. */
  group_key: hex32,
  /** `group_name` string: app model name. */
  group_name: z.string().min(1),
  /** `group_version` string. */
  group_version: z.string().min(1),
  /** `template_version` string: "v2" ("v3" only for VMs). */
  template_version: z.literal('v2'),
  /** `apps` []*Component. */
  apps: z.array(ComponentSchema).min(1),
  /** `plugins` []*Plugin (omitempty; HandleNullValue sets []). */
  plugins: z.array(z.unknown()),
  /** `app_config_groups` (omitempty). */
  app_config_groups: z.array(z.unknown()).optional(),
  /** `ingress_http_routes` (omitempty). */
  ingress_http_routes: z.array(z.unknown()).optional(),
  /** `annotations` map[string]string (omitempty). */
  annotations: z.record(z.string(), z.string()).optional(),
  /** `k8s_resources` []*K8sResource (omitempty). */
  k8s_resources: z.array(K8sResourceSchema).optional(),
  /** `governance_mode` string, default BUILD_IN_SERVICE_MESH; install forces KUBERNETES_NATIVE_SERVICE. */
  governance_mode: z.enum(['BUILD_IN_SERVICE_MESH', 'KUBERNETES_NATIVE_SERVICE', 'ISTIO_SERVICE_MESH']),
  /** `group_dev_status` string (omitempty). */
  group_dev_status: z.string().optional(),
  /** `platform_plugin` *PlatformPlugin (omitempty). */
  platform_plugin: PlatformPluginSchema.optional(),
});
export type RainbondApplicationConfig = z.infer<typeof RainbondApplicationConfigSchema>;
export type RamComponent = z.infer<typeof ComponentSchema>;
