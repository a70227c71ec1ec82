import type { PageLoad } from './$types';
import { calendarEndpoints } from '@crewdeck/shared/calendar';
import { call } from '#lib/api.ts';
import { handleError } from '#lib/errors.ts';

// `?user=<id>`: a lead edits a team member's schedule (the server checks `schedule.manage`).
export const load = (async ({ fetch, url, parent }) => {
  const { me } = await parent();
  const userId = url.searchParams.get('user') || me.id;
  try {
    const loaded = await call(calendarEndpoints.getSchedule, { params: { id: userId } }, fetch);
    return { userId, loaded, loadError: '' };
  } catch (err) {
    return { userId, loaded: null, loadError: handleError(err).message };
  }
}) satisfies PageLoad;
