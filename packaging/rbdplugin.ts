/** The cluster-scoped RBDPlugin resource for manual (kubectl) installs. */
import { displayNameOf, type PluginManifest } from './plugin-manifest';
import { commonLabels, serviceHost, type RenderOptions } from './render-options';
import { RBDPLUGIN_LABEL_ENABLE, RBDPLUGIN_LABEL_NAME, type RBDPlugin } from './schemas/rbdplugin.schema';

/** The same values the console computes for a market install: frontend_service = first port + entry path. */
export function renderRBDPlugin(m: PluginManifest, opts: RenderOptions): RBDPlugin {
  const host = serviceHost(m, opts.namespace);
  return {
    apiVersion: 'rainbond.io/v1alpha1',
    kind: 'RBDPlugin',
    metadata: {
      name: m.id,
      labels: { ...commonLabels(m), [RBDPLUGIN_LABEL_ENABLE]: 'true', [RBDPLUGIN_LABEL_NAME]: m.id },
    },
    spec: {
      display_name: displayNameOf(m, opts.locale),
      plugin_type: m.type,
      plugin_views: [...m.views],
      frontend_component: m.frontend.component,
      entry_path: m.frontend.entryPath,
      menu_title: m.menuTitle,
      route_path: m.routePath,
      namespace: opts.namespace,
      frontend_service: `${host}:${m.frontend.port}${m.frontend.entryPath}`,
      backend_service: `${host}:${m.backend.port}`,
    },
  };
}
