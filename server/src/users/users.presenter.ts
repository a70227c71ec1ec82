import type { Abilities, Action, Role } from '@crewdeck/shared/permissions';
import type { GroupRef } from '@crewdeck/shared/groups';
import { notificationKinds } from '@crewdeck/shared/notifications';
import type { Profile, User } from '@crewdeck/shared/users';
import type { Me } from '@crewdeck/shared/auth';
import type { UserDoc } from './users.model.ts';

/** Group id → name, for turning stored ids into references. */
export type GroupNames = ReadonlyMap<string, string>;

function groupRefs(user: UserDoc, names: GroupNames): GroupRef[] {
  return user.groups
    .map((id) => ({ id: String(id), name: names.get(String(id)) }))
    .filter((g): g is GroupRef => g.name !== undefined);
}

/** Whitelist of public user fields; the password hash can never slip through. */
export function presentUser(user: UserDoc, names: GroupNames, abilities: Abilities, now = new Date()): User {
  return {
    id: String(user._id),
    code: user.code,
    name: user.name,
    login: user.login,
    role: user.role,
    groups: groupRefs(user, names),
    disabled: user.disabled,
    expiresAt: user.expiresAt ? user.expiresAt.toISOString() : null,
    expired: user.expiresAt !== null && user.expiresAt.getTime() <= now.getTime(),
    showInEmployees: user.showInEmployees,
    mustChangePassword: user.mustChangePassword,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
    abilities,
  };
}

/** Where a user's avatar is served, versioned so a new one is not hidden by a cache; null without one. */
export function avatarUrl(user: UserDoc): string | null {
  return user.avatar ? `/api/users/${String(user._id)}/avatar?v=${user.avatar.updatedAt.getTime()}` : null;
}

/** The user's own profile (defaults for users from before profiles). */
export function presentProfile(user: UserDoc): Profile {
  const off = new Set(user.notificationsOff ?? []);
  return {
    name: user.name,
    timeZone: user.timeZone ?? null,
    language: user.language ?? null,
    theme: user.theme ?? 'system',
    notifications: Object.fromEntries(notificationKinds.map((k) => [k, !off.has(k)])) as Profile['notifications'],
    phone: user.phone ?? '',
    email: user.email ?? '',
    avatarUrl: avatarUrl(user),
  };
}

/** The signed-in user, with `abilities` holding the effective permissions of their role. */
export function presentMe(
  user: UserDoc,
  names: GroupNames,
  effective: Record<Action, boolean>,
  assignable: readonly Role[],
): Me {
  return {
    ...presentUser(user, names, {}),
    abilities: effective,
    assignableRoles: [...assignable],
    profile: presentProfile(user),
  };
}
