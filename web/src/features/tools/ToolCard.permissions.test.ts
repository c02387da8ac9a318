import { afterEach, describe, expect, it } from 'vitest';
import { createFakeBackend, makeTool, mountWithServices, settle } from '../../../test/harness';
import { en } from '../../locales/en';
import { zhCN } from '../../locales/zh-CN';
import ToolCard from './ToolCard.vue';
import { toolView } from './tool-view';

afterEach(() => {
  document.body.innerHTML = '';
});

const readOnly = (required: 'enterprise-admin' | 'team-admin') =>
  makeTool({
    permissions: { manage: false, required, reason: 'from the backend' },
    lastAccessChange: { external: true, user: 'admin', at: '2025-05-01T08:00:00.000Z', source: 'console' },
  });

describe('a tool the caller may not change', () => {
  it('shows every control disabled with the sentence saying who may, instead of failing on click', async () => {
    const backend = createFakeBackend({});
    const w = mountWithServices(ToolCard, { tool: readOnly('enterprise-admin') }, { fetch: backend.fetch });
    await settle();
    expect(w.find('.cobs-tool__read-only').text()).toBe(en['tools.readOnly.enterprise-admin']);
    expect(w.find('.cobs-tool__remove').attributes('disabled')).toBeDefined();
    expect(w.find('[role="switch"]').attributes('disabled')).toBeDefined();
    await w.find('.cobs-tool__remove').trigger('click');
    expect(w.emitted('unregister')).toBeUndefined();
    expect(backend.requests).toEqual([]);
    const unregistered = mountWithServices(
      ToolCard,
      { tool: { ...readOnly('team-admin'), registration: null } },
      { fetch: backend.fetch, locale: 'zh-CN' },
    );
    await settle();
    expect(unregistered.find('.cobs-tool__register').attributes('disabled')).toBeDefined();
    expect(unregistered.find('.cobs-tool__read-only').text()).toBe(zhCN['tools.readOnly.team-admin']);
  });

  it('says who last opened or closed the access and when', async () => {
    const w = mountWithServices(
      ToolCard,
      { tool: readOnly('enterprise-admin') },
      { fetch: createFakeBackend({}).fetch },
    );
    await settle();
    expect(w.find('.cobs-tool__last-change').text()).toMatch(/^opened by admin on .*2025/);
  });

  it('keeps the controls for a caller who may manage, and for an older backend that sends no permissions', () => {
    expect(toolView(makeTool({ permissions: { manage: true, required: 'enterprise-admin' } }))).toMatchObject(
      {
        mayManage: true,
        requiredRole: null,
      },
    );
    expect(toolView(makeTool())).toMatchObject({ mayManage: true, requiredRole: null, lastChange: null });
  });

  it('shows the team holding the component in the Platform view', async () => {
    const w = mountWithServices(
      ToolCard,
      { tool: makeTool(), team: '开发团队' },
      { fetch: createFakeBackend({}).fetch },
    );
    await settle();
    expect(w.find('.cobs-tool__team').text()).toBe('开发团队');
  });
});
