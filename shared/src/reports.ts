import { z } from 'zod';
import { defineEndpoints } from './endpoint.ts';
import { dateTimeSchema, idParamsSchema, idSchema, queryInstantSchema } from './common.ts';

/** Period query for time reports; `to` is exclusive. */
export const periodQuerySchema = z.object({
  /** Start of the period, inclusive. */
  from: queryInstantSchema,
  /** End of the period, exclusive. */
  to: queryInstantSchema,
});
export type PeriodQuery = z.infer<typeof periodQuerySchema>;

/** Time one user spent signed in during a period. */
export const userTimeSchema = z.object({
  /** User id. */
  userId: idSchema,
  /** Human code, e.g. `USR-12`. */
  code: z.string(),
  /** Display name. */
  name: z.string(),
  /** Login. */
  login: z.string(),
  /** Seconds between login and last activity/logout, overlapping sessions counted once. */
  seconds: z.number().int().nonnegative(),
  /** Sessions that overlap the period. */
  sessions: z.number().int().nonnegative(),
});

/** `GET /api/users/:id/time` response. */
export const userTimeResponseSchema = z.object({
  /** Period start. */
  from: dateTimeSchema,
  /** Period end (exclusive). */
  to: dateTimeSchema,
  /** The user's time. */
  item: userTimeSchema,
});
export type UserTimeResponse = z.infer<typeof userTimeResponseSchema>;

/** `GET /api/reports/time-in-system` response. */
export const timeInSystemSchema = z.object({
  /** Period start. */
  from: dateTimeSchema,
  /** Period end (exclusive). */
  to: dateTimeSchema,
  /** One row per user, by name. */
  items: z.array(userTimeSchema),
});
export type TimeInSystem = z.infer<typeof timeInSystemSchema>;

export const reportEndpoints = defineEndpoints({
  timeInSystem: {
    method: 'get',
    path: '/api/reports/time-in-system',
    tag: 'reports',
    query: periodQuerySchema,
    response: timeInSystemSchema,
    summary: 'Time in the system per user for a period',
  },
  userTime: {
    method: 'get',
    path: '/api/users/:id/time',
    tag: 'reports',
    params: idParamsSchema,
    query: periodQuerySchema,
    response: userTimeResponseSchema,
    summary: 'Time in the system of one user for a period',
  },
});
