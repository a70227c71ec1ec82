import { z } from 'zod';
import { lineText, multiLineText } from './text.ts';
import { defineEndpoints } from './endpoint.ts';
import { dateTimeSchema, docCodeSchema, idParamsSchema, idSchema, okSchema } from './common.ts';
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

const groupName = lineText({ min: 1, max: limits.groupNameMax });
const groupDescription = multiLineText({ max: limits.groupDescriptionMax, trim: true });

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
  /**
   * Replaces the member list (user ids). Prefer `addMember` / `removeMember`: two people editing
   * the list at once each replace the other's change.
   */
  members: z.array(idSchema).max(limits.groupMembersMax).optional(),
});
export type UpdateGroup = z.infer<typeof updateGroupSchema>;

/** `POST /api/groups/:id/members` body. */
export const addGroupMemberSchema = z.strictObject({
  /** The user to add; adding someone already in the group changes nothing. */
  userId: idSchema,
});
export type AddGroupMember = z.infer<typeof addGroupMemberSchema>;

/** `DELETE /api/groups/:id/members/:userId` parameters. */
export const groupMemberParamsSchema = z.object({
  /** Group id. */
  id: idSchema,
  /** The member to remove. */
  userId: idSchema,
});

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

export const groupEndpoints = defineEndpoints({
  list: {
    method: 'get',
    path: '/api/groups',
    tag: 'groups',
    response: groupListSchema,
    summary: 'List groups with their members and member counts',
  },
  create: {
    method: 'post',
    path: '/api/groups',
    tag: 'groups',
    body: createGroupSchema,
    response: groupResponseSchema,
    status: 201,
    summary: 'Create a group, optionally with members',
  },
  get: {
    method: 'get',
    path: '/api/groups/:id',
    tag: 'groups',
    params: idParamsSchema,
    response: groupResponseSchema,
    summary: 'One group with its members',
  },
  update: {
    method: 'patch',
    path: '/api/groups/:id',
    tag: 'groups',
    params: idParamsSchema,
    body: updateGroupSchema,
    response: groupResponseSchema,
    summary: 'Rename, describe, or replace the member list',
  },
  addMember: {
    method: 'post',
    path: '/api/groups/:id/members',
    tag: 'groups',
    params: idParamsSchema,
    body: addGroupMemberSchema,
    response: groupResponseSchema,
    summary: 'Add one member (concurrent adds all stay); answers the group with its members',
  },
  removeMember: {
    method: 'delete',
    path: '/api/groups/:id/members/:userId',
    tag: 'groups',
    params: groupMemberParamsSchema,
    response: groupResponseSchema,
    summary: 'Remove one member; answers the group with its members',
  },
  remove: {
    method: 'delete',
    path: '/api/groups/:id',
    tag: 'groups',
    params: idParamsSchema,
    response: okSchema,
    summary: 'Delete a group (members stay, without it)',
  },
});
