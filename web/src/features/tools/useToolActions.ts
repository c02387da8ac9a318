/** Runs register / remove / open / close on a tool and tracks its steps: request → applied → settled. */
import { shallowRef } from 'vue';
import type { Tool, ToolId } from '../../../../contract';
import type { Scope } from '../../lib/services';
import type { AccessChange } from './tool-view';
import { useToolsApi } from './tools.api';

export type ActionKind = 'register' | 'unregister' | 'open' | 'close';
export type ActionPhase = 'request' | 'settle' | 'done' | 'failed';

export interface ActionState {
  toolId: ToolId;
  toolTitle: string;
  kind: ActionKind;
  phase: ActionPhase;
  error: unknown;
}

export interface ToolActionsOptions {
  scope: () => Scope | null;
  /** Called with the Tool the backend answered; resolves once the status view was refreshed. */
  settle: (tool: Tool) => Promise<void>;
}

export function useToolActions({ scope, settle }: ToolActionsOptions) {
  const api = useToolsApi();
  /** Latest action per tool (shown as a progress/outcome panel). */
  const actions = shallowRef<Partial<Record<ToolId, ActionState>>>({});
  const set = (s: ActionState) => (actions.value = { ...actions.value, [s.toolId]: s });

  async function run(tool: Tool, kind: ActionKind, call: (s: Scope) => Promise<Tool>): Promise<void> {
    const s = scope();
    if (!s) return;
    const base = { toolId: tool.id, toolTitle: tool.title, kind, error: null };
    set({ ...base, phase: 'request' });
    try {
      const updated = await call(s);
      set({ ...base, phase: 'settle' });
      await settle(updated);
      set({ ...base, phase: 'done' });
    } catch (error) {
      set({ ...base, phase: 'failed', error });
    }
  }

  return {
    actions,
    busy: (id: ToolId) => {
      const a = actions.value[id];
      return a !== undefined && (a.phase === 'request' || a.phase === 'settle');
    },
    dismiss: (id: ToolId) => {
      const next = { ...actions.value };
      delete next[id];
      actions.value = next;
    },
    register: (tool: Tool) => run(tool, 'register', (s) => api.register(s, tool.id)),
    unregister: (tool: Tool) => run(tool, 'unregister', (s) => api.unregister(s, tool.id)),
    access: (tool: Tool, change: AccessChange) =>
      run(tool, change.external ? 'open' : 'close', (s) =>
        api.setAccess(s, tool.id, change.external, change.mode, change.acknowledgedRisks),
      ),
  };
}
