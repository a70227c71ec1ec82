// The OAuth round trip. `state` is sealed with the secret box and names the user AND the session
// that started it: a callback URL carried to another browser (or forged) cannot attach someone
// else's Google account to the victim's Crewdeck user.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { SecretBox } from '../../security/secret-box.ts';

/** Read/write events; read the calendar itself (its id is the account's address) and free/busy. */
export const googleScopes = [
  'https://www.googleapis.com/auth/calendar.events',
  'https://www.googleapis.com/auth/calendar.readonly',
];

const stateTtlMs = 15 * 60_000;
const stateSchema = z.object({ u: z.string(), s: z.string(), exp: z.number(), n: z.string() });

export function sealState(box: SecretBox, userId: string, sessionId: string): string {
  const state = { u: userId, s: sessionId, exp: Date.now() + stateTtlMs, n: randomBytes(8).toString('base64url') };
  return box.seal(JSON.stringify(state));
}

/** True when `sealed` was made for this user in this session, less than 15 minutes ago. */
export function stateMatches(box: SecretBox, sealed: string, userId: string, sessionId: string): boolean {
  try {
    const state = stateSchema.parse(JSON.parse(box.open(sealed)));
    return state.u === userId && state.s === sessionId && state.exp > Date.now();
  } catch {
    return false;
  }
}
