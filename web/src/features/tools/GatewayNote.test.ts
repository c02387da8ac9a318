import { afterEach, describe, expect, it } from 'vitest';
import { defineComponent, h } from 'vue';
import type { GatewayStatus } from '../../../../contract';
import {
  createFakeBackend,
  makeStatus,
  makeTool,
  mountWithServices,
  ok,
  settle,
} from '../../../test/harness';
import StatusPage from '../overview/StatusPage.vue';
import GatewayNote from './GatewayNote.vue';
import ToolsSection from './ToolsSection.vue';

afterEach(() => {
  document.body.innerHTML = '';
});

const gateway = (over: Partial<GatewayStatus> = {}): GatewayStatus => ({
  port: 8081,
  selfService: { namespace: 'rbd-plugins', name: 'cilium-observability', port: 8081 },
  source: 'config',
  message: 'Protected entries point to rbd-plugins/cilium-observability:8081 (SELF_SERVICE)',
  ephemeralSecret: false,
  ...over,
});
const unresolved = gateway({
  selfService: null,
  source: 'unresolved',
  message: "The plugin's own Service is not known: POD_NAMESPACE is not set; set SELF_SERVICE",
});

const mountNote = (g: GatewayStatus, locale: 'en' | 'zh-CN' = 'en') =>
  mountWithServices(GatewayNote, { gateway: g }, { fetch: createFakeBackend({}).fetch, locale });
const text = (w: ReturnType<typeof mountNote>, sel: string) => w.find(sel).text().replace(/\s+/g, ' ');

describe('GatewayNote', () => {
  it.each([
    ['config', gateway()],
    [
      'discovered',
      gateway({
        source: 'discovered',
        selfService: { namespace: 'dev-x1', name: 'gr5f1a2b', port: 8081 },
        message:
          "Protected entries point to dev-x1/gr5f1a2b:8081, found from this pod's namespace and labels (the Service in dev-x1 that selects this pod)",
      }),
    ],
  ] as const)('%s: says which Service protected entries point to, quietly, with no warning', (source, g) => {
    const w = mountNote(g);
    expect(w.find('.cobs-gateway').attributes('data-source')).toBe(source);
    expect(text(w, '.cobs-gateway__target')).toBe(g.message);
    expect(w.find('.cobs-gateway__target').classes()).toContain('cobs-muted');
    expect(w.find('.cobs-warn').exists()).toBe(false);
    expect(w.find('.cobs-gateway__unresolved').exists()).toBe(false);
    expect(w.find('.cobs-gateway__secret').exists()).toBe(false);
  });

  it('unresolved: warns that protected mode cannot work, with the reason the backend gives', () => {
    const w = mountNote(unresolved);
    const warning = w.find('.cobs-gateway__unresolved');
    expect(warning.classes()).toContain('cobs-warn');
    expect(warning.attributes('role')).toBe('note');
    expect(text(w, '.cobs-gateway__unresolved')).toBe(
      "Protected mode cannot work: The plugin's own Service is not known: POD_NAMESPACE is not set; set SELF_SERVICE",
    );
    expect(w.find('.cobs-gateway__target').exists()).toBe(false);
  });

  it('ephemeral secret: warns that sessions neither survive restarts nor span replicas, and what to set', () => {
    const w = mountNote(gateway({ ephemeralSecret: true }));
    expect(text(w, '.cobs-gateway__target')).toContain('rbd-plugins/cilium-observability:8081');
    expect(text(w, '.cobs-gateway__secret')).toBe(
      'SESSION_SECRET is not set: sessions end when the plugin restarts and are not shared between replicas. Set SESSION_SECRET (at least 32 bytes) on the plugin component.',
    );
    expect(w.find('.cobs-gateway__secret').classes()).toContain('cobs-warn');
  });

  it('both warnings at once, in zh-CN', () => {
    const w = mountNote(
      { ...unresolved, message: '尚不知道插件自身的 Service：POD_NAMESPACE is not set' },
      'zh-CN',
    );
    expect(text(w, '.cobs-gateway__unresolved')).toBe(
      '受保护模式无法使用：尚不知道插件自身的 Service：POD_NAMESPACE is not set',
    );
    expect(w.findAll('.cobs-warn')).toHaveLength(1);
    const both = mountNote({ ...unresolved, ephemeralSecret: true }, 'zh-CN');
    expect(both.findAll('.cobs-warn')).toHaveLength(2);
    expect(text(both, '.cobs-gateway__secret')).toContain('未设置 SESSION_SECRET：插件重启后会话失效');
  });
});

describe('the tools section shows Status.gateway', () => {
  const section = (g?: GatewayStatus) =>
    mountWithServices(
      ToolsSection,
      {
        tools: [makeTool()],
        scope: { team: 'dev', region: 'rainbond' },
        settle: async () => undefined,
        gateway: g,
      },
      { fetch: createFakeBackend({}).fetch },
    );

  it('between the title and the tool cards', () => {
    const w = section(gateway({ ephemeralSecret: true }));
    const children = [...w.find('.cobs-tools').element.children].map((e) => e.className);
    expect(children).toEqual(['cobs-h2', 'cobs-gateway', 'cobs-grid']);
  });

  it('not at all from a backend that sends no gateway', () => {
    expect(section().find('.cobs-gateway').exists()).toBe(false);
  });

  it('as the status page hands it to the tools slot (App.vue)', async () => {
    const backend = createFakeBackend({
      'GET /api/v1/status': ok(makeStatus({ gateway: unresolved })),
    });
    // As App.vue fills the slot: the gateway the slot gives goes to the tools section.
    const Page = defineComponent({
      setup: () => () =>
        h(
          StatusPage,
          { scope: { team: 'dev', region: 'rainbond' } },
          {
            tools: (p: { gateway?: GatewayStatus }) =>
              p.gateway ? h(GatewayNote, { gateway: p.gateway }) : null,
          },
        ),
    });
    const w = mountWithServices(Page, {}, { fetch: backend.fetch });
    await settle();
    expect(w.find('.cobs-gateway').attributes('data-source')).toBe('unresolved');
    expect(w.find('.cobs-gateway__unresolved').text()).toContain('POD_NAMESPACE is not set');
  });
});
