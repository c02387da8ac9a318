/** zod schemas of the console replies we read (envelope `data.bean` / `data.list`); unknown fields pass through. */
import { z } from 'zod';

/** Integer ids arrive as numbers, sometimes as digit strings. */
const IntId = z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]);

/** `{code, msg, msg_show, data: {bean, list}}`; bean defaults `{}`, list defaults `[]`. */
export const EnvelopeSchema = z
  .object({
    code: z.union([z.number(), z.string()]).optional(),
    msg: z.string().optional(),
    data: z.object({ bean: z.unknown().optional(), list: z.unknown().optional() }).loose(),
  })
  .loose();
export type Envelope = z.infer<typeof EnvelopeSchema>;

export const UserDetailsBeanSchema = z
  .object({
    user_id: IntId,
    user_name: z.string().optional(),
    nick_name: z.string().optional(),
    enterprise_id: z.string(),
    is_enterprise_admin: z.boolean().optional(),
    /** Older consoles spell it this way. */
    is_user_enter_amdin: z.boolean().optional(),
    teams: z
      .array(
        z
          .object({
            team_name: z.string(),
            team_alias: z.string().nullish(),
            namespace: z.string().nullish(),
            region: z
              .array(
                z.object({ team_region_name: z.string(), team_region_alias: z.string().nullish() }).loose(),
              )
              .nullish(),
            is_team_owner: z.boolean().nullish(),
            /** `[{role_id, role_name}]`; plain names tolerated. */
            role_name_list: z
              .array(z.union([z.string(), z.object({ role_name: z.string() }).loose()]))
              .nullish()
              .catch(null),
          })
          .loose(),
      )
      .default([]),
  })
  .loose();

/** An item of GET /console/teams/{team}/events (the region's tenant_services_event row). */
export const EventItemSchema = z
  .object({
    opt_type: z.string().nullish(),
    user_name: z.string().nullish(),
    request_body: z.string().nullish(),
    status: z.string().nullish(),
    create_time: z.string().nullish(),
    start_time: z.string().nullish(),
  })
  .loose();

/** How every reply names a component. */
export const ComponentRefSchema = z
  .object({ service_alias: z.string(), service_cname: z.string(), service_id: z.string() })
  .loose();

/** An item of GET /console/teams/{team}/overview/groups (ServiceGroupView): `service_list` is null for an empty app. */
export const TeamAppItemSchema = z
  .object({ group_id: IntId, group_name: z.string(), service_list: z.array(ComponentRefSchema).nullish() })
  .loose();

export const AppListItemSchema = z
  .object({ group_id: IntId, group_name: z.string(), k8s_app: z.string().nullish() })
  .loose();

/** Create reply and detail bean: `app_id`/`group_id` and `app_name`/`group_name` both occur. */
export const AppBeanSchema = z
  .object({
    app_id: IntId.optional(),
    group_id: IntId.optional(),
    ID: IntId.optional(),
    app_name: z.string().optional(),
    group_name: z.string().optional(),
    k8s_app: z.string().nullish(),
  })
  .loose()
  .refine(
    (a) => (a.app_id ?? a.group_id ?? a.ID) !== undefined && (a.app_name ?? a.group_name) !== undefined,
    {
      message: 'app id and name',
    },
  );

export const ComponentListItemSchema = ComponentRefSchema.extend({ status: z.string().nullish() });

export const ComponentSchema = ComponentRefSchema.extend({
  k8s_component_name: z.string().nullish(),
  create_status: z.string().nullish(),
  service_source: z.string().nullish(),
});

export const ComponentDetailBeanSchema = z.object({ service: ComponentSchema }).loose();

export const StatusBeanSchema = z.object({ status: z.string() }).loose();

export const EndpointItemSchema = z
  .object({ address: z.string().nullish(), ip: z.string().nullish(), status: z.string() })
  .loose();

export const PortItemSchema = z
  .object({
    container_port: z.number().int(),
    protocol: z.string(),
    is_inner_service: z.boolean(),
    is_outer_service: z.boolean(),
    bind_domains: z
      .array(z.object({ domain_name: z.string(), protocol: z.string().nullish() }).loose())
      .nullish(),
  })
  .loose();
