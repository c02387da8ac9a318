/** Launches a protected tool in a new tab through the backend's single-use launch URL; the last failure per tool. */
import { shallowRef } from 'vue';
import type { ToolId } from '../../../../contract';
import type { Scope } from '../../lib/services';
import { openInNewTab, type TabOpener } from './launch';
import { useToolsApi } from './tools.api';

export function useLaunch(opts: { scope: () => Scope | null; win?: TabOpener }) {
  const api = useToolsApi();
  const errors = shallowRef<Partial<Record<ToolId, unknown>>>({});
  const setError = (id: ToolId, e: unknown) => {
    const next = { ...errors.value };
    if (e === null) delete next[id];
    else next[id] = e;
    errors.value = next;
  };

  /** Must be called from the click handler itself (the tab is opened before the first await). */
  async function launch(id: ToolId, path: string): Promise<void> {
    const s = opts.scope();
    if (!s) return;
    setError(id, null);
    try {
      await openInNewTab(async () => (await api.launch(s, id, path)).url, opts.win);
    } catch (e) {
      setError(id, e);
    }
  }

  return { errors, launch, dismiss: (id: ToolId) => setError(id, null) };
}
