import { z } from 'zod';
import { dateTimeSchema, docCodeSchema, idSchema } from './common.ts';
import { limits } from './limits.ts';
import { abilitiesSchema } from './permissions.ts';

/** A reference to a group (or, in `members`, to a user) embedded in other resources. */
export const groupRefSchema = z.object({
  /** Group id. */
  id: idSchema,
  /** Group name. */
  name: z.string(),
});
export type GroupRef = z.infer<typeof groupRefSchema>;

/** A group as returned by the API. */
export const groupSchema = z.object({
  /** Group id. */
  id: idSchema,
  /** Human code, e.g. `GRP-3`. */
  code: docCodeSchema,
  /** Unique name, e.g. "Development group". */
  name: z.string(),
  /** Free-text description. */
  description: z.string(),
  /** Users in the group, by name. */
  members: z.array(groupRefSchema),
  /** Number of users in the group. */
  memberCount: z.number().int().nonnegative(),
  /** Creation time. */
  createdAt: dateTimeSchema,
  /** Last change time. */
  updatedAt: dateTimeSchema,
  /** What the caller may do with this group. */
  abilities: abilitiesSchema,
});
export type Group = z.infer<typeof groupSchema>;

const groupName = z.string().trim().min(1).max(limits.groupNameMax);
const groupDescription = z.string().trim().max(limits.groupDescriptionMax);

/** `POST /api/groups` body. */
export const createGroupSchema = z.strictObject({
  /** Unique name. */
  name: groupName,
  /** Optional description. */
  description: groupDescription.optional(),
  /** Ids of users to put in the group. */
  members: z.array(idSchema).max(limits.groupMembersMax).optional(),
});
export type CreateGroup = z.infer<typeof createGroupSchema>;

/** `PATCH /api/groups/:id` body; only present fields change. */
export const updateGroupSchema = z.strictObject({
  /** New unique name. */
  name: groupName.optional(),
  /** New description. */
  description: groupDescription.optional(),
  /** Replaces the member list (user ids). */
  members: z.array(idSchema).max(limits.groupMembersMax).optional(),
});
export type UpdateGroup = z.infer<typeof updateGroupSchema>;

/** `GET /api/groups` response. */
export const groupListSchema = z.object({
  /** All groups, by name. */
  items: z.array(groupSchema),
  /** What the caller may do with groups in general (e.g. `group.create`). */
  abilities: abilitiesSchema,
});
export type GroupList = z.infer<typeof groupListSchema>;

/** `GET|PATCH|POST /api/groups/...` single-group response. */
export const groupResponseSchema = z.object({
  /** The group. */
  group: groupSchema,
});
export type GroupResponse = z.infer<typeof groupResponseSchema>;
