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

function toComponent(raw: z.infer<typeof ComponentSchema>): ConsoleComponent {
  return {
    alias: raw.service_alias,
    cname: raw.service_cname,
    serviceId: raw.service_id,
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

  const team = (ctx: ConsoleCtx) => `/console/teams/${seg(ctx.team)}`;
  const app = (ctx: ConsoleCtx, alias: string) => `${team(ctx)}/apps/${seg(alias)}`;
  const base = (ctx: ConsoleCtx) => ({ jwt: ctx.jwt, region: ctx.region });

  return {
    async userDetails(jwt) {
      const op = 'read user details';
      const { status, env } = await call({ op, method: 'GET', path: '/console/users/details', jwt });
      const b = parseOr(UserDetailsBeanSchema, env.data.bean, op, status);
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
      const op = 'list team apps and components';
      const { status, env } = await call({
        op,
        method: 'GET',
        path: `${team(ctx)}/overview/groups`,
        ...base(ctx),
      });
      const list = parseOr(TeamAppItemSchema.array(), env.data.list ?? [], op, status);
      return list.map((a) => ({
        appId: a.group_id,
        appName: a.group_name,
        components: (a.service_list ?? []).map((c) => ({
          alias: c.service_alias,
          cname: c.service_cname,
          serviceId: c.service_id,
        })),
      }));
    },

    async listApps(ctx) {
      const op = 'list apps';
      const { status, env } = await call({ op, method: 'GET', path: `${team(ctx)}/groups`, ...base(ctx) });
      const list = parseOr(AppListItemSchema.array(), env.data.list ?? [], op, status);
      return list.map((a) => ({ appId: a.group_id, appName: a.group_name, k8sApp: a.k8s_app ?? null }));
    },

    async getApp(ctx, appId) {
      const op = 'read app';
      const { status, env } = await call({
        op,
        method: 'GET',
        path: `${team(ctx)}/groups/${seg(appId)}`,
        ...base(ctx),
      });
      return toApp(parseOr(AppBeanSchema, env.data.bean, op, status));
    },

    async createApp(ctx, input) {
      const op = 'create app';
      const { status, env } = await call({
        op,
        method: 'POST',
        path: `${team(ctx)}/groups`,
        ...base(ctx),
        body: { app_name: input.appName, k8s_app: input.k8sApp, note: '' },
      });
      return toApp(parseOr(AppBeanSchema, env.data.bean, op, status));
    },

    async deleteApp(ctx, appId) {
      await call({
        op: 'delete app',
        method: 'DELETE',
        path: `${team(ctx)}/groups/${seg(appId)}`,
        ...base(ctx),
      });
    },

    async listAppComponents(ctx, appId) {
      const op = 'list app components';
      const { status, env } = await call({
        op,
        method: 'GET',
        path: `${team(ctx)}/service/group`,
        ...base(ctx),
        query: { group_id: appId, page: 1, page_size: -1 },
      });
      // the console answers HTTP 200 with code 202 "group is not yours!" once the app is gone
      if (env.code === 202 || env.code === '202') return [];
      const list = parseOr(ComponentListItemSchema.array(), env.data.list ?? [], op, status);
      return list.map((c) => ({
        alias: c.service_alias,
        cname: c.service_cname,
        serviceId: c.service_id,
        status: c.status ?? null,
      }));
    },

    async componentDetail(ctx, alias) {
      const op = 'read component';
      const { status, env } = await call({
        op,
        method: 'GET',
        path: `${app(ctx, alias)}/detail`,
        ...base(ctx),
      });
      return toComponent(parseOr(ComponentDetailBeanSchema, env.data.bean, op, status).service);
    },

    async createThirdPartyComponent(ctx, input) {
      const op = 'create third-party component';
      const { status, env } = await call({
        op,
        method: 'POST',
        path: `${team(ctx)}/apps/third_party`,
        ...base(ctx),
        body: {
          group_id: input.appId,
          service_cname: input.cname,
          k8s_component_name: input.k8sComponentName,
          endpoints_type: 'kubernetes',
          serviceName: input.serviceName,
          namespace: input.namespace,
        },
      });
      return toComponent(parseOr(ComponentSchema, env.data.bean, op, status));
    },

    async buildComponent(ctx, alias) {
      await call({
        op: 'build component',
        method: 'POST',
        path: `${app(ctx, alias)}/build`,
        ...base(ctx),
        body: { is_deploy: false },
      });
    },

    async startComponent(ctx, alias) {
      await call({
        op: 'start component',
        method: 'POST',
        path: `${app(ctx, alias)}/start`,
        ...base(ctx),
        body: {},
      });
    },

    async componentStatus(ctx, alias) {
      const op = 'read component status';
      const { status, env } = await call({
        op,
        method: 'GET',
        path: `${app(ctx, alias)}/status`,
        ...base(ctx),
      });
      return parseOr(StatusBeanSchema, env.data.bean, op, status).status;
    },

    async thirdPartyEndpoints(ctx, alias) {
      const op = 'list endpoints';
      const { status, env } = await call({
        op,
        method: 'GET',
        path: `${app(ctx, alias)}/third_party/pods`,
        ...base(ctx),
      });
      const list = parseOr(EndpointItemSchema.array(), env.data.list ?? [], op, status);
      return list.map((e) => ({ address: e.address ?? e.ip ?? '', status: e.status }));
    },

    async listPorts(ctx, alias) {
      const op = 'list ports';
      const { status, env } = await call({
        op,
        method: 'GET',
        path: `${app(ctx, alias)}/ports`,
        ...base(ctx),
      });
      const list = parseOr(PortItemSchema.array(), env.data.list ?? [], op, status);
      return list.map((p): ConsolePort => ({
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
      await call({
        op: 'add port',
        method: 'POST',
        path: `${app(ctx, alias)}/ports`,
        ...base(ctx),
        body: {
          port: input.port,
          protocol: input.protocol,
          port_alias: input.portAlias,
          is_inner_service: input.inner,
          is_outer_service: input.outer,
        },
      });
    },

    async changePort(ctx, alias, port, action) {
      await call({
        op: action.replace('_', ' '),
        method: 'PUT',
        path: `${app(ctx, alias)}/ports/${seg(port)}`,
        ...base(ctx),
        body: { action },
      });
    },

    async deleteComponent(ctx, alias) {
      await call({
        op: 'delete component',
        method: 'DELETE',
        path: `${app(ctx, alias)}/delete`,
        ...base(ctx),
        body: { is_force: true },
      });
    },

    async componentEvents(ctx, alias, pageSize) {
      const op = 'list component events';
      const { status, env } = await call({
        op,
        method: 'GET',
        path: `${team(ctx)}/events`,
        ...base(ctx),
        query: { target: 'service', targetAlias: alias, page: 1, page_size: pageSize },
      });
      const list = parseOr(EventItemSchema.array(), env.data.list ?? [], op, status);
      return list.map((e) => ({
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
