/** The teams and regions a user may pick in the Platform view. */
import { z } from 'zod';

/** GET /api/v1/teams (added): the teams and regions the user may pick in the Platform view. */
export const TeamsSchema = z.object({
  teams: z.array(
    z.object({
      name: z.string(),
      alias: z.string(),
      namespace: z.string(),
      regions: z.array(z.object({ name: z.string(), alias: z.string() })),
    }),
  ),
});
export type Teams = z.infer<typeof TeamsSchema>;
