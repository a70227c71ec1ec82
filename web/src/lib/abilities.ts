// Which UI sections the signed-in user's abilities open. The server decides every ability
// (`/api/me`, and `abilities` on each resource); the web only reads them.
import type { Action } from '@crewdeck/shared/permissions';
import type { Me } from '@crewdeck/shared/auth';
import { m } from './paraglide/messages.js';

export function can(me: Me | null | undefined, action: Action): boolean {
  return me?.abilities[action] === true;
}

export type AdminSection = { href: string; label: () => string; action: Action };

export const ADMIN_SECTIONS: AdminSection[] = [
  { href: '/admin/users', label: m.admin_users, action: 'user.read' },
  { href: '/admin/roles', label: m.admin_roles, action: 'permission.read' },
  { href: '/admin/groups', label: m.admin_groups, action: 'group.read' },
  { href: '/admin/audit', label: m.admin_audit, action: 'audit.read' },
  { href: '/admin/crm', label: m.cli_admin_tab, action: 'crm.settings' },
];

/** Admin sections this user may open; Admin navigation is shown only when there is one. */
export function adminSections(me: Me | null | undefined): AdminSection[] {
  // Members may list groups to see their own, but that alone is not administration.
  const admin = ADMIN_SECTIONS.filter((section) => can(me, section.action));
  return admin.some((section) => section.action !== 'group.read') ? admin : [];
}
