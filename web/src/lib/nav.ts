// Main navigation of the app shell. Sections that are not built yet say so on their page.
export type NavItem = { href: string; label: string; summary: string };

export const MAIN_NAV: NavItem[] = [
  { href: '/feed', label: 'Feed', summary: 'Team news, mentions and updates from your projects, live.' },
  { href: '/projects', label: 'Projects', summary: 'Projects, tasks, milestones and time spent.' },
  { href: '/calendar', label: 'Calendar', summary: 'Working calendars, meetings and Google Calendar sync.' },
  { href: '/library', label: 'Library', summary: 'Documents edited together in real time.' },
  { href: '/clients', label: 'Clients', summary: 'Clients, deals and the history of every interaction.' },
  { href: '/reports', label: 'Reports', summary: 'Time in the system, KPIs and payroll per period.' },
];

export function isActive(pathname: string, href: string): boolean {
  return pathname === href || pathname.startsWith(href + '/');
}
