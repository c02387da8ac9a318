import { afterEach, describe, expect, it, vi } from 'vitest';
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
  vi.restoreAllMocks();
});

const risky = makeTool({
  risks: [
    { code: 'NO_AUTH', message: 'Hubble UI has no login: anyone with the URL sees every flow.' },
    { code: 'ANONYMOUS_ADMIN', message: 'Grafana lets anonymous visitors act as Admin.' },
  ],
});

function mountSection(tool: Tool) {
  const backend = createFakeBackend({
    'PUT /api/v1/tools/hubble-ui/access': (req) => {
      const b = req.body as { external: boolean; mode?: 'protected' | 'open' };
      return {
        status: 200,
        body: {
          ...tool,
          access: {
            external: b.external,
            mode: b.external ? (b.mode ?? 'protected') : null,
            urls: ['http://h.example'],
          },
        },
      };
    },
    'POST /api/v1/tools/hubble-ui/launch': ok({
      url: 'http://h.example/__cobs/launch?ticket=v1.abc',
      expiresAt: '2026-01-01T00:01:00.000Z',
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

const pickOpen = (w: ReturnType<typeof mountSection>['wrapper']) =>
  w.find('.cobs-tool__mode-open input').setValue(true);

describe('access modes and the risk dialog', () => {
  it('protected is the default: the switch opens it without a dialog, naming the mode', async () => {
    const { wrapper, backend } = mountSection(risky);
    expect((wrapper.find('.cobs-tool__mode-protected input').element as HTMLInputElement).checked).toBe(true);
    await wrapper.find('[role="switch"]').trigger('click');
    await settle();
    expect(wrapper.find('.cobs-risk-dialog').exists() && wrapper.find('.cobs-risk-dialog').isVisible()).toBe(
      false,
    );
    expect(puts(backend).map((r) => r.body)).toEqual([{ external: true, mode: 'protected' }]);
  });

  it('open names each risk and sends acknowledgedRisks only after confirm', async () => {
    const { wrapper, backend } = mountSection(risky);
    await pickOpen(wrapper);
    await settle();
    expect(puts(backend)).toHaveLength(0);
    await wrapper.find('[role="switch"]').trigger('click');
    await settle();
    expect(puts(backend)).toHaveLength(0);
    const dialog = wrapper.find('.cobs-risk-dialog');
    expect(dialog.text()).toContain('anyone with the URL sees every flow');
    expect(dialog.text()).toContain('anonymous visitors act as Admin');
    await wrapper.find('.cobs-risk-confirm').trigger('click');
    await settle();
    expect(puts(backend).map((r) => r.body)).toEqual([
      { external: true, mode: 'open', acknowledgedRisks: ['NO_AUTH', 'ANONYMOUS_ADMIN'] },
    ]);
    expect(puts(backend)[0]!.query).toEqual({ team: 'dev', region: 'rainbond' });
  });

  it('sends nothing when cancelled', async () => {
    const { wrapper, backend } = mountSection(risky);
    await pickOpen(wrapper);
    await wrapper.find('[role="switch"]').trigger('click');
    await settle();
    await wrapper.find('.cobs-risk-cancel').trigger('click');
    await settle();
    expect(backend.requests).toHaveLength(0);
    expect(wrapper.find('.cobs-risk-dialog').isVisible()).toBe(false);
  });

  it('opens a tool without risks openly at once, without acknowledgedRisks', async () => {
    const { wrapper, backend } = mountSection(makeTool());
    await pickOpen(wrapper);
    await wrapper.find('[role="switch"]').trigger('click');
    await settle();
    expect(puts(backend).map((r) => r.body)).toEqual([{ external: true, mode: 'open' }]);
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

  it('switching a protected tool to open asks first, then sends mode open', async () => {
    const { wrapper, backend } = mountSection({
      ...risky,
      access: { external: true, mode: 'protected', urls: ['http://h'] },
    });
    await pickOpen(wrapper);
    await settle();
    expect(puts(backend)).toHaveLength(0);
    await wrapper.find('.cobs-risk-confirm').trigger('click');
    await settle();
    expect(puts(backend).map((r) => r.body)).toEqual([
      { external: true, mode: 'open', acknowledgedRisks: ['NO_AUTH', 'ANONYMOUS_ADMIN'] },
    ]);
  });
});

describe('opening a protected tool', () => {
  const protectedTool = makeTool({
    access: { external: true, mode: 'protected', urls: ['http://h.example'] },
    links: [
      { id: 'ns', title: 'Team namespace', url: 'http://h.example/?namespace=dev', path: '/?namespace=dev' },
    ],
  });
  const fakeTab = () => {
    const tab = { opener: {} as unknown, location: { replace: vi.fn() }, close: vi.fn() };
    vi.spyOn(window, 'open').mockReturnValue(tab as unknown as Window);
    return tab;
  };

  it('"Open" launches: a new tab first, then the single-use URL from the backend', async () => {
    const tab = fakeTab();
    const { wrapper, backend } = mountSection(protectedTool);
    expect(wrapper.find('.cobs-tool__protected-note').exists()).toBe(true);
    await wrapper.find('.cobs-tool__open').trigger('click');
    await settle();
    expect(window.open).toHaveBeenCalledWith('', '_blank');
    expect(tab.opener).toBeNull();
    const launches = backend.requests.filter((r) => r.path.endsWith('/launch'));
    expect(launches.map((r) => r.body)).toEqual([{ path: '/' }]);
    expect(tab.location.replace).toHaveBeenCalledWith('http://h.example/__cobs/launch?ticket=v1.abc');
  });

  it('a shortcut launches its own path instead of following the gateway URL', async () => {
    const tab = fakeTab();
    const { wrapper, backend } = mountSection(protectedTool);
    const link = wrapper.findAll('.cobs-tool__links a')[0]!;
    const ev = new MouseEvent('click', { bubbles: true, cancelable: true });
    link.element.dispatchEvent(ev);
    await settle();
    expect(ev.defaultPrevented).toBe(true);
    expect(backend.requests.filter((r) => r.path.endsWith('/launch')).map((r) => r.body)).toEqual([
      { path: '/?namespace=dev' },
    ]);
    expect(tab.location.replace).toHaveBeenCalled();
  });

  it('a refused launch closes the tab and says so', async () => {
    const tab = fakeTab();
    const backend = createFakeBackend({
      'POST /api/v1/tools/hubble-ui/launch': () => ({
        status: 403,
        body: { error: { code: 'FORBIDDEN', message: 'only enterprise admins may open hubble-ui' } },
      }),
    });
    const wrapper = mountWithServices(
      ToolsSection,
      { tools: [protectedTool], scope: { team: 'dev', region: 'rainbond' }, settle: async () => undefined },
      { fetch: backend.fetch },
    );
    await wrapper.find('.cobs-tool__open').trigger('click');
    await settle();
    expect(tab.close).toHaveBeenCalled();
    expect(wrapper.find('.cobs-tool__launch-error').text()).toContain('Could not open Hubble UI');
  });
});
