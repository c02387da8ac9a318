/** The plugin-entry self-check as the status route and /metrics see it; logs each change of state once. */
import type { PluginEntryReading } from '../../clients/cluster/plugin-entry';
import type { Locale } from '../../../contract';
import type { Logger } from '../../log';
import type { Metrics } from '../../metrics';
import { PluginEntrySchema, type PluginEntry } from '../../../contract';
import { judgePluginEntry, pluginEntryView, type PluginSelf } from './plugin-entry.mapping';

export interface PluginEntryService {
  /** The entry in the caller's language, for GET /api/v1/status. */
  view(locale: Locale): PluginEntry;
  /** Feed a new reading (the reader's onReading): logs when the state changes. */
  observe(reading: PluginEntryReading): void;
}

export function createPluginEntryService(deps: {
  reading: () => PluginEntryReading;
  self: PluginSelf;
  log: Logger;
  metrics?: Metrics;
}): PluginEntryService {
  const log = deps.log.child({ component: 'plugin-entry' });
  const state = () => judgePluginEntry(deps.reading().read, deps.self).state;
  for (const s of PluginEntrySchema.shape.state.options) {
    deps.metrics?.gauge(
      'plugin_entry_state',
      'The console plugin entry (RBDPlugin PLUGIN_ID) for this backend: 1 for the current state.',
      () => (state() === s ? 1 : 0),
      { state: s },
    );
  }
  let last: PluginEntry['state'] | null = null;
  return {
    view: (locale) => {
      const r = deps.reading();
      return pluginEntryView(judgePluginEntry(r.read, deps.self), deps.self, locale, r.checkedAt);
    },
    observe(reading) {
      const verdict = judgePluginEntry(reading.read, deps.self);
      if (verdict.state === last) return;
      last = verdict.state;
      const { message } = pluginEntryView(verdict, deps.self, 'en', reading.checkedAt);
      if (verdict.state === 'ok') log.info('plugin entry ok', { message });
      else log.warn(`plugin entry ${verdict.state}`, { message });
    },
  };
}
