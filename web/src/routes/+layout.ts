import type { LayoutLoad } from './$types';
import { authEndpoints } from '@crewdeck/shared/auth';
import { call } from '#lib/api.ts';
import type { Me } from '@crewdeck/shared/auth';
import { isUnauthenticated } from '#lib/errors.ts';

// The app is a client of the same-origin API: the session cookie is httpOnly and `/api/me` says
// who is signed in, so pages render in the browser (no server round trip through SvelteKit).
export const ssr = false;

export const load = (async ({ fetch, depends }) => {
  depends('app:me');
  let me: Me | null = null;
  try {
    me = await call(authEndpoints.me, {}, fetch);
  } catch (error) {
    if (!isUnauthenticated(error)) throw error;
  }
  return { me };
}) satisfies LayoutLoad;
