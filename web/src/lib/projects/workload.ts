// The workload warning: an assignment that pushes someone's planned hours for a day over their
// capacity is refused until the client confirms with `force: true`. The refusal lists the
// overloaded days; this reads them from the error answer.
import { z } from 'zod';
import type { ProjectMember } from '@crewdeck/shared/projects';
import { ApiError } from '../errors.ts';

// TODO(shared): replace with the shared schema of the warning once `shared/` exports one.
const overloadSchema = z.object({
  userId: z.string(),
  date: z.string(),
  planned: z.number(),
  capacity: z.number(),
});
const overloadListSchema = z.array(overloadSchema).min(1);

export type Overload = z.infer<typeof overloadSchema> & { name: string };
export type WorkloadWarning = { message: string; overloads: Overload[] };

function findOverloads(body: unknown): unknown {
  if (typeof body !== 'object' || body === null) return undefined;
  if ('overloads' in body) return body.overloads;
  if ('error' in body) return findOverloads(body.error);
  if ('warning' in body) return findOverloads(body.warning);
  return undefined;
}

/** The warning carried by a failed create/update, or null when the failure is something else. */
export function workloadWarning(error: unknown, members: ProjectMember[]): WorkloadWarning | null {
  if (!(error instanceof ApiError) || error.status >= 500) return null;
  const parsed = overloadListSchema.safeParse(findOverloads(error.body));
  if (!parsed.success) return null;
  const names = new Map(members.map((member) => [member.userId, member.name]));
  return {
    message: error.message,
    overloads: parsed.data.map((item) => ({ ...item, name: names.get(item.userId) ?? 'Someone' })),
  };
}
