/** The Rainbond console, in our words; implemented by console-client.ts (axios + zod). */

/** Who is acting and where: every console call carries `Authorization: GRJWT <jwt>` and `?region_name=<region>`. */
export interface ConsoleCtx {
  jwt: string;
  team: string;
  region: string;
}

/** A team as `GET /console/users/details` lists it. */
export interface UserTeam {
  name: string;
  alias: string;
  /** Kubernetes namespace of the team, e.g. "dev-team" or a generated "abc123xyz". */
  namespace: string;
  regions: { name: string; alias: string }[];
  /** `is_team_owner`: the user created the team. */
  isOwner: boolean;
  /** Role names from `role_name_list`, e.g. ["管理员"] (the default team roles are 管理员, 开发者, 观察者). */
  roles: string[];
}

export interface UserIdentity {
  userId: number;
  userName: string;
  enterpriseId: string;
  isEnterpriseAdmin: boolean;
  teams: UserTeam[];
}

/** A Rainbond application (console "group"), e.g. `{ appId: 12, appName: "Cilium Observability", k8sApp: "cilium-observability" }`. */
export interface ConsoleApp {
  appId: number;
  appName: string;
  /** Absent in list replies of some console versions. */
  k8sApp: string | null;
}

/** How every console reply names a component: service_alias, service_cname, service_id. */
export interface ConsoleComponentRef {
  /** e.g. "gr1a2b3c", the pods' `service_alias` label. */
  alias: string;
  /** Display name, e.g. "Hubble UI". */
  cname: string;
  serviceId: string;
}

/** One item of `GET /console/teams/{team}/service/group?group_id=`: it carries no k8s_component_name. */
export interface ConsoleComponentSummary extends ConsoleComponentRef {
  /** Region status when the list carries it, e.g. "running"; null otherwise. */
  status: string | null;
}

/** A component as `/apps/{alias}/detail` (bean.service) or the create reply describes it. */
export interface ConsoleComponent extends ConsoleComponentRef {
  /** e.g. "hubble-ui"; we set it to the tool id. */
  k8sComponentName: string;
  /** "creating" until built, then "complete". */
  createStatus: string;
  /** e.g. "third_party". */
  serviceSource: string;
}

export interface ConsolePort {
  port: number;
  protocol: string;
  isInner: boolean;
  /** Recomputed by the console from the live gateway. */
  isOuter: boolean;
  /** Gateway domains bound to the port, e.g. `[{ domain: "gr1a2b-80-dev.example.com", protocol: "http" }]`. */
  domains: { domain: string; protocol: string }[];
}

/** One third-party endpoint; status ∈ healthy | notready | unhealthy | "-". */
export interface ConsoleEndpoint {
  address: string;
  status: string;
}

export interface CreateThirdPartyInput {
  appId: number;
  /** Display name, e.g. "Hubble UI". */
  cname: string;
  /** Tool id, e.g. "hubble-ui". */
  k8sComponentName: string;
  serviceName: string;
  namespace: string;
}

/** One event of a component, as `GET /console/teams/{team}/events?target=service&targetAlias=` lists it (newest first). */
export interface ConsoleEvent {
  /** e.g. "handle-service-outerport" for an open_outer / close_outer. */
  optType: string;
  /** The console user who caused it (nick_name), e.g. "admin"; "" when unknown. */
  userName: string;
  /** The region call's JSON body (≤ 1024 characters), e.g. '{"operation":"open","operator":"admin"}'. */
  requestBody: string;
  /** "success" | "failure" | "" while running. */
  status: string;
  /** RFC 3339, e.g. "2025-05-01T16:00:00+08:00". */
  createTime: string;
}

/** One app of `GET /console/teams/{team}/overview/groups`, with its components (none: `[]`). */
export interface TeamApp {
  /** The console's group_id, e.g. 12 (not the region app UUID that pods carry as `app_id`). */
  appId: number;
  appName: string;
  /** Joined to pods by `alias` (their `service_alias` label). */
  components: ConsoleComponentRef[];
}

export type PortAction = 'open_outer' | 'close_outer' | 'open_inner' | 'close_inner';

/**
 * The console API, in our words (implemented by rainbond/console-client.ts). Every method throws AppError;
 * console-specific failures are ConsoleError (rainbond/console-errors.ts) with a `reason` the service can branch on.
 */
export interface RainbondConsole {
  /** GET /console/users/details: who the JWT belongs to and the teams/regions they may use. */
  userDetails(jwt: string): Promise<UserIdentity>;
  /** GET /console/teams/{team}/overview/groups: the team's apps and their components in one call. */
  teamApps(ctx: ConsoleCtx): Promise<TeamApp[]>;
  listApps(ctx: ConsoleCtx): Promise<ConsoleApp[]>;
  getApp(ctx: ConsoleCtx, appId: number): Promise<ConsoleApp>;
  createApp(ctx: ConsoleCtx, input: { appName: string; k8sApp: string }): Promise<ConsoleApp>;
  deleteApp(ctx: ConsoleCtx, appId: number): Promise<void>;
  /** Components of an app; [] when the app is gone (the console answers code 202 then). */
  listAppComponents(ctx: ConsoleCtx, appId: number): Promise<ConsoleComponentSummary[]>;
  componentDetail(ctx: ConsoleCtx, alias: string): Promise<ConsoleComponent>;
  createThirdPartyComponent(ctx: ConsoleCtx, input: CreateThirdPartyInput): Promise<ConsoleComponent>;
  buildComponent(ctx: ConsoleCtx, alias: string): Promise<void>;
  startComponent(ctx: ConsoleCtx, alias: string): Promise<void>;
  /** e.g. "running", "closed", "starting", "abnormal", "unKnow". */
  componentStatus(ctx: ConsoleCtx, alias: string): Promise<string>;
  thirdPartyEndpoints(ctx: ConsoleCtx, alias: string): Promise<ConsoleEndpoint[]>;
  listPorts(ctx: ConsoleCtx, alias: string): Promise<ConsolePort[]>;
  addPort(
    ctx: ConsoleCtx,
    alias: string,
    input: { port: number; protocol: 'http' | 'tcp'; portAlias: string; inner: boolean; outer: boolean },
  ): Promise<void>;
  changePort(ctx: ConsoleCtx, alias: string, port: number, action: PortAction): Promise<void>;
  /** DELETE /apps/{alias}/delete with is_force: true. */
  deleteComponent(ctx: ConsoleCtx, alias: string): Promise<void>;
  /** The component's newest events (the region's operation records, with the user), at most `pageSize`. */
  componentEvents(ctx: ConsoleCtx, alias: string, pageSize: number): Promise<ConsoleEvent[]>;
}
