import type { PageLoad } from './$types';
import { calendarEndpoints } from '@crewdeck/shared/calendar';
import { call } from '#lib/api.ts';

// `?people=<id>,<id>`: the rows to show (the person alone by default).
export const load = (async ({ fetch, url, parent }) => {
  const { me } = await parent();
  const list = await call(calendarEndpoints.listCalendars, {}, fetch).catch(() => null);
  const people = (url.searchParams.get('people') ?? '').split(',').filter(Boolean);
  return { calendars: list?.calendars ?? [], people: people.length > 0 ? people : [me.id] };
}) satisfies PageLoad;
