// Main navigation of the app shell. Sections that are not built yet say so on their page.
import type { Action } from '@crewdeck/shared/permissions';
import type { Me } from '@crewdeck/shared/auth';
import { can } from './abilities.ts';
import { m } from './paraglide/messages.js';

/** `action`: shown only to users with that ability (the server decides it, `/api/me` says). */
export type NavItem = { href: string; label: () => string; summary: () => string; action?: Action };

export const MAIN_NAV: NavItem[] = [
  { href: '/feed', label: m.nav_feed, summary: m.nav_feed_summary },
  { href: '/projects', label: m.nav_projects, summary: m.nav_projects_summary },
  { href: '/calendar', label: m.nav_calendar, summary: m.nav_calendar_summary },
  { href: '/library', label: m.nav_library, summary: m.nav_library_summary },
  { href: '/people', label: m.adm_nav_people, summary: m.adm_nav_people_summary, action: 'people.read' },
  { href: '/clients', label: m.nav_clients, summary: m.nav_clients_summary, action: 'client.read' },
  { href: '/deals', label: m.nav_deals, summary: m.nav_deals_summary, action: 'client.read' },
  { href: '/mailing', label: m.nav_mailing, summary: m.nav_mailing_summary, action: 'mailing.manage' },
  { href: '/reports', label: m.nav_reports, summary: m.nav_reports_summary },
];

/** The main navigation items this user may open. */
export function mainNav(me: Me | null | undefined): NavItem[] {
  return MAIN_NAV.filter((item) => !item.action || can(me, item.action));
}

export function isActive(pathname: string, href: string): boolean {
  return pathname === href || pathname.startsWith(href + '/');
}
