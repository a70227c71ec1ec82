import { z } from 'zod';
import { defineEndpoints } from './endpoint.ts';

/** Built-in roles, strongest first. */
export const roles = ['Owner', 'Admin', 'Lead', 'Member', 'Tester', 'External'] as const;
export const roleSchema = z.enum(roles);
export type Role = z.infer<typeof roleSchema>;

/**
 * Rank decides who may manage whom: an actor manages users of lower rank (Admins also
 * manage Admins); only an Owner manages Owners. Member and Tester are peers.
 */
export const roleRank: Record<Role, number> = {
  Owner: 100,
  Admin: 80,
  Lead: 60,
  Member: 40,
  Tester: 40,
  External: 10,
};

/** Roles whose accounts must carry an expiry date. */
export const rolesRequiringExpiry: readonly Role[] = ['External'];

/** Every action `can()` decides on. Free strings are not accepted anywhere. */
export const actions = [
  'user.read',
  'user.create',
  'user.update',
  'user.changeRole',
  'user.disable',
  'user.resetPassword',
  'user.viewTime',
  'people.read',
  'group.read',
  'group.create',
  'group.update',
  'group.delete',
  'permission.read',
  'permission.update',
  'audit.read',
  'audit.export',
  'audit.verify',
  'report.timeInSystem',
  'project.read',
  'project.create',
  'project.update',
  'project.manageMembers',
  'project.delete',
  'milestone.manage',
  'task.create',
  'task.update',
  'task.delete',
  'task.comment',
  'comment.update',
  'comment.delete',
  'task.logTime',
  'billing.read',
  'workload.read',
  'doc.create',
  'doc.view',
  'doc.comment',
  'doc.edit',
  'doc.manage',
  'folder.create',
  'folder.view',
  'folder.edit',
  'folder.manage',
  'calendar.read',
  'calendar.write',
  'calendar.manage',
  'calendar.freebusy',
  'calendar.force',
  'schedule.manage',
  'absence.approve',
  'client.read',
  'client.write',
  'client.assign',
  'client.merge',
  'client.import',
  'client.export',
  'crm.settings',
  'deal.write',
  'interaction.log',
  'mailing.manage',
] as const;
export const actionSchema = z.enum(actions);
export type Action = z.infer<typeof actionSchema>;

/** Labels for the permission matrix UI. */
export const actionLabels: Record<Action, string> = {
  'user.read': 'See the user list',
  'user.create': 'Create users',
  'user.update': 'Edit users (name, groups, expiry, visibility)',
  'user.changeRole': 'Change a user’s role',
  'user.disable': 'Disable and enable users',
  'user.resetPassword': 'Reset a user’s password',
  'user.viewTime': 'See a user’s time in the system',
  'people.read': 'See the people directory (everyone listed among employees, with contact details)',
  'group.read': 'See groups',
  'group.create': 'Create groups',
  'group.update': 'Edit groups',
  'group.delete': 'Delete groups',
  'permission.read': 'See the permission table',
  'permission.update': 'Edit the permission table',
  'audit.read': 'Read the audit journal',
  'audit.export': 'Export the audit journal as CSV',
  'audit.verify': 'Verify the audit journal’s hash chain',
  'report.timeInSystem': 'See the time-in-system report',
  'project.read': 'See projects they belong to, with their tasks and feed',
  'project.create': 'Create projects',
  'project.update': 'Edit, archive and restore projects they lead',
  'project.manageMembers': 'Add and remove project members, change their project role',
  'project.delete': 'Delete projects they lead (restorable from the trash for 30 days)',
  'milestone.manage': 'Create and edit milestones',
  'task.create': 'Create tasks and subtasks',
  'task.update': 'Edit tasks (status, assignees, dates, …)',
  'task.delete': 'Delete tasks',
  'task.comment': 'Comment on tasks',
  'comment.update': 'Edit their own comments',
  'comment.delete': 'Delete their own comments (project leads delete any in their projects)',
  'task.logTime': 'Log time on tasks',
  'billing.read': 'See billing summaries and tasks’ hourly rates, and set the rates',
  'workload.read': 'See other people’s workload',
  'doc.create': 'Create library documents and upload files',
  'doc.view': 'Open library documents shared with them (view level)',
  'doc.comment': 'Comment on library documents shared with them (comment level)',
  'doc.edit': 'Edit library documents shared with them (edit level)',
  'doc.manage': 'Share, rename and delete library documents they manage',
  'folder.create': 'Create library folders',
  'folder.view': 'See library folders shared with them',
  'folder.edit': 'Add documents to folders shared with them at edit level',
  'folder.manage': 'Share, rename and delete folders they manage',
  'calendar.read': 'See their own calendar and the team calendars shared with them',
  'calendar.write': 'Create and edit events in their calendar and in team calendars they may write',
  'calendar.manage': 'Create team calendars and decide who may read and write them',
  'calendar.freebusy': 'See other people’s busy times and find a free slot',
  'calendar.force': 'Book an event despite conflicts (“book anyway”)',
  'schedule.manage': 'Set other people’s working hours and days off (leads: their groups)',
  'absence.approve': 'Approve and reject absence requests (leads: their groups)',
  'client.read': 'See CRM clients, their contacts, deals and interactions (which ones: the CRM visibility setting)',
  'client.write': 'Create and edit clients and contacts they can see',
  'client.assign': 'Change a client’s responsible manager',
  'client.merge': 'Review duplicates and merge clients (and undo a merge)',
  'client.import': 'Import clients and contacts from CSV or XLSX',
  'client.export': 'Export client lists and reachable contacts',
  'crm.settings': 'Configure the CRM: visibility, required and custom fields, statuses, stages',
  'deal.write': 'Create deals and move them through the pipeline',
  'interaction.log': 'Log calls, meetings, emails, messages and notes',
  'mailing.manage': 'Build segments and send email campaigns',
};

/** Role → the actions it is allowed. Every role appears; order of actions is irrelevant. */
export const permissionMatrixSchema = z.object(
  Object.fromEntries(roles.map((role) => [role, z.array(actionSchema)])) as Record<
    Role,
    z.ZodArray<typeof actionSchema>
  >,
);
export type PermissionMatrix = z.infer<typeof permissionMatrixSchema>;

/**
 * What every project contributor (member or tester) may do; the project role narrows it
 * further. The workspace defaults and the project policy share this list.
 */
export const contributorActions: readonly Action[] = [
  'project.read',
  'task.create',
  'task.update',
  'task.comment',
  'comment.update',
  'comment.delete',
  'task.logTime',
];

const leadActions: Action[] = [
  ...contributorActions,
  'project.create',
  'project.update',
  'project.manageMembers',
  'project.delete',
  'milestone.manage',
  'task.delete',
  'billing.read',
  'workload.read',
  'user.read',
  'user.viewTime',
  'people.read',
  'group.read',
  'audit.read',
  'audit.export',
  'audit.verify',
  'report.timeInSystem',
  'calendar.manage',
  'calendar.force',
  'schedule.manage',
  'absence.approve',
  'client.assign',
  'client.merge',
  'client.import',
  'client.export',
  'mailing.manage',
];

/** Everyone on staff keeps their own clients, deals and interaction journal. */
const crmActions: Action[] = ['client.read', 'client.write', 'deal.write', 'interaction.log'];

/** Every employee plans on the calendar and sees colleagues' busy times. */
const calendarActions: Action[] = ['calendar.read', 'calendar.write', 'calendar.freebusy'];

/**
 * Library actions are a ceiling: the document's or folder's grants decide the level per
 * resource, and a role without e.g. `doc.edit` never edits, whatever the grants say.
 */
const libraryActions: Action[] = [
  'doc.create',
  'doc.view',
  'doc.comment',
  'doc.edit',
  'doc.manage',
  'folder.create',
  'folder.view',
  'folder.edit',
  'folder.manage',
];
/** Guests work only in what is shared with them; they create nothing in the library. */
const libraryGuestActions: Action[] = ['doc.view', 'doc.comment', 'doc.edit', 'folder.view'];

/** The table a new workspace starts with. The Owner row is fixed to every action. */
export const defaultPermissionMatrix: PermissionMatrix = {
  Owner: [...actions],
  Admin: [...actions],
  Lead: [...leadActions, ...libraryActions, ...calendarActions, ...crmActions],
  Member: ['group.read', 'people.read', ...contributorActions, ...libraryActions, ...calendarActions, ...crmActions],
  Tester: ['group.read', 'people.read', ...contributorActions, ...libraryActions, ...calendarActions],
  External: [
    'project.read',
    'task.update',
    'task.comment',
    'comment.update',
    'comment.delete',
    'task.logTime',
    ...libraryGuestActions,
    // Guests keep their own calendar and see team calendars shared with them, not others' busy times.
    'calendar.read',
    'calendar.write',
  ],
};

/** Action → whether the current user may perform it (on the resource it is attached to). */
export const abilitiesSchema = z.partialRecord(actionSchema, z.boolean());
export type Abilities = z.infer<typeof abilitiesSchema>;

/** `GET /api/permissions` response. */
export const permissionTableSchema = z.object({
  /** Roles in display order. */
  roles: z.array(roleSchema),
  /** Actions in display order. */
  actions: z.array(actionSchema),
  /** The current table. */
  matrix: permissionMatrixSchema,
  /** What the caller may do with the table. */
  abilities: abilitiesSchema,
});
export type PermissionTable = z.infer<typeof permissionTableSchema>;

/** `PUT /api/permissions` body: the whole table. */
export const updatePermissionsSchema = z.object({
  /** The new table; the Owner row must keep every action. */
  matrix: permissionMatrixSchema,
});

export const permissionEndpoints = defineEndpoints({
  get: {
    method: 'get',
    path: '/api/permissions',
    tag: 'permissions',
    response: permissionTableSchema,
    summary: 'The action × role permission table',
  },
  update: {
    method: 'put',
    path: '/api/permissions',
    tag: 'permissions',
    body: updatePermissionsSchema,
    response: permissionTableSchema,
    summary: 'Replace the permission table (the Owner row keeps every action)',
  },
});
