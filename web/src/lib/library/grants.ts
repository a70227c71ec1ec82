// Helpers of the grants editor: who a grant is for, in words, and the people, groups and roles
// one can pick. Levels and their order come from the shared module.
import { accessLevels, type AccessLevel, type EffectiveAccess, type Grant } from '@crewdeck/shared/library';
import { roles, type Role } from '@crewdeck/shared/permissions';
import type { Group } from '@crewdeck/shared/groups';
import { m } from '../paraglide/messages.js';
import { roleLabel } from '../i18n/labels.ts';

export type SubjectKind = 'role' | 'group' | 'user';
export type Choice = { id: string; label: string };
export type Directory = { roles: Choice[]; groups: Choice[]; users: Choice[] };

export const levelLabels: Record<AccessLevel, () => string> = {
  view: m.level_view,
  comment: m.level_comment,
  edit: m.level_edit,
  manage: m.level_manage,
};

export const levelChoices = accessLevels.map((level) => ({ level, label: levelLabels[level] }));

export function subjectOf(grant: Grant): { kind: SubjectKind; id: string } {
  if ('role' in grant) return { kind: 'role', id: grant.role };
  if ('group' in grant) return { kind: 'group', id: grant.group };
  return { kind: 'user', id: grant.user };
}

export function grantKey(grant: Grant): string {
  const { kind, id } = subjectOf(grant);
  return `${kind}:${id}`;
}

function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}

/** A grant for a subject picked in the editor; null when the pick is not valid. */
export function makeGrant(kind: SubjectKind, id: string, level: AccessLevel): Grant | null {
  if (kind === 'role') return isRole(id) ? { role: id, level } : null;
  if (!id) return null;
  return kind === 'group' ? { group: id, level } : { user: id, level };
}

export function subjectLabel(grant: Grant, directory: Directory): string {
  const { kind, id } = subjectOf(grant);
  if (kind === 'role') return m.grant_role({ role: isRole(id) ? roleLabel(id) : id });
  const list = kind === 'group' ? directory.groups : directory.users;
  const name = list.find((choice) => choice.id === id)?.label;
  return kind === 'group' ? m.grant_group({ name: name ?? id }) : (name ?? m.grant_user({ id }));
}

/** People and groups to pick from: what the caller may list, plus everyone the access view names. */
export function buildDirectory(groups: Group[], users: Choice[], access: EffectiveAccess | null): Directory {
  const people = new Map(users.map((u) => [u.id, u.label]));
  for (const row of access?.rows ?? []) if (!people.has(row.user.id)) people.set(row.user.id, row.user.name);
  for (const group of groups)
    for (const member of group.members) if (!people.has(member.id)) people.set(member.id, member.name);
  const byLabel = (a: Choice, b: Choice) => a.label.localeCompare(b.label);
  return {
    roles: roles.map((role) => ({ id: role, label: roleLabel(role) })),
    groups: groups.map((g) => ({ id: g.id, label: g.name })).sort(byLabel),
    users: [...people].map(([id, label]) => ({ id, label })).sort(byLabel),
  };
}
