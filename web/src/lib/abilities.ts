// Which UI sections an ability map opens. The server decides every ability (`/api/me`); the web
// only reads them. Action names mirror `@crewdeck/shared/permissions` (TEMPORARY local list).
import type { Me } from './contract.ts';

export const ACTIONS = {
  usersRead: 'user.read',
  usersCreate: 'user.create',
  usersUpdate: 'user.update',
  groupsRead: 'group.read',
  groupsWrite: 'group.update',
  permissionsRead: 'permission.read',
  permissionsUpdate: 'permission.update',
  auditRead: 'audit.read',
} as const;
export type UiAction = (typeof ACTIONS)[keyof typeof ACTIONS];

export function can(user: Me | null | undefined, action: UiAction): boolean {
  return user?.abilities[action] === true;
}

export type AdminSection = { href: string; label: string; action: UiAction };

export const ADMIN_SECTIONS: AdminSection[] = [
  { href: '/admin/users', label: 'Users', action: ACTIONS.usersRead },
  { href: '/admin/roles', label: 'Roles & permissions', action: ACTIONS.permissionsRead },
  { href: '/admin/groups', label: 'Groups', action: ACTIONS.groupsRead },
  { href: '/admin/audit', label: 'Audit journal', action: ACTIONS.auditRead },
];

export function adminSections(user: Me | null | undefined): AdminSection[] {
  return ADMIN_SECTIONS.filter((section) => can(user, section.action));
}
