// Main navigation of the app shell. Sections that are not built yet say so on their page.
import { m } from './paraglide/messages.js';

export type NavItem = { href: string; label: () => string; summary: () => string };

export const MAIN_NAV: NavItem[] = [
  { href: '/feed', label: m.nav_feed, summary: m.nav_feed_summary },
  { href: '/projects', label: m.nav_projects, summary: m.nav_projects_summary },
  { href: '/calendar', label: m.nav_calendar, summary: m.nav_calendar_summary },
  { href: '/library', label: m.nav_library, summary: m.nav_library_summary },
  { href: '/clients', label: m.nav_clients, summary: m.nav_clients_summary },
  { href: '/reports', label: m.nav_reports, summary: m.nav_reports_summary },
];

export function isActive(pathname: string, href: string): boolean {
  return pathname === href || pathname.startsWith(href + '/');
}
