import type { Actor } from '../http/context.ts';
import type { UserDoc } from './users.model.ts';

/** Why a user may not use the workspace right now, or null when they may. */
export function inactiveReason(user: UserDoc, now: Date): 'disabled' | 'expired' | null {
  if (user.disabled) return 'disabled';
  if (user.expiresAt && user.expiresAt.getTime() <= now.getTime()) return 'expired';
  return null;
}

export function toActor(user: UserDoc): Actor {
  return {
    id: String(user._id),
    code: user.code,
    login: user.login,
    name: user.name,
    role: user.role,
    groups: user.groups.map(String),
    mustChangePassword: user.mustChangePassword,
  };
}

/** The journal's snapshot of a user. */
export function auditPerson(user: UserDoc): { id: string; login: string; code: string } {
  return { id: String(user._id), login: user.login, code: user.code };
}
