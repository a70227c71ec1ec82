// Who is signed in (`loadMe`), sign-in, sign-out and password change, with the navigation that
// follows each.
import { goto, invalidate } from '$app/navigation';
import { authEndpoints, type Me } from '@crewdeck/shared/auth';
import { call } from '../api.ts';

/** How long a "nobody is signed in" answer is reused: a redirect to /login reruns the loads. */
const SIGNED_OUT_REUSE_MS = 2000;
let signedOutAt = 0;

/**
 * The signed-in user, or null. Asks `/api/session`, which answers 200 either way, so a signed-out
 * visit logs no failed request. A signed-out answer is reused for a moment, so `/` → `/login`
 * asks the server once, not once per redirect.
 */
export async function loadMe(fetchFn: typeof fetch): Promise<Me | null> {
  if (Date.now() - signedOutAt < SIGNED_OUT_REUSE_MS) return null;
  const { user } = await call(authEndpoints.session, {}, fetchFn);
  signedOutAt = user ? 0 : Date.now();
  return user;
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
