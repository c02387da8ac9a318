/**
 * The Rainbond console API client: axios inside, every reply parsed with zod, errors mapped once
 * (console-errors.ts). Every call carries `Authorization: GRJWT <jwt>`; team calls carry `?region_name=`.
 */
import axios, { type AxiosInstance } from 'axios';
import type { z } from 'zod';
import type { Logger } from '../../log';
import type { Metrics } from '../../metrics';
import { ConsoleError, malformedReply, toConsoleError } from './console-errors';
import {
  AppBeanSchema,
  AppListItemSchema,
  ComponentDetailBeanSchema,
  ComponentListItemSchema,
  ComponentRefSchema,
  ComponentSchema,
  EndpointItemSchema,
  EnvelopeSchema,
  EventItemSchema,
  PortItemSchema,
  StatusBeanSchema,
  TeamAppItemSchema,
  UserDetailsBeanSchema,
  type Envelope,
} from './console-schemas';
import type {
  ConsoleApp,
  ConsoleComponent,
  ConsoleComponentRef,
  ConsoleCtx,
  ConsolePort,
  RainbondConsole,
  UserIdentity,
} from './types';

export interface ConsoleClientOptions {
  /** Console origin, e.g. http://rbd-app-ui.rbd-system:7070. */
  baseUrl: string;
  timeoutMs: number;
  log: Logger;
  metrics?: Metrics;
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

interface Call {
  op: string;
  method: Method;
  path: string;
  jwt: string;
  region?: string;
  query?: Record<string, string | number>;
  body?: unknown;
}

const seg = (s: string | number) => encodeURIComponent(String(s));

function parseOr<S extends z.ZodType>(schema: S, value: unknown, op: string, status: number): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw malformedReply(op, status);
  return r.data;
}

function toApp(raw: z.infer<typeof AppBeanSchema>): ConsoleApp {
  return {
    appId: (raw.app_id ?? raw.group_id ?? raw.ID) as number,
    appName: (raw.app_name ?? raw.group_name) as string,
    k8sApp: raw.k8s_app ?? null,
  };
}

const toComponentRef = (raw: z.infer<typeof ComponentRefSchema>): ConsoleComponentRef => ({
  alias: raw.service_alias,
  cname: raw.service_cname,
  serviceId: raw.service_id,
});

function toComponent(raw: z.infer<typeof ComponentSchema>): ConsoleComponent {
  return {
    ...toComponentRef(raw),
    // the console defaults k8s_component_name to the alias
    k8sComponentName: raw.k8s_component_name || raw.service_alias,
    createStatus: raw.create_status ?? 'complete',
    serviceSource: raw.service_source ?? '',
  };
}

export function createConsoleClient(opts: ConsoleClientOptions): RainbondConsole {
  const http: AxiosInstance = axios.create({
    baseURL: opts.baseUrl.replace(/\/+$/, ''),
    timeout: opts.timeoutMs,
    // we read status and body ourselves; text so a non-JSON body is a clean "malformed" instead of a throw
    validateStatus: () => true,
    responseType: 'text',
    transformResponse: [(d: unknown) => d],
    maxRedirects: 0,
    proxy: false,
  });

  async function call(c: Call): Promise<{ status: number; env: Envelope }> {
    const started = performance.now();
    const params: Record<string, string | number> = { ...c.query };
    if (c.region !== undefined) params.region_name = c.region;
    let outcome: 'ok' | 'error' = 'error';
    let status = 0;
    try {
      let res;
      try {
        res = await http.request<string>({
          method: c.method,
          url: c.path,
          params,
          data: c.body === undefined ? undefined : JSON.stringify(c.body),
          headers: {
            Authorization: `GRJWT ${c.jwt}`,
            Accept: 'application/json',
            ...(c.body === undefined ? {} : { 'Content-Type': 'application/json' }),
          },
        });
      } catch (e) {
        const err = e as { code?: string };
        const timeout = err.code === 'ECONNABORTED' || err.code === 'ETIMEDOUT';
        throw toConsoleError({
          op: c.op,
          transport: timeout ? 'timeout' : 'network',
          detail: timeout ? `${opts.timeoutMs} ms` : (err.code ?? 'network error'),
        });
      }
      status = res.status;
      let json: unknown;
      try {
        json = typeof res.data === 'string' && res.data !== '' ? JSON.parse(res.data) : undefined;
      } catch {
        json = undefined;
      }
      if (status < 200 || status >= 300) throw toConsoleError({ op: c.op, status, body: json });
      const env = EnvelopeSchema.safeParse(json);
      if (!env.success) throw malformedReply(c.op, status);
      outcome = 'ok';
      return { status, env: env.data };
    } finally {
      const ms = performance.now() - started;
      // path only: the query holds no secret but is noise; the JWT is never logged
      opts.log.debug('console call', {
        op: c.op,
        method: c.method,
        path: c.path,
        status,
        ms: Math.round(ms),
      });
      opts.metrics?.observeUpstream('console', c.op, outcome, ms / 1000);
    }
  }

  /** The reply's `data.bean`, parsed with `schema`. */
  async function bean<S extends z.ZodType>(schema: S, c: Call): Promise<z.infer<S>> {
    const { status, env } = await call(c);
    return parseOr(schema, env.data.bean, c.op, status);
  }
  /** The reply's `data.list` (absent: none), each item parsed with `item`; [] when `empty(env)` says so. */
  async function list<S extends z.ZodType>(
    item: S,
    c: Call,
    empty: (env: Envelope) => boolean = () => false,
  ): Promise<z.infer<S>[]> {
    const { status, env } = await call(c);
    if (empty(env)) return [];
    return parseOr(item.array(), env.data.list ?? [], c.op, status);
  }

  const team = (ctx: ConsoleCtx) => `/console/teams/${seg(ctx.team)}`;
  const app = (ctx: ConsoleCtx, alias: string) => `${team(ctx)}/apps/${seg(alias)}`;
  /** A call in the ctx's team and region: `op` names it in logs, metrics and errors; `more` adds a query or a body. */
  const teamCall = (
    ctx: ConsoleCtx,
    op: string,
    method: Method,
    path: string,
    more: Pick<Call, 'query' | 'body'> = {},
  ): Call => ({ op, method, path, jwt: ctx.jwt, region: ctx.region, ...more });

  return {
    async userDetails(jwt) {
      const req: Call = { op: 'read user details', method: 'GET', path: '/console/users/details', jwt };
      const b = await bean(UserDetailsBeanSchema, req);
      const identity: UserIdentity = {
        userId: b.user_id,
        userName: b.user_name ?? b.nick_name ?? String(b.user_id),
        enterpriseId: b.enterprise_id,
        isEnterpriseAdmin: b.is_enterprise_admin ?? b.is_user_enter_amdin ?? false,
        teams: b.teams.map((t) => ({
          name: t.team_name,
          alias: t.team_alias ?? t.team_name,
          // Rainbond names the namespace after the team unless it was set explicitly
          namespace: t.namespace || t.team_name,
          regions: (t.region ?? []).map((r) => ({
            name: r.team_region_name,
            alias: r.team_region_alias ?? r.team_region_name,
          })),
          isOwner: t.is_team_owner ?? false,
          roles: (t.role_name_list ?? []).map((r) => (typeof r === 'string' ? r : r.role_name)),
        })),
      };
      return identity;
    },

    async teamApps(ctx) {
      const req = teamCall(ctx, 'list team apps and components', 'GET', `${team(ctx)}/overview/groups`);
      return (await list(TeamAppItemSchema, req)).map((a) => ({
        appId: a.group_id,
        appName: a.group_name,
        components: (a.service_list ?? []).map(toComponentRef),
      }));
    },

    async listApps(ctx) {
      const req = teamCall(ctx, 'list apps', 'GET', `${team(ctx)}/groups`);
      return (await list(AppListItemSchema, req)).map((a) => ({
        appId: a.group_id,
        appName: a.group_name,
        k8sApp: a.k8s_app ?? null,
      }));
    },

    async getApp(ctx, appId) {
      const req = teamCall(ctx, 'read app', 'GET', `${team(ctx)}/groups/${seg(appId)}`);
      return toApp(await bean(AppBeanSchema, req));
    },

    async createApp(ctx, input) {
      const body = { app_name: input.appName, k8s_app: input.k8sApp, note: '' };
      const req = teamCall(ctx, 'create app', 'POST', `${team(ctx)}/groups`, { body });
      return toApp(await bean(AppBeanSchema, req));
    },

    async deleteApp(ctx, appId) {
      await call(teamCall(ctx, 'delete app', 'DELETE', `${team(ctx)}/groups/${seg(appId)}`));
    },

    async listAppComponents(ctx, appId) {
      const query = { group_id: appId, page: 1, page_size: -1 };
      const req = teamCall(ctx, 'list app components', 'GET', `${team(ctx)}/service/group`, { query });
      // the console answers HTTP 200 with code 202 "group is not yours!" once the app is gone
      const gone = (env: Envelope) => env.code === 202 || env.code === '202';
      return (await list(ComponentListItemSchema, req, gone)).map((c) => ({
        ...toComponentRef(c),
        status: c.status ?? null,
      }));
    },

    async componentDetail(ctx, alias) {
      const req = teamCall(ctx, 'read component', 'GET', `${app(ctx, alias)}/detail`);
      return toComponent((await bean(ComponentDetailBeanSchema, req)).service);
    },

    async createThirdPartyComponent(ctx, input) {
      const body = {
        group_id: input.appId,
        service_cname: input.cname,
        k8s_component_name: input.k8sComponentName,
        endpoints_type: 'kubernetes',
        serviceName: input.serviceName,
        namespace: input.namespace,
      };
      const req = teamCall(ctx, 'create third-party component', 'POST', `${team(ctx)}/apps/third_party`, {
        body,
      });
      return toComponent(await bean(ComponentSchema, req));
    },

    async buildComponent(ctx, alias) {
      const body = { is_deploy: false };
      await call(teamCall(ctx, 'build component', 'POST', `${app(ctx, alias)}/build`, { body }));
    },

    async startComponent(ctx, alias) {
      await call(teamCall(ctx, 'start component', 'POST', `${app(ctx, alias)}/start`, { body: {} }));
    },

    async componentStatus(ctx, alias) {
      const req = teamCall(ctx, 'read component status', 'GET', `${app(ctx, alias)}/status`);
      return (await bean(StatusBeanSchema, req)).status;
    },

    async thirdPartyEndpoints(ctx, alias) {
      const req = teamCall(ctx, 'list endpoints', 'GET', `${app(ctx, alias)}/third_party/pods`);
      return (await list(EndpointItemSchema, req)).map((e) => ({
        address: e.address ?? e.ip ?? '',
        status: e.status,
      }));
    },

    async listPorts(ctx, alias) {
      const req = teamCall(ctx, 'list ports', 'GET', `${app(ctx, alias)}/ports`);
      return (await list(PortItemSchema, req)).map((p): ConsolePort => ({
        port: p.container_port,
        protocol: p.protocol,
        isInner: p.is_inner_service,
        isOuter: p.is_outer_service,
        domains: (p.bind_domains ?? []).map((d) => ({
          domain: d.domain_name,
          protocol: d.protocol || 'http',
        })),
      }));
    },

    async addPort(ctx, alias, input) {
      const body = {
        port: input.port,
        protocol: input.protocol,
        port_alias: input.portAlias,
        is_inner_service: input.inner,
        is_outer_service: input.outer,
      };
      await call(teamCall(ctx, 'add port', 'POST', `${app(ctx, alias)}/ports`, { body }));
    },

    async changePort(ctx, alias, port, action) {
      const path = `${app(ctx, alias)}/ports/${seg(port)}`;
      await call(teamCall(ctx, action.replace('_', ' '), 'PUT', path, { body: { action } }));
    },

    async deleteComponent(ctx, alias) {
      const body = { is_force: true };
      await call(teamCall(ctx, 'delete component', 'DELETE', `${app(ctx, alias)}/delete`, { body }));
    },

    async componentEvents(ctx, alias, pageSize) {
      const query = { target: 'service', targetAlias: alias, page: 1, page_size: pageSize };
      const req = teamCall(ctx, 'list component events', 'GET', `${team(ctx)}/events`, { query });
      return (await list(EventItemSchema, req)).map((e) => ({
        optType: e.opt_type ?? '',
        userName: e.user_name ?? '',
        requestBody: e.request_body ?? '',
        status: e.status ?? '',
        createTime: e.create_time || e.start_time || '',
      }));
    },
  };
}

export { ConsoleError };
