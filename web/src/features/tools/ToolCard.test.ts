import { afterEach, describe, expect, it } from 'vitest';
import type { Tool } from '../../../../contract';
import {
  createFakeBackend,
  makeStatus,
  makeTool,
  mountWithServices,
  ok,
  settle,
} from '../../../test/harness';
import ToolCard from './ToolCard.vue';
import ToolsSection from './ToolsSection.vue';

afterEach(() => {
  document.body.innerHTML = '';
});

const risky = makeTool({
  risks: [
    { code: 'NO_AUTH', message: 'Hubble UI has no login: anyone with the URL sees every flow.' },
    { code: 'ANONYMOUS_ADMIN', message: 'Grafana lets anonymous visitors act as Admin.' },
  ],
});

function mountSection(tool: Tool) {
  const backend = createFakeBackend({
    'PUT /api/v1/tools/hubble-ui/access': (req) => ({
      status: 200,
      body: {
        ...tool,
        access: { external: (req.body as { external: boolean }).external, urls: ['http://h.example'] },
      },
    }),
    'GET /api/v1/status': ok(makeStatus()),
  });
  const wrapper = mountWithServices(
    ToolsSection,
    { tools: [tool], scope: { team: 'dev', region: 'rainbond' }, settle: async () => undefined },
    { fetch: backend.fetch },
  );
  return { wrapper, backend };
}

const puts = (b: ReturnType<typeof createFakeBackend>) => b.requests.filter((r) => r.method === 'PUT');

describe('ToolCard states', () => {
  it.each([
    [
      'missing',
      makeTool({ state: 'missing', service: null, registration: null }),
      { register: false, remove: false, switchDisabled: true },
    ],
    [
      'found, not registered',
      makeTool({ registration: null }),
      { register: true, remove: false, switchDisabled: true },
    ],
    ['registered', makeTool(), { register: false, remove: true, switchDisabled: false }],
  ])('%s', async (_name, tool, expected) => {
    const w = mountWithServices(ToolCard, { tool }, { fetch: createFakeBackend({}).fetch });
    await settle();
    expect(w.find('.cobs-tool__register').exists()).toBe(expected.register);
    expect(w.find('.cobs-tool__remove').exists()).toBe(expected.remove);
    const sw = w.find('[role="switch"]');
    expect(sw.attributes('aria-label')).toBe('External access to Hubble UI');
    expect(sw.attributes('aria-disabled') === 'true' || sw.attributes('disabled') !== undefined).toBe(
      expected.switchDisabled,
    );
  });

  it('shows gateway URLs as new-tab links with rel noopener and the registration details', async () => {
    const tool = makeTool({
      access: { external: true, mode: 'open', urls: ['http://hubble.example.com'] },
      links: [{ id: 'ns', title: 'Team namespace', url: 'http://hubble.example.com/?namespace=dev' }],
      registration: {
        appId: 7,
        componentAlias: 'hubble-ui',
        componentStatus: 'abnormal',
        endpoints: { healthy: 0, total: 2 },
      },
    });
    const w = mountWithServices(ToolCard, { tool }, { fetch: createFakeBackend({}).fetch });
    const links = w.findAll('a');
    expect(links.map((a) => a.attributes('href'))).toEqual([
      'http://hubble.example.com',
      'http://hubble.example.com/?namespace=dev',
    ]);
    for (const a of links) {
      expect(a.attributes('target')).toBe('_blank');
      expect(a.attributes('rel')).toContain('noopener');
    }
    expect(w.find('.cobs-tool__component').text()).toBe('abnormal');
    expect(w.find('.cobs-tool__endpoints').text()).toBe('0/2');
    expect(w.find('.cobs-tool__endpoints').classes()).toContain('cobs-warn');
  });
});

describe('risk dialog', () => {
  it('names each risk and sends acknowledgedRisks only after confirm', async () => {
    const { wrapper, backend } = mountSection(risky);
    await wrapper.find('[role="switch"]').trigger('click');
    await settle();
    expect(puts(backend)).toHaveLength(0);
    const dialog = wrapper.find('.cobs-risk-dialog');
    expect(dialog.text()).toContain('anyone with the URL sees every flow');
    expect(dialog.text()).toContain('anonymous visitors act as Admin');
    await wrapper.find('.cobs-risk-confirm').trigger('click');
    await settle();
    expect(puts(backend).map((r) => r.body)).toEqual([
      { external: true, acknowledgedRisks: ['NO_AUTH', 'ANONYMOUS_ADMIN'] },
    ]);
    expect(puts(backend)[0]!.query).toEqual({ team: 'dev', region: 'rainbond' });
  });

  it('sends nothing when cancelled', async () => {
    const { wrapper, backend } = mountSection(risky);
    await wrapper.find('[role="switch"]').trigger('click');
    await settle();
    await wrapper.find('.cobs-risk-cancel').trigger('click');
    await settle();
    expect(backend.requests).toHaveLength(0);
    expect(wrapper.find('.cobs-risk-dialog').isVisible()).toBe(false);
  });

  it('opens a tool without risks directly, without acknowledgedRisks', async () => {
    const { wrapper, backend } = mountSection(makeTool());
    await wrapper.find('[role="switch"]').trigger('click');
    await settle();
    expect(puts(backend).map((r) => r.body)).toEqual([{ external: true }]);
    expect(wrapper.find('.cobs-action').attributes('data-phase')).toBe('done');
  });

  it('closing access never asks', async () => {
    const { wrapper, backend } = mountSection({
      ...risky,
      access: { external: true, mode: 'open', urls: ['http://h'] },
    });
    await wrapper.find('[role="switch"]').trigger('click');
    await settle();
    expect(puts(backend).map((r) => r.body)).toEqual([{ external: false }]);
  });
});
