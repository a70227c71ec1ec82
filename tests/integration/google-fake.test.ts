// The Google fake itself, driven through the real googleapis client: if the fake's listing,
// token or etag rules were wrong, the sync tests built on it would prove nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { google, type calendar_v3 } from 'googleapis';
import { OAuth2Client } from 'google-auth-library';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startGoogleFake, type GoogleFake } from '../support/google-fake.ts';

let fake: GoogleFake;
let n = 0;
const start = (day: number, hour = 9) => new Date(Date.UTC(2026, 2, day, hour)).toISOString();
const timed = (day: number, summary: string) => ({
  summary,
  start: { dateTime: start(day), timeZone: 'UTC' },
  end: { dateTime: start(day, 10), timeZone: 'UTC' },
});

function clientFor(email: string): calendar_v3.Calendar {
  const auth = new OAuth2Client({ clientId: 'test-client', clientSecret: 'test-secret' });
  auth.setCredentials({ access_token: fake.accessTokenFor(email), expiry_date: Date.now() + 3600e3 });
  return google.calendar({ version: 'v3', auth, rootUrl: `${fake.url}/`, retry: false });
}

function reasonOf(error: unknown): { status?: number; reason?: string } {
  const e = error as { response?: { status?: number; data?: { error?: { errors?: { reason?: string }[] } } } };
  return { status: e.response?.status, reason: e.response?.data?.error?.errors?.[0]?.reason };
}

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return reasonOf(error);
  }
  throw new Error('expected the request to fail');
}

const newEmail = () => `fake${++n}@gmail.test`;

beforeAll(async () => {
  fake = await startGoogleFake();
});
afterAll(() => fake.close());

describe('Google Calendar fake through googleapis', () => {
  it('pages a full listing, gives the sync token only on the last page, then reports only changes', async () => {
    const email = newEmail();
    const cal = clientFor(email);
    for (let d = 1; d <= 5; d += 1) fake.seed(email, timed(d, `E${d}`));
    const seen: string[] = [];
    let pageToken: string | undefined;
    let syncToken: string | null | undefined;
    for (let page = 0; page < 10; page += 1) {
      const res = await cal.events.list({ calendarId: 'primary', maxResults: 2, pageToken });
      seen.push(...(res.data.items ?? []).map((e) => String(e.summary)));
      if (res.data.nextPageToken) expect(res.data.nextSyncToken).toBeFalsy();
      pageToken = res.data.nextPageToken ?? undefined;
      syncToken = res.data.nextSyncToken;
      if (!pageToken) break;
    }
    expect(seen).toEqual(['E1', 'E2', 'E3', 'E4', 'E5']);
    expect(syncToken).toBeTruthy();
    const first = fake.events(email)[0];
    fake.edit(email, String(first.id), { summary: 'E1 moved' });
    fake.remove(email, String(fake.events(email)[1].id));
    const changes = await cal.events.list({ calendarId: 'primary', syncToken: syncToken ?? '' });
    expect(changes.data.items?.map((e) => [e.summary ?? null, e.status])).toEqual([
      ['E1 moved', 'confirmed'],
      [null, 'cancelled'],
    ]);
    // A full listing does not report deletions.
    const full = await cal.events.list({ calendarId: 'primary' });
    expect(full.data.items).toHaveLength(4);
    const primary = await cal.calendars.get({ calendarId: 'primary' });
    expect(primary.data.id).toBe(email);
  });

  it('answers 410 for an expired sync token and in the middle of paging', async () => {
    const email = newEmail();
    const cal = clientFor(email);
    for (let d = 1; d <= 3; d += 1) fake.seed(email, timed(d, `E${d}`));
    const first = await cal.events.list({ calendarId: 'primary', maxResults: 1 });
    fake.goneOnNextPage(email);
    expect(
      await failure(cal.events.list({ calendarId: 'primary', pageToken: first.data.nextPageToken ?? '' })),
    ).toEqual({
      status: 410,
      reason: 'fullSyncRequired',
    });
    const all = await cal.events.list({ calendarId: 'primary' });
    fake.expireSyncTokens(email);
    expect(await failure(cal.events.list({ calendarId: 'primary', syncToken: all.data.nextSyncToken ?? '' }))).toEqual({
      status: 410,
      reason: 'fullSyncRequired',
    });
  });

  it('takes a client-chosen id once (409 duplicate after), refuses a stale etag (412), deletes with If-Match', async () => {
    const email = newEmail();
    const cal = clientFor(email);
    const id = 'cd0' + 'a1b2c3d4e5f6a1b2c3d4e5f6';
    const body = { id, ...timed(10, 'Ours'), extendedProperties: { private: { crewdeckId: 'x' } } };
    const inserted = await cal.events.insert({ calendarId: 'primary', requestBody: body, sendUpdates: 'none' });
    expect(inserted.data.id).toBe(id);
    expect(await failure(cal.events.insert({ calendarId: 'primary', requestBody: body }))).toEqual({
      status: 409,
      reason: 'duplicate',
    });
    expect(
      await failure(cal.events.insert({ calendarId: 'primary', requestBody: { ...body, id: 'UPPER-case' } })),
    ).toMatchObject({
      status: 400,
    });
    const etag = String(inserted.data.etag);
    const patched = await cal.events.patch(
      { calendarId: 'primary', eventId: id, requestBody: { summary: 'Renamed' } },
      { headers: { 'If-Match': etag } },
    );
    expect(patched.data.etag).not.toBe(etag);
    expect(patched.data.extendedProperties?.private?.crewdeckId).toBe('x');
    const stale = cal.events.update(
      { calendarId: 'primary', eventId: id, requestBody: { ...body, summary: 'Lost' } },
      { headers: { 'If-Match': etag } },
    );
    expect(await failure(stale)).toEqual({ status: 412, reason: 'conditionNotMet' });
    expect(
      await failure(cal.events.delete({ calendarId: 'primary', eventId: id }, { headers: { 'If-Match': etag } })),
    ).toEqual({ status: 412, reason: 'conditionNotMet' });
    await cal.events.delete(
      { calendarId: 'primary', eventId: id },
      { headers: { 'If-Match': String(patched.data.etag) } },
    );
    expect((await cal.events.get({ calendarId: 'primary', eventId: id })).data.status).toBe('cancelled');
  });

  it('answers injected 429 and 403 rate limits, counting requests per user', async () => {
    const email = newEmail();
    const cal = clientFor(email);
    fake.inject(email, 1, '429');
    fake.inject(email, 1, 'userRateLimitExceeded');
    expect(await failure(cal.events.list({ calendarId: 'primary' }))).toEqual({
      status: 429,
      reason: 'rateLimitExceeded',
    });
    expect(await failure(cal.events.list({ calendarId: 'primary' }))).toEqual({
      status: 403,
      reason: 'userRateLimitExceeded',
    });
    expect((await cal.events.list({ calendarId: 'primary' })).status).toBe(200);
    expect(fake.requestCount(email)).toBe(3);
    expect(fake.maxPerMinute(email)).toBe(3);
  });

  it('expands a series with an override and a cancelled instance; free/busy skips free time', async () => {
    const email = newEmail();
    const cal = clientFor(email);
    const master = fake.seed(email, { ...timed(2, 'Standup'), recurrence: ['RRULE:FREQ=DAILY;COUNT=4'] });
    fake.calendar(email).exception(String(master.id), '2026-03-03T09:00:00Z', {
      summary: 'Late standup',
      start: { dateTime: '2026-03-03T11:00:00Z' },
      end: { dateTime: '2026-03-03T12:00:00Z' },
    });
    fake.calendar(email).exception(String(master.id), '2026-03-04T09:00:00Z', { status: 'cancelled' });
    fake.seed(email, {
      ...timed(2, 'Free'),
      start: { dateTime: start(2, 14) },
      end: { dateTime: start(2, 15) },
      transparency: 'transparent',
    });
    const instances = await cal.events.instances({ calendarId: 'primary', eventId: String(master.id) });
    expect(instances.data.items?.map((e) => [e.summary, e.start?.dateTime])).toEqual([
      ['Standup', '2026-03-02T09:00:00Z'],
      ['Late standup', '2026-03-03T11:00:00Z'],
      ['Standup', '2026-03-05T09:00:00Z'],
    ]);
    // singleEvents=false: the master, the override and the cancelled instance all come back.
    const listed = await cal.events.list({ calendarId: 'primary' });
    expect(listed.data.items?.map((e) => e.status)).toEqual(['confirmed', 'confirmed', 'cancelled', 'confirmed']);
    const fb = await cal.freebusy.query({
      requestBody: { timeMin: start(1, 0), timeMax: start(8, 0), items: [{ id: 'primary' }] },
    });
    expect(fb.data.calendars?.primary?.busy?.map((b) => b.start)).toEqual([
      '2026-03-02T09:00:00.000Z',
      '2026-03-03T11:00:00.000Z',
      '2026-03-05T09:00:00.000Z',
    ]);
  });

  it('watches: a sync message right away, an exists message after a change, none after channels.stop', async () => {
    const email = newEmail();
    const cal = clientFor(email);
    const received: IncomingHttpHeaders[] = [];
    const receiver = createServer((req, res) => {
      received.push(req.headers);
      res.end();
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const address = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const watched = await cal.events.watch({
      calendarId: 'primary',
      requestBody: { id: 'chan-1', type: 'web_hook', address, token: 'secret-1' },
    });
    expect(watched.data).toMatchObject({ id: 'chan-1' });
    expect(Number(watched.data.expiration)).toBeGreaterThan(Date.now());
    const until = async (count: number) => {
      for (let i = 0; i < 100 && received.length < count; i += 1) await new Promise((r) => setTimeout(r, 10));
    };
    await until(1);
    fake.seed(email, timed(3, 'Pushed'));
    await until(2);
    expect(
      received.map((h) => [h['x-goog-channel-id'], h['x-goog-channel-token'], h['x-goog-resource-state']]),
    ).toEqual([
      ['chan-1', 'secret-1', 'sync'],
      ['chan-1', 'secret-1', 'exists'],
    ]);
    expect(received[1]['x-goog-resource-id']).toBe(watched.data.resourceId);
    await cal.channels.stop({ requestBody: { id: 'chan-1', resourceId: watched.data.resourceId } });
    fake.seed(email, timed(4, 'Unheard'));
    await new Promise((r) => setTimeout(r, 50));
    expect(received).toHaveLength(2);
    receiver.close();
  });

  it('runs the OAuth code and refresh grants, with invalid_grant once revoked', async () => {
    fake.consentEmail = 'oauth@gmail.test';
    const redirectUri = 'http://127.0.0.1:1/callback';
    const auth = new OAuth2Client({
      clientId: 'test-client',
      clientSecret: 'test-secret',
      redirectUri,
      endpoints: { oauth2AuthBaseUrl: `${fake.url}/o/oauth2/v2/auth`, oauth2TokenUrl: `${fake.url}/token` },
    });
    const consent = auth.generateAuthUrl({ access_type: 'offline', scope: ['x'], state: 'st8' });
    const res = await fetch(consent, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const back = new URL(String(res.headers.get('location')));
    expect(back.searchParams.get('state')).toBe('st8');
    const { tokens } = await auth.getToken(String(back.searchParams.get('code')));
    expect(tokens.refresh_token).toBeTruthy();
    const refreshing = new OAuth2Client({
      clientId: 'test-client',
      clientSecret: 'test-secret',
      endpoints: { oauth2TokenUrl: `${fake.url}/token` },
    });
    refreshing.setCredentials({
      refresh_token: tokens.refresh_token,
      access_token: 'old',
      expiry_date: Date.now() - 1,
    });
    const cal = google.calendar({ version: 'v3', auth: refreshing, rootUrl: `${fake.url}/`, retry: false });
    expect((await cal.calendars.get({ calendarId: 'primary' })).data.id).toBe('oauth@gmail.test');
    fake.revoke(String(tokens.refresh_token));
    refreshing.setCredentials({
      refresh_token: tokens.refresh_token,
      access_token: 'old',
      expiry_date: Date.now() - 1,
    });
    await expect(cal.calendars.get({ calendarId: 'primary' })).rejects.toThrow(/invalid_grant/);
  });
});
