import { roleRank, roles, type Action, type Role } from '@crewdeck/shared/permissions';
import type { Actor } from '../http/context.ts';

/** A user record as `can()` sees it. `id` is null for a user being created. */
export interface UserResource {
  kind: 'user';
  id: string | null;
  role: Role;
  /** The role about to be assigned (create or role change). */
  nextRole?: Role;
}

/** Actions that act on a user record (as opposed to reading lists). */
export const userRecordActions = [
  'user.update',
  'user.changeRole',
  'user.disable',
  'user.resetPassword',
  'user.viewTime',
] as const satisfies readonly Action[];

const selfForbidden: ReadonlySet<Action> = new Set(['user.changeRole', 'user.disable', 'user.resetPassword']);

/** May `actor` manage someone of role `role`? Owners manage all; others only up to their rank, never Owners. */
function outranks(actor: Actor, role: Role): boolean {
  if (actor.role === 'Owner') return true;
  if (role === 'Owner') return false;
  return roleRank[role] <= roleRank[actor.role];
}

/** Roles `actor` may give to someone (on create or role change); the web offers exactly these. */
export function assignableRoles(actor: Actor): Role[] {
  return roles.filter((role) => outranks(actor, role));
}

/**
 * Rules that come on top of the role table for user records: nobody locks themselves out
 * (own role, disabling, admin reset of own password), and nobody manages or creates a
 * user stronger than themselves.
 */
export function userPolicy(actor: Actor, action: Action, target: UserResource): boolean {
  if (action === 'user.read' || action === 'user.viewTime') return true;
  const isSelf = target.id !== null && target.id === actor.id;
  if (isSelf && selfForbidden.has(action)) return false;
  if (!isSelf && !outranks(actor, target.role)) return false;
  if (target.nextRole !== undefined && !outranks(actor, target.nextRole)) return false;
  return true;
}
