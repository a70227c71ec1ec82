import type { Abilities } from '@crewdeck/shared/permissions';
import type { Group, GroupRef } from '@crewdeck/shared/groups';
import type { GroupDoc } from './groups.model.ts';

/** Whitelist of public group fields. */
export function presentGroup(group: GroupDoc, members: GroupRef[], memberCount: number, abilities: Abilities): Group {
  return {
    id: String(group._id),
    code: group.code,
    name: group.name,
    description: group.description,
    members,
    memberCount,
    createdAt: group.createdAt.toISOString(),
    updatedAt: group.updatedAt.toISOString(),
    abilities,
  };
}
