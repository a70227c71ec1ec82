import { z } from 'zod';

/** `GET /api/health` response. */
export const healthSchema = z.object({
  /** Always true when the server answers. */
  ok: z.literal(true),
  /** Server version. */
  version: z.string(),
});
export type Health = z.infer<typeof healthSchema>;
