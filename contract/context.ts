/** The teams and regions a user may pick in the Platform view. */
import { z } from 'zod';
import { ToolIdSchema } from './tools';

/** GET /api/v1/teams (added): the teams and regions the user may pick in the Platform view. */
export const TeamsSchema = z.object({
  teams: z.array(
    z.object({
      name: z.string(),
      alias: z.string(),
      namespace: z.string(),
      regions: z.array(z.object({ name: z.string(), alias: z.string() })),
      /**
       * Added field: the tools registered in this team in the region this backend serves, e.g. ["hubble-ui"];
       * null when the team was not looked at (not opened in that region, past the scan limit, or the read failed).
       */
      holdsTools: z.array(ToolIdSchema).nullable().optional(),
    }),
  ),
  /** Added field: the region this backend serves (RAINBOND_REGION), e.g. "rainbond"; null when not configured. */
  region: z.string().nullable().optional(),
  /** Added field: the team holding the most tools' components (the Platform view's default), or null. */
  toolsTeam: z.string().nullable().optional(),
});
export type Teams = z.infer<typeof TeamsSchema>;
