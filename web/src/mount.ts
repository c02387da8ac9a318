/** Mounts the Vue app into an element; host-agnostic (entry.ts adapts the host's React to this). */
import { createApp, h, shallowRef } from 'vue';
import App from './App.vue';
import { ROOT_CLASS } from './styles/root-class';
import type { PanelContext } from './lib/services';
import { acquireStyle, releaseStyle } from './styles/style-inject';
import './styles/styles.css';

export interface PanelHandle {
  update(context: PanelContext): void;
  unmount(): void;
}

/** `onError` receives render/lifecycle errors instead of letting them escape to the host. */
export function mountPanel(
  host: HTMLElement,
  context: PanelContext,
  onError: (err: unknown) => void = (err) => console.error('[cilium-observability]', err),
): PanelHandle {
  const doc = host.ownerDocument;
  const el = doc.createElement('div');
  el.className = ROOT_CLASS;
  host.appendChild(el);
  acquireStyle(doc);
  const current = shallowRef(context);
  const app = createApp({ name: 'CobsRoot', render: () => h(App, { context: current.value }) });
  app.config.errorHandler = (err) => onError(err);
  app.config.warnHandler = () => undefined;
  let mounted = true;
  try {
    app.mount(el);
  } catch (err) {
    onError(err);
  }
  return {
    update(next) {
      if (mounted) current.value = next;
    },
    unmount() {
      if (!mounted) return;
      mounted = false;
      try {
        app.unmount();
      } catch (err) {
        onError(err);
      } finally {
        el.remove();
        releaseStyle(doc);
      }
    },
  };
}
