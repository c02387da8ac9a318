/** Which tools a team holds: the plugin's app found by its k8s_app, the tools by their components' names. */
import type { Logger } from '../../log';
import type { ConsoleCtx, RainbondConsole } from '../../clients/rainbond/types';
import { TOOL_IDS, type ToolId } from '../../../contract';
import { createPluginApps } from './plugin-app';
import { createToolComponents } from './tool-components';

/** Two console calls per team once the apps' k8s_app and the components' names are cached (10 min). */
export function createHeldTools(deps: {
  console: RainbondConsole;
  log: Logger;
  /** k8s_app of the plugin's app, as the registration service uses it, e.g. "cilium-observability". */
  k8sApp?: string;
}): (ctx: ConsoleCtx) => Promise<ToolId[]> {
  const apps = createPluginApps({
    console: deps.console,
    log: deps.log,
    k8sApp: deps.k8sApp ?? 'cilium-observability',
  });
  const components = createToolComponents({ console: deps.console, log: deps.log });
  return async (ctx) => {
    const app = await apps.find(ctx);
    if (!app) return [];
    const named = await components.byName(ctx, await deps.console.listAppComponents(ctx, app.appId));
    return TOOL_IDS.filter((t) => named.has(t));
  };
}
