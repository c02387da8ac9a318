/**
 * A loopback fake of the Rainbond console: the console paths our client uses, with the real envelopes
 * `{code,msg,msg_show,data:{bean,list}}`, status codes and object shapes, keeping state (apps, third-party
 * components, ports, endpoints, gateway domains) and enforcing the contract (GRJWT/JWT/cookie auth,
 * region_name, team membership, name validation and uniqueness, build twice → 400, open_outer before inner → 404,
 * duplicate port → 409/20501). It also serves the plugin list, the plugin's static bundle and its backend proxy,
 * as the chosen console version does, so the sandbox can run on it.
 * Anything else answers 404 JSON and is recorded in `unknownRequests`. Binds 127.0.0.1 on an ephemeral port.
 */
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import { signJwt, verifyJwt } from './jwt';

export interface FakeUserTeam {
  team_name: string;
  team_alias?: string;
  /** Kubernetes namespace of the team, e.g. "dev". */
  namespace: string;
  /** Region names, e.g. ["rainbond"]. */
  regions: string[];
  /** The user created the team (`is_team_owner`, `creater`); the console then also gives them 管理员. */
  owner?: boolean;
  /** Team role names (`role_name_list`), e.g. ["开发者"]; default ["管理员"] for an owner, else ["开发者"]. */
  roles?: string[];
}

export interface FakeUser {
  user_id: number;
  nick_name: string;
  email?: string;
  is_enterprise_admin?: boolean;
  /** `is_sys_admin`, a separate flag of the console (default false). */
  is_sys_admin?: boolean;
  teams: FakeUserTeam[];
}

export interface FakeRegion {
  name: string;
  alias?: string;
  /** HTTP gateway domain of the region, e.g. "apps.example.test". */
  httpdomain: string;
}

export interface FakeEndpoint {
  ip: string;
  port: number;
  ready: boolean;
}

export interface FakePluginOptions {
  /** RBDPlugin metadata.name, e.g. "cilium-observability". */
  name: string;
  displayName?: string;
  /** URL the static route fetches server-side, e.g. http://127.0.0.1:8080/static/main.js. */
  frontendUrl: string;
  /** Base URL of the plugin backend, e.g. http://127.0.0.1:8080. */
  backendUrl: string;
  views?: string[];
}

export interface FakeConsoleOptions {
  users?: FakeUser[];
  regions?: FakeRegion[];
  /** HS256 secret (the console's Django SECRET_KEY). */
  secret?: string;
  enterpriseId?: string;
  /** Ready addresses of a Service, e.g. wired to the fake cluster by the sandbox; default one healthy. */
  endpointsFor?: (namespace: string, serviceName: string) => FakeEndpoint[] | Promise<FakeEndpoint[]>;
  plugin?: FakePluginOptions;
  /** Console version whose plugin-proxy behaviour to mimic, e.g. "6.9.4" (default "6.9.8"). */
  consoleVersion?: string;
  /** Delay before answering each call, in ms. */
  latencyMs?: number;
  /**
   * Time between the uniqueness check and the insert when creating an app or a component, in ms. The console
   * checks (check_app_name, is_k8s_component_name_duplicate) and then inserts, not atomically: with a window,
   * two concurrent creations can both pass the check, as they can on a real console.
   */
  checkThenInsertMs?: number;
  /** Apps and components that exist from the start (e.g. test/fixtures/rainbond/team-world.ts), as users made them. */
  seedApps?: SeedApp[];
}

export interface SeedApp {
  team: string;
  /** Default: the first region. */
  region?: string;
  /** The console's group_id. */
  appId: number;
  name: string;
  k8sApp: string;
  /** The region's app UUID, e.g. "8c1f4d2e…". */
  regionAppId?: string;
  components: { alias: string; cname: string; k8sComponentName: string; namespace?: string }[];
}

export interface RecordedCall {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  status: number;
  /** True when the answer came from failNext(). */
  injected?: boolean;
}

export interface FailureRule {
  method?: string;
  /** Matched against the path (no query); a string matches as a substring. */
  pathPattern: string | RegExp;
  /** HTTP status to answer with, or 'timeout' to never answer. */
  status: number | 'timeout';
  /** How many matching calls fail (default 1). */
  times?: number;
  /** Raw body to answer instead of an envelope, e.g. "not json" for malformed replies. */
  rawBody?: string;
  /** Envelope code, e.g. 10402; defaults to the status. */
  code?: number;
}

interface PortRow {
  container_port: number;
  protocol: string;
  port_alias: string;
  is_inner_service: boolean;
  k8s_service_name: string;
  domains: { domain_name: string; protocol: string; domain_path: string }[];
  /** close_outer rewrites every route of the port to 404 instead of deleting it. */
  closedRewrite: boolean;
}

interface AppRow {
  ID: number;
  team: string;
  region: string;
  group_name: string;
  k8s_app: string;
  note: string;
  region_app_id: string;
}

/** A region event (tenant_services_event) as the region's WrapEL middleware writes it for a port change. */
interface EventRow {
  ID: number;
  event_id: string;
  create_time: string;
  tenant_id: string;
  service_id: string;
  target: 'service';
  target_id: string;
  request_body: string;
  user_name: string;
  start_time: string;
  end_time: string;
  opt_type: string;
  syn_type: number;
  status: string;
  final_status: string;
  message: string;
  reason: string;
}

interface ComponentRow {
  service_id: string;
  service_alias: string;
  service_cname: string;
  k8s_component_name: string;
  team: string;
  region: string;
  appId: number;
  create_status: 'creating' | 'complete';
  started: boolean;
  kubernetes: { serviceName: string; namespace: string };
  ports: PortRow[];
}

export interface FakeConsoleState {
  apps: { appId: number; team: string; region: string; name: string; k8sApp: string }[];
  components: {
    alias: string;
    appId: number;
    team: string;
    cname: string;
    k8sComponentName: string;
    createStatus: string;
    started: boolean;
    kubernetes: { serviceName: string; namespace: string };
    ports: { port: number; protocol: string; inner: boolean; outer: boolean; domains: string[] }[];
  }[];
}

export interface FakeConsole {
  /** e.g. "http://127.0.0.1:41234" */
  url: string;
  users: FakeUser[];
  secret: string;
  enterpriseId: string;
  /** A console JWT for a seeded user (by id or nick_name); `expiresInSeconds` < 0 gives an expired one. */
  mintToken(user: number | string, opts?: { expiresInSeconds?: number }): string;
  calls: RecordedCall[];
  unknownRequests: RecordedCall[];
  state(): FakeConsoleState;
  failNext(rule: FailureRule): void;
  latencyMs: number;
  /**
   * Takes a user out of a team at run time, as the console's "remove member" does: the team leaves the user's
   * `GET /console/users/details` and the team's paths answer them 403 from then on (404 once the team has no
   * member left: this fake knows teams only through their members). Throws for an unknown user.
   */
  removeFromTeam(user: number | string, team: string): void;
  /** Replace the endpoint hook at run time. */
  setEndpoints(
    fn: (namespace: string, serviceName: string) => FakeEndpoint[] | Promise<FakeEndpoint[]>,
  ): void;
  close(): Promise<void>;
}

const DNS1123 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const APP_NAME = /^[a-zA-Z0-9_.\-\u4e00-\u9fa5]+$/;
const PORT_ALIAS = /^[A-Z][A-Z0-9_]*$/;
const HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
]);

const versionAtLeast = (v: string, min: string) => {
  const a = v.split('.').map(Number);
  const b = min.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
};

const envelope = (
  code: number,
  msg: string,
  msgShow: string,
  data: { bean?: unknown; list?: unknown[] } = {},
) => ({
  code,
  msg,
  msg_show: msgShow,
  data: { bean: data.bean ?? {}, list: data.list ?? [] },
});

class Reply {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {}
}
const ok = (data: { bean?: unknown; list?: unknown[] } = {}, msgShow = '成功') =>
  new Reply(200, envelope(200, 'success', msgShow, data));
const fail = (status: number, msg: string, msgShow: string, code = status) =>
  new Reply(status, envelope(code, msg, msgShow));

export async function startFakeConsole(opts: FakeConsoleOptions = {}): Promise<FakeConsole> {
  const secret = opts.secret ?? 'fake-console-secret';
  const enterpriseId = opts.enterpriseId ?? 'e1f2a3b4c5d6';
  const consoleVersion = opts.consoleVersion ?? '6.9.8';
  const regions: FakeRegion[] = opts.regions ?? [
    { name: 'rainbond', alias: '默认集群', httpdomain: 'apps.example.test' },
  ];
  // copied: removeFromTeam() changes this console's users, never the caller's seed (often shared by tests)
  const users: FakeUser[] = structuredClone(opts.users) ?? [
    {
      user_id: 1,
      nick_name: 'admin',
      is_enterprise_admin: true,
      teams: [{ team_name: 'dev', team_alias: 'Dev', namespace: 'dev', regions: ['rainbond'] }],
    },
  ];
  let endpointsFor =
    opts.endpointsFor ?? ((): FakeEndpoint[] => [{ ip: '10.0.0.10', port: 8081, ready: true }]);

  const apps = new Map<number, AppRow>();
  const events: EventRow[] = [];
  /** The region writes RFC 3339 in its own zone (often +08:00), seconds only, e.g. "2025-05-01T16:00:00+08:00". */
  const regionTime = (d = new Date()) =>
    new Date(d.getTime() + 8 * 3600_000).toISOString().replace(/\.\d{3}Z$/, '+08:00');
  /** What the region's WrapEL records for a synchronous component change: the console user as operator. */
  function recordEvent(c: ComponentRow, optType: string, body: Record<string, unknown>, operator: string) {
    const now = regionTime();
    events.push({
      ID: events.length + 1,
      event_id: randomBytes(16).toString('hex'),
      create_time: now,
      tenant_id: c.team,
      service_id: c.service_id,
      target: 'service',
      target_id: c.service_id,
      request_body: JSON.stringify(body).slice(0, 1024),
      user_name: operator,
      start_time: now,
      end_time: now,
      opt_type: optType,
      syn_type: 0,
      status: 'success',
      final_status: 'complete',
      message: '',
      reason: '',
    });
  }
  const components = new Map<string, ComponentRow>();
  let nextAppId = 1;
  for (const a of opts.seedApps ?? []) {
    const region = a.region ?? regions[0]?.name ?? 'rainbond';
    apps.set(a.appId, {
      ID: a.appId,
      team: a.team,
      region,
      group_name: a.name,
      k8s_app: a.k8sApp,
      note: '',
      region_app_id: a.regionAppId ?? randomBytes(16).toString('hex'),
    });
    nextAppId = Math.max(nextAppId, a.appId + 1);
    for (const c of a.components)
      components.set(c.alias, {
        service_id: randomBytes(16).toString('hex'),
        service_alias: c.alias,
        service_cname: c.cname,
        k8s_component_name: c.k8sComponentName,
        team: a.team,
        region,
        appId: a.appId,
        create_status: 'complete',
        started: true,
        kubernetes: { serviceName: c.alias, namespace: c.namespace ?? a.team },
        ports: [],
      });
  }
  const calls: RecordedCall[] = [];
  const unknownRequests: RecordedCall[] = [];
  const rules: (FailureRule & { left: number })[] = [];
  const sockets = new Set<Socket>();

  const teamsOf = (u: FakeUser) => u.teams;
  const allTeams = () => new Set(users.flatMap((u) => u.teams.map((t) => t.team_name)));
  const teamNs = (team: string) =>
    users.flatMap((u) => u.teams).find((t) => t.team_name === team)?.namespace ?? team;
  const regionOf = (name: string) => regions.find((r) => r.name === name);

  // ---- auth ---------------------------------------------------------------------------------
  function authenticate(req: http.IncomingMessage, url: URL, allowQueryToken: boolean): FakeUser | Reply {
    const denied = fail(401, 'Signature has expired.', '身份认证信息失败，请登录', 10405);
    let token: string | undefined;
    const h = req.headers.authorization;
    if (h !== undefined) {
      const m = /^(GRJWT|JWT)\s+(\S+)$/.exec(h.trim());
      // another scheme (Basic, Bearer) is not a console JWT and the cookie is then ignored
      if (!m) return denied;
      token = m[2];
    } else {
      const cookie = req.headers.cookie ?? '';
      const c = /(?:^|;\s*)token=([^;]+)/.exec(cookie);
      token = c?.[1];
      if (!token && allowQueryToken) token = url.searchParams.get('token') ?? undefined;
    }
    if (!token) return denied;
    const v = verifyJwt(token, secret);
    if (!v.ok) return denied;
    const user = users.find((u) => u.user_id === v.claims.user_id);
    return user ?? denied;
  }

  /** RegionTenantHeaderView: JWT → region_name → team exists → membership. */
  const checkThenInsert = async () => {
    if (opts.checkThenInsertMs) await new Promise((r) => setTimeout(r, opts.checkThenInsertMs));
  };

  function teamView(user: FakeUser, team: string, url: URL): Reply | { region: string } {
    const region = url.searchParams.get('region_name') ?? url.searchParams.get('region');
    if (!region) return fail(400, 'params error', '请求参数不全');
    if (!allTeams().has(team)) return fail(404, `tenant ${team} not found`, '团队不存在');
    const membership = teamsOf(user).find((t) => t.team_name === team);
    if (!membership) return fail(403, 'no permissions', '您无权限执行此操作', 10402);
    if (!membership.regions.includes(region) || !regionOf(region))
      return fail(404, 'region no found this resource', '数据中心不存在');
    return { region };
  }

  // ---- shapes ---------------------------------------------------------------------------------
  const appBean = (a: AppRow) => ({
    ID: a.ID,
    group_id: a.ID,
    app_id: a.ID,
    group_name: a.group_name,
    app_name: a.group_name,
    k8s_app: a.k8s_app,
    note: a.note,
    region_name: a.region,
    region_app_id: a.region_app_id,
    namespace: teamNs(a.team),
    service_num: [...components.values()].filter((c) => c.appId === a.ID).length,
    create_status: 'complete',
  });
  const componentBean = (c: ComponentRow) => ({
    service_id: c.service_id,
    service_alias: c.service_alias,
    service_cname: c.service_cname,
    k8s_component_name: c.k8s_component_name,
    service_source: 'third_party',
    create_status: c.create_status,
    service_region: c.region,
    tenant_id: c.team,
    min_memory: 0,
  });
  const portRow = (c: ComponentRow, p: PortRow) => ({
    ID: p.container_port,
    tenant_id: c.team,
    service_id: c.service_id,
    container_port: p.container_port,
    mapping_port: p.container_port,
    lb_mapping_port: 0,
    protocol: p.protocol,
    port_alias: p.port_alias,
    is_inner_service: p.is_inner_service,
    // recomputed from the live gateway: any route of the port without the 404 rewrite
    is_outer_service: p.domains.length > 0 && !p.closedRewrite,
    k8s_service_name: p.k8s_service_name,
    name: p.port_alias.toLowerCase(),
  });
  async function endpointsOf(c: ComponentRow) {
    return endpointsFor(c.kubernetes.namespace, c.kubernetes.serviceName);
  }
  async function statusOf(c: ComponentRow): Promise<string> {
    if (c.create_status !== 'complete') return 'unKnow';
    if (!c.started) return 'closed';
    const eps = await endpointsOf(c);
    if (eps.some((e) => e.ready)) return 'running';
    return eps.length > 0 ? 'abnormal' : 'closed';
  }
  const STATUS_CN: Record<string, string> = {
    running: '运行中',
    closed: '已关闭',
    abnormal: '运行异常',
    unKnow: '未知',
  };

  // ---- team routes ------------------------------------------------------------------------------
  async function teamRoute(
    method: string,
    rest: string[],
    team: string,
    region: string,
    url: URL,
    body: Record<string, unknown>,
    user: FakeUser,
  ): Promise<Reply | null> {
    // /events?target=service&targetAlias= (AppEventsView → region GET /v2/events, newest first)
    if (rest[0] === 'events' && rest.length === 1 && method === 'GET') {
      const page = Math.max(1, Number(url.searchParams.get('page') ?? '1') || 1);
      const size = Math.max(1, Number(url.searchParams.get('page_size') ?? '6') || 6);
      if (url.searchParams.get('target') !== 'service') return ok({ list: [] });
      const c = components.get(url.searchParams.get('targetAlias') ?? '');
      if (!c || c.team !== team)
        return new Reply(200, { ...envelope(200, 'success', '查询成功'), total: 0, has_next: false });
      const mine = events.filter((e) => e.service_id === c.service_id).sort((a, b) => b.ID - a.ID);
      const list = mine.slice((page - 1) * size, page * size);
      return new Reply(200, {
        ...envelope(200, 'success', '查询成功', { list }),
        total: mine.length,
        has_next: page * size < mine.length,
      });
    }
    const inTeam = (a: AppRow | undefined) => (a && a.team === team && a.region === region ? a : undefined);
    // /overview/groups: console/views/public_areas.py ServiceGroupView → group_service.get_groups_and_services:
    // the team's apps in the region (`query` = group_name icontains), each with service_list (null when empty)
    if (rest[0] === 'overview' && rest[1] === 'groups' && rest.length === 2 && method === 'GET') {
      const query = (url.searchParams.get('query') ?? '').toLowerCase();
      const list = [...apps.values()]
        .filter((a) => a.team === team && a.region === region)
        .filter((a) => !query || a.group_name.toLowerCase().includes(query))
        .sort((a, b) => a.ID - b.ID)
        .map((a) => {
          const services = [...components.values()]
            .filter((c) => c.appId === a.ID)
            .map((c) => ({
              service_id: c.service_id,
              service_cname: c.service_cname,
              service_alias: c.service_alias,
            }));
          return {
            group_id: a.ID,
            group_name: a.group_name,
            service_list: services.length ? services : null,
          };
        });
      return ok({ list }, '查询成功');
    }
    // /groups
    if (rest[0] === 'groups' && rest.length === 1) {
      if (method === 'GET') {
        const list = [...apps.values()]
          .filter((a) => a.team === team && a.region === region)
          .map((a) => ({ group_id: a.ID, group_name: a.group_name, group_note: a.note }));
        return ok({ list });
      }
      if (method === 'POST') {
        const name = body.app_name;
        const k8sApp = body.k8s_app;
        if (typeof name !== 'string' || name === '') return fail(400, 'app name required', '应用名不能为空');
        if (name.length > 128 || !APP_NAME.test(name))
          return fail(400, 'app_name illegal', '应用名称只支持中英文, 数字, 下划线, 中划线和点');
        if (typeof k8sApp !== 'string' || !DNS1123.test(k8sApp))
          return new Reply(400, {
            detail: '参数错误',
            err: { k8s_app: ['invalid'] },
            code: 20400,
            error_type: 'ValidationError',
          });
        const mine = [...apps.values()].filter((a) => a.team === team && a.region === region);
        if (mine.some((a) => a.k8s_app === k8sApp))
          return fail(400, 'k8s app name exists', '应用英文名称已存在', 21003);
        if (mine.some((a) => a.group_name === name)) return fail(400, 'app name exist', '应用名称已存在');
        await checkThenInsert();
        const a: AppRow = {
          ID: nextAppId++,
          team,
          region,
          group_name: name,
          k8s_app: k8sApp,
          note: typeof body.note === 'string' ? body.note : '',
          region_app_id: randomBytes(16).toString('hex'),
        };
        apps.set(a.ID, a);
        return ok({ bean: appBean(a) }, '创建成功');
      }
      return null;
    }
    // /groups/{id}
    if (rest[0] === 'groups' && rest.length === 2) {
      const a = inTeam(apps.get(Number(rest[1])));
      if (method === 'GET') return a ? ok({ bean: appBean(a) }) : fail(404, 'app not found', '应用不存在');
      if (method === 'DELETE') {
        if (!a) return fail(404, 'app not found', '应用不存在');
        if ([...components.values()].some((c) => c.appId === a.ID))
          return fail(409, 'there are components in the app', '当前应用内存在组件，无法删除');
        apps.delete(a.ID);
        return ok({}, '删除成功');
      }
      return null;
    }
    // /service/group?group_id=
    if (rest[0] === 'service' && rest[1] === 'group' && rest.length === 2 && method === 'GET') {
      const gid = url.searchParams.get('group_id');
      if (!gid || !/^\d+$/.test(gid))
        return fail(400, 'group_id is missing or not digit!', 'group_id缺失或非数字');
      const a = inTeam(apps.get(Number(gid)));
      if (!a) return new Reply(200, envelope(202, 'group is not yours!', '当前组已删除或您无权限查看！'));
      const pageSize = url.searchParams.get('page_size') ?? '10';
      let list = await Promise.all(
        [...components.values()]
          .filter((c) => c.appId === a.ID)
          .map(async (c) => {
            const status = await statusOf(c);
            return {
              service_id: c.service_id,
              service_cname: c.service_cname,
              service_alias: c.service_alias,
              service_source: 'third_party',
              status,
              status_cn: STATUS_CN[status] ?? '未知',
              min_memory: 0,
              group_id: a.ID,
              group_name: a.group_name,
            };
          }),
      );
      const total = list.length;
      if (!(pageSize === '-1' || pageSize === '' || pageSize === '0'))
        list = list.slice(0, Number(pageSize) || 10);
      return new Reply(200, { ...envelope(200, 'query success', '应用查询成功', { list }), total });
    }
    // /apps/third_party
    if (rest[0] === 'apps' && rest[1] === 'third_party' && rest.length === 2 && method === 'POST') {
      const a = inTeam(apps.get(Number(body.group_id)));
      if (!a) return fail(404, 'app not found', '应用不存在');
      const cname = body.service_cname;
      if (typeof cname !== 'string' || cname === '' || cname.length > 100)
        return fail(400, 'service_cname is invalid', '组件名称不合法');
      if (body.endpoints_type !== 'kubernetes' && body.endpoints_type !== 'static')
        return fail(400, 'endpoints_type is invalid', '实例类型不合法');
      if (
        body.endpoints_type === 'kubernetes' &&
        (typeof body.serviceName !== 'string' || body.serviceName === '')
      )
        return fail(400, 'serviceName is required', '缺少 serviceName');
      const serviceId = randomBytes(16).toString('hex');
      const alias = `gr${serviceId.slice(-6)}`;
      const k8sName =
        typeof body.k8s_component_name === 'string' && body.k8s_component_name
          ? body.k8s_component_name
          : alias;
      if (!DNS1123.test(k8sName)) return fail(400, 'invalid k8s component name', '组件英文名称不合法');
      if ([...components.values()].some((c) => c.appId === a.ID && c.k8s_component_name === k8sName))
        return fail(400, 'k8s component name exists', '组件英文名称已存在', 20802);
      await checkThenInsert();
      const c: ComponentRow = {
        service_id: serviceId,
        service_alias: alias,
        service_cname: cname,
        k8s_component_name: k8sName,
        team,
        region,
        appId: a.ID,
        create_status: 'creating',
        started: false,
        kubernetes: {
          serviceName: String(body.serviceName ?? ''),
          namespace: typeof body.namespace === 'string' && body.namespace ? body.namespace : teamNs(team),
        },
        ports: [],
      };
      components.set(alias, c);
      return ok({ bean: componentBean(c) }, '创建成功');
    }
    // /apps/{alias}/...
    if (rest[0] === 'apps' && rest.length >= 3) {
      const c = components.get(rest[1] ?? '');
      if (!c || c.team !== team || c.region !== region) return fail(404, 'service not found', '组件不存在');
      const sub = rest.slice(2).join('/');
      if (sub === 'detail' && method === 'GET')
        return ok({ bean: { service: componentBean(c), tenant: { tenant_name: team }, is_third: true } });
      if (sub === 'build' && method === 'POST') {
        if (c.create_status === 'complete')
          return fail(400, 'the component has been built', '组件已构建，请勿重复构建');
        c.create_status = 'complete';
        return ok({}, '构建成功');
      }
      if (sub === 'start' && method === 'POST') {
        if (c.create_status !== 'complete')
          return fail(400, 'third component start failed', '组件尚未构建', 20801);
        c.started = true;
        return ok({}, '操作成功');
      }
      if (sub === 'status' && method === 'GET') {
        const status = await statusOf(c);
        return ok({
          bean: { status, status_cn: STATUS_CN[status] ?? '未知', disabledAction: [], activeAction: [] },
        });
      }
      if (sub === 'third_party/pods' && method === 'GET') {
        if (c.create_status !== 'complete')
          return fail(404, 'region no found this resource', '数据中心资源不存在');
        const eps = await endpointsOf(c);
        const list = eps.map((e, i) => ({
          ep_id: `${c.service_id.slice(0, 8)}${i}`,
          address: `${e.ip}:${e.port}`,
          ip: `${e.ip}:${e.port}`,
          status: !c.started ? '-' : e.ready ? 'healthy' : 'notready',
          is_online: true,
          is_static: false,
        }));
        return ok({ list, bean: { endpoint_num: list.length } });
      }
      if (sub === 'ports' && method === 'GET') {
        const list = c.ports.map((p) => ({
          ...portRow(c, p),
          environment: [],
          inner_url: p.is_inner_service ? `${p.k8s_service_name}:${p.container_port}` : '',
          outer_url: '',
          bind_domains: p.domains.map((d) => ({
            domain_name: d.domain_name,
            protocol: d.protocol,
            domain_path: d.domain_path,
            container_port: p.container_port,
            service_alias: c.service_alias,
            service_name: c.service_alias,
            domain_type: 'www',
            type: 0,
          })),
          bind_tcp_domains: [],
        }));
        return ok({ list }, '查询成功');
      }
      if (sub === 'ports' && method === 'POST') {
        const port = Number(body.port);
        if (!body.port) return fail(400, 'params error', '缺少端口参数');
        if (!Number.isInteger(port) || port < 1 || port > 65535)
          return fail(400, 'port out of range', '端口范围为1到65535');
        const protocol = body.protocol;
        if (typeof protocol !== 'string' || !['http', 'tcp', 'udp', 'grpc', 'mysql'].includes(protocol))
          return fail(400, 'params error', '缺少协议参数');
        const alias =
          typeof body.port_alias === 'string' && body.port_alias
            ? body.port_alias
            : `${c.service_alias.toUpperCase().replace(/-/g, '_')}${port}`;
        if (!PORT_ALIAS.test(alias)) return fail(400, 'port alias is invalid', '端口别名不合法');
        if (c.ports.some((p) => p.container_port === port))
          return fail(409, 'component port already exists', '端口已存在', 20501);
        if (body.is_inner_service !== undefined && typeof body.is_inner_service !== 'boolean')
          return fail(400, 'is_inner_service must be a boolean', '参数错误');
        const p: PortRow = {
          container_port: port,
          protocol,
          port_alias: alias,
          is_inner_service: body.is_inner_service === true,
          k8s_service_name: `${c.k8s_component_name}-${port}`,
          domains: [],
          closedRewrite: false,
        };
        c.ports.push(p);
        return ok({ bean: portRow(c, p) }, '端口添加成功');
      }
      const pm = /^ports\/(\d+)$/.exec(sub);
      if (pm && method === 'PUT') {
        const p = c.ports.find((x) => x.container_port === Number(pm[1]));
        if (!p) return fail(404, 'port not found', '端口不存在');
        const action = body.action;
        if (action === 'open_inner') p.is_inner_service = true;
        else if (action === 'close_inner') p.is_inner_service = false;
        else if (action === 'open_outer') {
          if (!p.is_inner_service) return fail(404, 'inner port is not open', '对内服务未开启');
          if (p.domains.length === 0) {
            const r = regionOf(region);
            p.domains.push({
              domain_name: `${c.service_alias}-${p.container_port}-${team}.${r?.httpdomain ?? 'example.test'}`,
              protocol: 'http',
              domain_path: '/',
            });
          }
          p.closedRewrite = false;
        } else if (action === 'close_outer') p.closedRewrite = true;
        else return fail(400, 'action is invalid', '操作类型不合法');
        // the console syncs the change to the region only for built components; the region records it as an event
        if (c.create_status === 'complete') {
          const outer = action === 'open_outer' || action === 'close_outer';
          recordEvent(
            c,
            outer ? 'handle-service-outerport' : 'handle-service-innerport',
            {
              operation: String(action).startsWith('open') ? 'open' : 'close',
              enterprise_id: enterpriseId,
              operator: user.nick_name,
            },
            user.nick_name,
          );
        }
        return ok({ bean: portRow(c, p) }, '操作成功');
      }
      if (sub === 'delete' && method === 'DELETE') {
        components.delete(c.service_alias);
        return ok({}, '删除成功');
      }
    }
    return null;
  }

  // ---- plugin routes ----------------------------------------------------------------------------
  function pluginListItem(p: FakePluginOptions, region: string) {
    const backend = p.backendUrl.replace(/^https?:\/\//, '');
    return {
      name: p.name,
      alias: p.displayName ?? p.name,
      display_name: p.displayName ?? p.name,
      plugin_type: 'JSInject',
      plugin_views: p.views ?? ['Team'],
      enable_status: 'true',
      status: 'RUNNING',
      labels: { 'plugin.rainbond.io/enable': 'true' },
      region_app_id: '',
      app_id: 0,
      team_name: '',
      frontend_component: p.name,
      entry_path: '/static/main.js',
      menu_title: p.displayName ?? p.name,
      route_path: `/plugins/${p.name}`,
      namespace: '',
      backend_service: backend,
      frontend_service: p.frontendUrl.replace(/^https?:\/\//, ''),
      urls: [],
      backend: `/console/regions/${region}/backend/plugins/${p.name}`,
    };
  }

  async function staticPlugin(res: http.ServerResponse, p: FakePluginOptions): Promise<number> {
    let text = '';
    try {
      const r = await fetch(p.frontendUrl);
      text = await r.text();
    } catch {
      text = '';
    }
    // the console always answers 200 here, even when the fetch failed (the plugin then fails in SystemJS)
    res.writeHead(200, { 'Content-Type': 'application/javascript' });
    res.end(text);
    return 200;
  }

  function proxyBackend(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    p: FakePluginOptions,
    path: string,
    url: URL,
  ): Promise<number> {
    return new Promise((resolve) => {
      const target = new URL(p.backendUrl.replace(/\/+$/, '') + '/' + path);
      url.searchParams.forEach((v, k) => target.searchParams.append(k, v));
      const headers: http.OutgoingHttpHeaders = {};
      for (const [k, v] of Object.entries(req.headers)) if (!HOP.has(k) && v !== undefined) headers[k] = v;
      if (versionAtLeast(consoleVersion, '6.9.4')) {
        if (req.headers.authorization !== undefined)
          headers['x-original-authorization'] = req.headers.authorization;
        headers.authorization = '';
      }
      const streamed = versionAtLeast(consoleVersion, '6.8.0');
      const up = http.request(target, { method: req.method, headers }, (ur) => {
        const out: http.OutgoingHttpHeaders = {};
        for (const [k, v] of Object.entries(ur.headers)) if (!HOP.has(k) && v !== undefined) out[k] = v;
        if (versionAtLeast(consoleVersion, '6.9.4')) out['x-frame-options'] = 'SAMEORIGIN';
        const status = ur.statusCode ?? 502;
        if (streamed) {
          res.writeHead(status, out);
          res.flushHeaders();
          ur.pipe(res);
          ur.on('end', () => resolve(status));
        } else {
          const chunks: Buffer[] = [];
          ur.on('data', (c: Buffer) => chunks.push(c));
          ur.on('end', () => {
            res.writeHead(status, out);
            res.end(Buffer.concat(chunks));
            resolve(status);
          });
        }
        ur.on('error', () => {
          res.destroy();
          resolve(502);
        });
      });
      up.on('error', () => {
        if (!res.headersSent) {
          if (versionAtLeast(consoleVersion, '6.9.3')) {
            res.writeHead(502, { 'Content-Type': 'application/json' });
            res.end(JSON.stringify({ code: 502, msg: 'plugin backend unreachable', plugin: p.name }));
          } else {
            res.writeHead(502);
            res.end();
          }
        } else res.destroy();
        resolve(502);
      });
      req.pipe(up);
    });
  }

  // ---- server -----------------------------------------------------------------------------------
  async function readBody(req: http.IncomingMessage): Promise<{ raw: string; json: unknown; bad: boolean }> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    if (raw.trim() === '') return { raw, json: {}, bad: false };
    const type = req.headers['content-type'] ?? '';
    if (type.includes('application/x-www-form-urlencoded'))
      return { raw, json: Object.fromEntries(new URLSearchParams(raw)), bad: false };
    try {
      return { raw, json: JSON.parse(raw), bad: false };
    } catch {
      return { raw, json: raw, bad: true };
    }
  }

  const fake: FakeConsole = {
    url: '',
    users,
    secret,
    enterpriseId,
    calls,
    unknownRequests,
    latencyMs: opts.latencyMs ?? 0,
    mintToken(user, o = {}) {
      const u = users.find((x) => x.user_id === user || x.nick_name === user);
      if (!u) throw new Error(`fake console: no seeded user ${String(user)}`);
      const now = Math.floor(Date.now() / 1000);
      return signJwt(
        {
          user_id: u.user_id,
          username: u.nick_name,
          email: u.email ?? '',
          exp: now + (o.expiresInSeconds ?? 3650 * 86400),
        },
        secret,
      );
    },
    state() {
      return {
        apps: [...apps.values()].map((a) => ({
          appId: a.ID,
          team: a.team,
          region: a.region,
          name: a.group_name,
          k8sApp: a.k8s_app,
        })),
        components: [...components.values()].map((c) => ({
          alias: c.service_alias,
          appId: c.appId,
          team: c.team,
          cname: c.service_cname,
          k8sComponentName: c.k8s_component_name,
          createStatus: c.create_status,
          started: c.started,
          kubernetes: { ...c.kubernetes },
          ports: c.ports.map((p) => ({
            port: p.container_port,
            protocol: p.protocol,
            inner: p.is_inner_service,
            outer: p.domains.length > 0 && !p.closedRewrite,
            domains: p.domains.map((d) => d.domain_name),
          })),
        })),
      };
    },
    failNext(rule) {
      rules.push({ ...rule, left: rule.times ?? 1 });
    },
    removeFromTeam(user, team) {
      const u = users.find((x) => x.user_id === user || x.nick_name === user);
      if (!u) throw new Error(`fake console: no seeded user ${String(user)}`);
      u.teams = u.teams.filter((t) => t.team_name !== team);
    },
    setEndpoints(fn) {
      endpointsFor = fn;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((e: unknown) => {
      const msg = e instanceof Error ? e.message : String(e);
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(envelope(10401, `fake console error: ${msg}`, '系统异常')));
      } else res.destroy();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const path = url.pathname;
    const query = Object.fromEntries(url.searchParams);
    if (fake.latencyMs > 0) await new Promise((r) => setTimeout(r, fake.latencyMs));

    // the plugin backend proxy streams its body: handle it before reading the request body
    const bm = /^\/console\/regions\/([^/]+)\/backend\/plugins\/([^/]+)(?:\/(.*))?$/.exec(path);
    if (bm && ['GET', 'POST', 'PUT', 'DELETE'].includes(method)) {
      const rec: RecordedCall = { method, path, query, body: undefined, status: 0 };
      calls.push(rec);
      const who = authenticate(req, url, versionAtLeast(consoleVersion, '6.9.4'));
      if (who instanceof Reply) return send(res, rec, who);
      const p = opts.plugin;
      if (!p || p.name !== decodeURIComponent(bm[2] ?? ''))
        return send(res, rec, fail(404, 'plugin not found', '插件不存在'));
      rec.status = await proxyBackend(req, res, p, bm[3] ?? '', url);
      return;
    }

    const { json, bad } = await readBody(req);
    const rec: RecordedCall = { method, path, query, body: json, status: 0 };
    calls.push(rec);

    const rule = rules.find(
      (r) =>
        r.left > 0 &&
        (r.method === undefined || r.method.toUpperCase() === method) &&
        (typeof r.pathPattern === 'string' ? path.includes(r.pathPattern) : r.pathPattern.test(path)),
    );
    if (rule) {
      rule.left -= 1;
      rec.injected = true;
      if (rule.status === 'timeout') return; // never answered; the socket is destroyed on close()
      rec.status = rule.status;
      if (rule.rawBody !== undefined) {
        res.writeHead(rule.status, { 'Content-Type': 'application/json' });
        res.end(rule.rawBody);
        return;
      }
      return send(
        res,
        rec,
        new Reply(rule.status, envelope(rule.code ?? rule.status, 'injected failure', '注入的故障')),
      );
    }
    if (bad) return send(res, rec, fail(400, 'invalid json body', '参数错误'));
    const body = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;

    const sm = /^\/console\/regions\/([^/]+)\/static\/plugins\/([^/]+)$/.exec(path);
    if (sm && method === 'GET') {
      const p = opts.plugin;
      if (p && p.name === decodeURIComponent(sm[2] ?? '')) {
        rec.status = await staticPlugin(res, p);
        return;
      }
      // unknown plugin: the region's fetch fails and the console still answers 200 with an empty script
      res.writeHead(200, { 'Content-Type': 'application/javascript' });
      res.end('');
      rec.status = 200;
      return;
    }

    if (path === '/console/users/details' && method === 'GET') {
      const who = authenticate(req, url, false);
      if (who instanceof Reply) return send(res, rec, who);
      return send(res, rec, ok({ bean: userDetails(who) }, '查询成功'));
    }

    const pl = /^\/console\/enterprise\/([^/]+)\/regions\/([^/]+)\/plugins$/.exec(path);
    if (pl && method === 'GET') {
      const who = authenticate(req, url, false);
      if (who instanceof Reply) return send(res, rec, who);
      const region = decodeURIComponent(pl[2] ?? '');
      return send(res, rec, ok({ list: opts.plugin ? [pluginListItem(opts.plugin, region)] : [] }));
    }

    const tm = /^\/console\/teams\/([^/]+)\/(.+)$/.exec(path);
    if (tm) {
      const who = authenticate(req, url, false);
      if (who instanceof Reply) return send(res, rec, who);
      const team = decodeURIComponent(tm[1] ?? '');
      const tv = teamView(who, team, url);
      if (tv instanceof Reply) return send(res, rec, tv);
      const rest = (tm[2] ?? '').split('/').filter(Boolean).map(decodeURIComponent);
      const r = await teamRoute(method, rest, team, tv.region, url, body, who);
      if (r) return send(res, rec, r);
    }

    unknownRequests.push(rec);
    return send(
      res,
      rec,
      new Reply(404, { code: 404, msg: `fake console: unknown request ${method} ${path}` }),
    );
  }

  /** Team role ids as the console numbers them per team: 管理员, 开发者, 观察者, then custom roles. */
  const ROLE_IDS: Record<string, number> = { 管理员: 1, 开发者: 2, 观察者: 3 };
  const roleId = (name: string) => ROLE_IDS[name] ?? 100 + name.length;
  /**
   * `tenant_actions`: the console's permission tree (perm_services.pack_role_perms_tree), a few of its nodes:
   * `{ team: { perms, sub_models: [{ team_overview: {...} }, …] } }`; owners and enterprise admins get everything.
   */
  function tenantActions(all: boolean, roles: string[]) {
    const dev = all || roles.includes('管理员') || roles.includes('开发者');
    const admin = all || roles.includes('管理员');
    const node = (perms: Record<string, boolean>, sub_models: unknown[] = []) => ({
      perms: Object.entries(perms).map(([k, v]) => ({ [k]: v })),
      sub_models,
    });
    return {
      user_id: 0,
      team: node({}, [
        { team_overview: node({ describe: true, app_list: true }) },
        { team_app_create: node({ describe: dev }) },
        {
          team_app_manage: node({}, [
            {
              app_overview: node({
                describe: true,
                edit: dev,
                delete: admin,
                port: dev,
                start: dev,
                stop: dev,
              }),
            },
          ]),
        },
        { team_member: node({ describe: true, create: admin, edit: admin, delete: admin }) },
        { team_role: node({ describe: true, create: admin, edit: admin, delete: admin }) },
      ]),
    };
  }

  /** UserDetailsView: teams the user owns first, then the others (the console's own order). */
  function userDetails(u: FakeUser) {
    const admin = u.is_enterprise_admin ?? false;
    const ordered = [...u.teams.filter((t) => t.owner), ...u.teams.filter((t) => !t.owner)];
    return {
      user_id: u.user_id,
      user_name: u.nick_name,
      nick_name: u.nick_name,
      real_name: u.nick_name,
      email: u.email ?? '',
      phone: '',
      logo: '',
      enterprise_id: enterpriseId,
      is_enterprise_active: true,
      is_enterprise_admin: admin,
      is_initial_enterprise_admin: false,
      is_sys_admin: u.is_sys_admin ?? false,
      roles: admin ? [{ role_id: '1', role_name: 'admin' }] : [],
      permissions: [],
      oauth_services: [],
      teams: ordered.map((t, i) => {
        const roles = t.roles ?? (t.owner ? ['管理员'] : ['开发者']);
        const tenantActionsTree = tenantActions(Boolean(t.owner) || admin, roles);
        tenantActionsTree.user_id = u.user_id;
        return {
          team_id: i + 1,
          team_name: t.team_name,
          team_alias: t.team_alias ?? t.team_name,
          limit_memory: 0,
          creater: t.owner ? u.user_id : u.user_id + 1000,
          create_time: '2024-01-01 00:00:00',
          namespace: t.namespace,
          role_name_list: roles.map((name) => ({ role_id: roleId(name), role_name: name })),
          tenant_actions: tenantActionsTree,
          is_team_owner: Boolean(t.owner),
          region: t.regions.map((name) => {
            const r = regionOf(name);
            return {
              team_region_name: name,
              team_region_alias: r?.alias ?? name,
              region_id: name,
              tcpdomain: r?.httpdomain ?? '',
              region_scope: 'private',
            };
          }),
        };
      }),
    };
  }

  function send(res: http.ServerResponse, rec: RecordedCall, r: Reply) {
    rec.status = r.status;
    const text = JSON.stringify(r.body);
    res.writeHead(r.status, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(text),
    });
    res.end(text);
  }

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
