import type { LayoutLoad } from './$types';
import { loadMe } from '#lib/auth/session.ts';

// The app is a client of the same-origin API: the session cookie is httpOnly and `/api/me` says
// who is signed in, so pages render in the browser (no server round trip through SvelteKit).
export const ssr = false;

export const load = (async ({ fetch, depends }) => {
  depends('app:me');
  return { me: await loadMe(fetch) };
}) satisfies LayoutLoad;
