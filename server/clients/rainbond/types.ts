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

/** One item of `GET /console/teams/{team}/service/group?group_id=`: it carries no k8s_component_name. */
export interface ConsoleComponentSummary {
  alias: string;
  cname: string;
  serviceId: string;
  /** Region status when the list carries it, e.g. "running"; null otherwise. */
  status: string | null;
}

/** A component as `/apps/{alias}/detail` (bean.service) or the create reply describes it. */
export interface ConsoleComponent {
  alias: string;
  cname: string;
  serviceId: string;
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

export type PortAction = 'open_outer' | 'close_outer' | 'open_inner' | 'close_inner';

/**
 * The console API, in our words (implemented by rainbond/console-client.ts). Every method throws AppError;
 * console-specific failures are ConsoleError (rainbond/console-errors.ts) with a `reason` the service can branch on.
 */
export interface RainbondConsole {
  /** GET /console/users/details: who the JWT belongs to and the teams/regions they may use. */
  userDetails(jwt: string): Promise<UserIdentity>;
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
}
