// Who is signed in (`loadMe`), sign-in, sign-out and password change, with the navigation that
// follows each.
import { goto, invalidate } from '$app/navigation';
import { authEndpoints, type Me } from '@crewdeck/shared/auth';
import { call } from '../api.ts';
import { isUnauthenticated } from '../errors.ts';

/** How long a "nobody is signed in" answer is reused: a redirect to /login reruns the loads. */
const SIGNED_OUT_REUSE_MS = 2000;
let signedOutAt = 0;

/**
 * The signed-in user, or null (a 401 from `/api/me` is the expected answer then). A signed-out
 * answer is reused for a moment, so `/` → `/login` asks the server once, not once per redirect.
 */
export async function loadMe(fetchFn: typeof fetch): Promise<Me | null> {
  if (Date.now() - signedOutAt < SIGNED_OUT_REUSE_MS) return null;
  try {
    const me = await call(authEndpoints.me, {}, fetchFn);
    signedOutAt = 0;
    return me;
  } catch (error) {
    if (!isUnauthenticated(error)) throw error;
    signedOutAt = Date.now();
    return null;
  }
}

/** Forgets the reused answer: the next load asks the server again. */
function forgetSession(): void {
  signedOutAt = 0;
}

/** Only same-app paths are accepted as the place to return to after signing in. */
export function safeNext(value: string | null): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/login')) return '/';
  return value;
}

export async function signIn(login: string, password: string, next: string): Promise<void> {
  const { user } = await call(authEndpoints.login, { body: { login, password } });
  forgetSession();
  await invalidate('app:me');
  await goto(user.mustChangePassword ? '/change-password' : safeNext(next));
}

export async function signOut(everywhere: boolean): Promise<void> {
  await (everywhere ? call(authEndpoints.logoutAll) : call(authEndpoints.logout));
  await invalidate('app:me');
  await goto('/login');
}

export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  await call(authEndpoints.changePassword, { body: { currentPassword, newPassword } });
  forgetSession();
  await invalidate('app:me');
  await goto('/');
}
