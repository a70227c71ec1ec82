import type { PageLoad } from './$types';
import { calendarEndpoints } from '@crewdeck/shared/calendar';
import { call } from '#lib/api.ts';
import { handleError } from '#lib/errors.ts';

export const load = (async ({ fetch, url }) => {
  try {
    const list = await call(calendarEndpoints.listCalendars, {}, fetch);
    return { calendars: list.calendars, loadError: '', eventId: url.searchParams.get('event') ?? '' };
  } catch (err) {
    return { calendars: [], loadError: handleError(err).message, eventId: url.searchParams.get('event') ?? '' };
  }
}) satisfies PageLoad;
