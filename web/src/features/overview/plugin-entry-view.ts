/** Status.plugin → what the overview shows of the console's plugin entry; pure, tested without rendering. */
import type { PluginEntry } from '../../../../contract';
import type { MessageKey } from '../../locales/zh-CN';
import type { PanelView } from '../../lib/services';

export type TagType = 'success' | 'warning' | 'danger' | 'info';

const TAGS: Record<PluginEntry['state'], TagType> = {
  ok: 'success',
  missing: 'danger',
  disabled: 'warning',
  elsewhere: 'warning',
  unknown: 'info',
};

export function pluginEntryTag(state: PluginEntry['state']): { type: TagType; label: MessageKey } {
  return { type: TAGS[state], label: `plugin.state.${state}` };
}

/** The Platform view always shows the entry; a team view only when something is wrong with it. */
export function showPluginEntry(entry: PluginEntry | undefined, view: PanelView): entry is PluginEntry {
  if (!entry) return false;
  return view === 'Platform' || entry.state !== 'ok';
}
