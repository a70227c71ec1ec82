// The calendar section's tabs; a tab the person cannot use is not shown (the server decides
// the abilities, `/api/me` carries them).
import type { Me } from '@crewdeck/shared/auth';
import { can } from '../abilities.ts';
import { m } from '../paraglide/messages.js';

export type CalendarTab = { href: string; label: () => string };

export function calendarTabs(me: Me | null | undefined): CalendarTab[] {
  return [
    { href: '/calendar', label: m.cal_tab_calendar },
    ...(can(me, 'calendar.freebusy') ? [{ href: '/calendar/team', label: m.cal_tab_team }] : []),
    { href: '/calendar/schedule', label: m.cal_tab_schedule },
    { href: '/calendar/absences', label: m.cal_tab_absences },
    { href: '/calendar/subscribe', label: m.cal_tab_subscribe },
    { href: '/calendar/google', label: m.cal_tab_google },
  ];
}
