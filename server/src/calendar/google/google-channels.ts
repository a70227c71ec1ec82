// Push channels: Google lets them lapse (about a week) and never renews them, and drops some
// notifications, so channels are renewed ahead of expiry and a poll runs behind them anyway.
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { GoogleChannelDoc, GoogleConnectionDoc } from './google-connection.model.ts';
import type { UserCalendar } from './google-client.ts';

export async function openChannel(cal: UserCalendar, address: string): Promise<GoogleChannelDoc> {
  const id = randomUUID();
  const token = randomBytes(24).toString('base64url');
  const channel = await cal.call((api) =>
    api.events.watch({ calendarId: 'primary', requestBody: { id, type: 'web_hook', address, token } }),
  );
  const expiration = new Date(Number(channel.expiration ?? Date.now() + 7 * 86_400_000));
  return { id, token, resourceId: String(channel.resourceId), expiration };
}

export async function closeChannel(cal: UserCalendar, channel: GoogleChannelDoc): Promise<void> {
  await cal.call((api) => api.channels.stop({ requestBody: { id: channel.id, resourceId: channel.resourceId } }));
}

export const needsRenewal = (conn: GoogleConnectionDoc, renewBeforeMs: number, now = Date.now()) =>
  !conn.channel || conn.channel.expiration.getTime() - now < renewBeforeMs;

/** Constant-time comparison of the channel token Google echoes back. */
export function tokenMatches(expected: string, given: string | undefined): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given ?? '');
  return a.length === b.length && timingSafeEqual(a, b);
}
