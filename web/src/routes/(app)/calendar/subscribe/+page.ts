import type { PageLoad } from './$types';
import { calendarEndpoints } from '@crewdeck/shared/calendar';
import { call } from '#lib/api.ts';

export const load = (async ({ fetch }) => {
  const list = await call(calendarEndpoints.listCalendars, {}, fetch).catch(() => null);
  return { calendars: (list?.calendars ?? []).filter((calendar) => calendar.kind === 'team') };
}) satisfies PageLoad;
