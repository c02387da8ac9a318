/** Test helpers: a fake backend (JSON replies, `{ error: { code, message } }` bodies), a mount with the panel's services. */
import { mount } from '@vue/test-utils';
import { defineComponent, h, type Component } from 'vue';
import type { Status, Tool } from '../../contract';
import { createHttpClient } from '../src/lib/http';
import { provideServices, type PanelContext } from '../src/lib/services';
import { createI18n, provideI18n, type Locale } from '../src/lib/i18n';

export const BASE = '/console/regions/rainbond/backend/plugins/cilium-observability';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  headers: Record<string, string>;
}

export type Reply = { status: number; body: unknown } | { throws: Error };
export type Handler = (req: RecordedRequest) => Reply;

/** Routes keyed "METHOD /api/v1/…"; anything unknown answers 599 and is recorded in `unknown`. */
export function createFakeBackend(routes: Record<string, Handler>) {
  const requests: RecordedRequest[] = [];
  const unknown: string[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input), 'http://console.local');
    const method = (init?.method ?? 'GET').toUpperCase();
    const path = url.pathname.startsWith(BASE) ? url.pathname.slice(BASE.length) : url.pathname;
    const req: RecordedRequest = {
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
      headers: { ...(init?.headers as Record<string, string>) },
    };
    requests.push(req);
    const handler = url.pathname.startsWith(BASE) ? routes[`${method} ${path}`] : undefined;
    if (!handler) {
      unknown.push(`${method} ${url.pathname}`);
      return new Response(
        JSON.stringify({ error: { code: 'INTERNAL', message: `fake: unknown ${method} ${path}` } }),
        {
          status: 599,
        },
      );
    }
    const reply = handler(req);
    if ('throws' in reply) throw reply.throws;
    return new Response(JSON.stringify(reply.body), {
      status: reply.status,
      headers: { 'content-type': 'application/json' },
    });
  };
  return { fetch, requests, unknown };
}

export const ok =
  (body: unknown): Handler =>
  () => ({ status: 200, body });
export const fail =
  (status: number, code: string | null, message = 'failed'): Handler =>
  () => ({ status, body: code ? { error: { code, message } } : { code: status, msg: 'proxy', plugin: 'x' } });

export const context = (over: Partial<PanelContext> = {}): PanelContext => ({
  view: 'Team',
  pluginId: 'cilium-observability',
  token: 'jwt-test',
  team: 'dev',
  region: 'rainbond',
  locale: 'en',
  colorPrimary: '#4d73b1',
  supportsSse: true,
  ...over,
});

/** Mounts `component` with i18n and services as App.vue provides them. */
export function mountWithServices(
  component: Component,
  props: Record<string, unknown>,
  opts: { fetch: typeof fetch; locale?: Locale; ctx?: Partial<PanelContext> },
) {
  const http = createHttpClient({ base: BASE, token: 'jwt-test', fetch: opts.fetch });
  const ctx = context(opts.ctx);
  const Harness = defineComponent({
    setup() {
      provideI18n(createI18n(opts.locale ?? 'en'));
      provideServices({ http, context: () => ctx });
      return () => h(component, props);
    },
  });
  return mount(Harness, { attachTo: document.body });
}

export function makeTool(over: Partial<Tool> = {}): Tool {
  return {
    id: 'hubble-ui',
    title: 'Hubble UI',
    state: 'ready',
    service: { namespace: 'kube-system', name: 'hubble-ui', port: 80 },
    registration: {
      appId: 7,
      appName: 'Cilium Observability',
      componentAlias: 'hubble-ui',
      componentStatus: 'running',
      endpoints: { healthy: 1, total: 1 },
    },
    access: { external: false, mode: null, urls: [] },
    links: [],
    risks: [],
    ...over,
  };
}

export function makeStatus(over: Partial<Status> = {}): Status {
  return {
    cluster: {
      cilium: {
        state: 'ready',
        namespace: 'kube-system',
        version: '1.17.5',
        agents: { ready: 3, desired: 3 },
        operator: { ready: 1, desired: 1 },
      },
      hubble: {
        state: 'ready',
        relay: { ready: 1, desired: 1 },
        ui: { ready: 1, desired: 1 },
        metrics: { enabled: true, list: ['dns', 'drop'] },
      },
      monitoring: {
        state: 'missing',
        namespace: null,
        prometheus: { ready: 0, desired: 0 },
        grafana: { ready: 0, desired: 0 },
      },
    },
    tools: [
      makeTool(),
      makeTool({ id: 'grafana', title: 'Grafana', registration: null }),
      makeTool({
        id: 'prometheus',
        title: 'Prometheus',
        state: 'missing',
        service: null,
        registration: null,
      }),
    ],
    hints: [
      { code: 'MONITORING_MISSING', message: 'Install Prometheus', commands: ['kubectl apply -f x.yaml'] },
    ],
    ...over,
  };
}

/** Lets pending promises and Vue updates run. */
export const settle = async (rounds = 5) => {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setTimeout(r, 0));
};
