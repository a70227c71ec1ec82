// Sign-in, sign-out and password change, with the navigation that follows each.
import { goto, invalidate } from '$app/navigation';
import { authEndpoints } from '@crewdeck/shared/auth';
import { call } from '../api.ts';

/** Only same-app paths are accepted as the place to return to after signing in. */
export function safeNext(value: string | null): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/login')) return '/';
  return value;
}

export async function signIn(login: string, password: string, next: string): Promise<void> {
  const { user } = await call(authEndpoints.login, { body: { login, password } });
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
  await invalidate('app:me');
  await goto('/');
}
