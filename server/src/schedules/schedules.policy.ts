import { roleRank, type Action, type Role } from '@crewdeck/shared/permissions';
import type { Actor } from '../http/context.ts';

/**
 * The person a working schedule or an absence belongs to, as `can()` sees them: `schedule.manage`
 * (edit their hours) and `absence.approve` (decide their requests) are decided about a person.
 */
export interface PersonResource {
  kind: 'person';
  id: string;
  role: Role;
  groups: readonly string[];
}

const sharesGroup = (actor: Actor, person: PersonResource) => person.groups.some((g) => actor.groups.includes(g));

/**
 * On top of the role table: Owners and Admins act on anyone; everyone else (leads) only on the
 * people of their groups who do not outrank them. Nobody but an Owner approves their own absence.
 * Editing one's own schedule needs no permission at all: the service allows it before asking.
 */
export function personPolicy(actor: Actor, action: Action, person: PersonResource): boolean {
  if (action !== 'schedule.manage' && action !== 'absence.approve') return false;
  if (actor.role === 'Owner') return true;
  const isSelf = actor.id === person.id;
  if (action === 'absence.approve' && isSelf) return false;
  if (isSelf) return true;
  if (actor.role === 'Admin') return person.role !== 'Owner';
  return sharesGroup(actor, person) && roleRank[person.role] <= roleRank[actor.role];
}
