import { rolesRequiringExpiry, type Action, type Role } from '@crewdeck/shared/permissions';
import type { UpdateUser } from '@crewdeck/shared/users';
import { ValidationError } from '../http/errors.ts';
import type { UserDoc } from './users.model.ts';
import type { UserChanges } from './users.repository.ts';

/** External users must expire; an expiry being set must lie in the future. */
export function assertExpiryRules(role: Role, expiresAt: Date | null, settingExpiry: boolean, now: Date): void {
  if (rolesRequiringExpiry.includes(role) && expiresAt === null) {
    throw new ValidationError({ expiresAt: `Required for ${role} users` });
  }
  if (settingExpiry && expiresAt !== null && expiresAt.getTime() <= now.getTime()) {
    throw new ValidationError({ expiresAt: 'Must be in the future' });
  }
}

const sameIds = (a: string[], b: string[]) => [...a].sort().join() === [...b].sort().join();

/**
 * The fields of a patch that actually change something, with dates parsed: the stored
 * changes an administrator may make (credentials change only through the auth flows).
 */
export type EffectivePatch = Omit<UserChanges, 'passwordHash' | 'mustChangePassword'>;

export function effectivePatch(user: UserDoc, patch: UpdateUser): EffectivePatch {
  const out: EffectivePatch = {};
  if (patch.name !== undefined && patch.name !== user.name) out.name = patch.name;
  if (patch.role !== undefined && patch.role !== user.role) out.role = patch.role;
  if (patch.groups !== undefined && !sameIds(patch.groups, user.groups.map(String)))
    out.groups = [...new Set(patch.groups)];
  if (patch.expiresAt !== undefined) {
    const next = patch.expiresAt === null ? null : new Date(patch.expiresAt);
    if ((next?.getTime() ?? null) !== (user.expiresAt?.getTime() ?? null)) out.expiresAt = next;
  }
  if (patch.disabled !== undefined && patch.disabled !== user.disabled) out.disabled = patch.disabled;
  if (patch.showInEmployees !== undefined && patch.showInEmployees !== user.showInEmployees) {
    out.showInEmployees = patch.showInEmployees;
  }
  return out;
}

/** Which permissions a patch needs: each field maps to exactly one action. */
export function requiredActions(patch: EffectivePatch): Action[] {
  const needed = new Set<Action>();
  if (patch.role !== undefined) needed.add('user.changeRole');
  if (patch.disabled !== undefined) needed.add('user.disable');
  const general = ['name', 'groups', 'expiresAt', 'showInEmployees'] as const;
  if (general.some((f) => patch[f] !== undefined)) needed.add('user.update');
  // Even a patch that changes nothing must come from someone allowed to edit.
  if (needed.size === 0) needed.add('user.update');
  return [...needed];
}
