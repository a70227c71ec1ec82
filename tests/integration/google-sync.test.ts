// Two-way Google Calendar sync against the stateful fake, through the real server, the real
// OAuth round trip and the real googleapis client. Local state is read from the database the
// in-process server uses: the point is exactly what got stored (no duplicates, no ghosts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mongoose from 'mongoose';
import { randomBytes } from 'node:crypto';
import { SecretBox } from '../../server/src/security/secret-box.ts';
import { EventModel, type EventDoc } from '../../server/src/calendar/calendar.model.ts';
import { GoogleConnectionModel } from '../../server/src/calendar/google/google-connection.model.ts';
import { AbsenceModel } from '../../server/src/schedules/absences.model.ts';
import { startGoogleFake, type GoogleFake } from '../support/google-fake.ts';
import { startTestServer, type TestContext, type TestUser } from '../support/server.ts';

let fake: GoogleFake;
let ctx: TestContext;
const failTokenSave = new Set<string>();
let n = 0;

const at = (day: number, hour = 9) => new Date(Date.UTC(2030, 2, day, hour)).toISOString();
const timed = (day: number, summary: string, extra: object = {}) => ({
  summary,
  start: { dateTime: at(day), timeZone: 'UTC' },
  end: { dateTime: at(day, 10), timeZone: 'UTC' },
  ...extra,
});
const sync = () => ctx.server.google.service;
const oid = (id: string) => new mongoose.Types.ObjectId(id);
const mirrored = (userId: string) =>
  EventModel.find({ source: 'google', participants: oid(userId) })
    .sort({ start: 1 })
    .lean<EventDoc[]>();
const titles = async (userId: string) => (await mirrored(userId)).map((e) => e.title);

async function status(user: TestUser) {
  const res = await user.client.get('/api/calendar/google/status');
  expect(res.status, res.text).toBe(200);
  return res.body;
}

/** Connect through the real round trip: our 302 → the fake's consent (auto-approves) → our callback. */
async function connect(user: TestUser, email: string): Promise<void> {
  fake.consentEmail = email;
  const start = await user.client.get('/api/calendar/google/connect');
  expect(start.status, start.text).toBe(302);
  const consent = await fetch(String(start.headers.get('location')), { redirect: 'manual' });
  expect(consent.status).toBe(302);
  const back = new URL(String(consent.headers.get('location')));
  const done = await user.client.get(back.pathname + back.search);
  expect(done.status, done.text).toBe(302);
  expect(done.headers.get('location')).toBe('/calendar/google?connected=1');
  let ok = false;
  for (let i = 0; i < 200 && !ok; i += 1) {
    ok = (await status(user)).state === 'ok';
    if (!ok) await new Promise((r) => setTimeout(r, 25));
  }
  expect(ok).toBe(true);
  await sync().idle();
}

async function newConnected(seed: (email: string) => void = () => undefined) {
  const user = await ctx.newUser('Member');
  const email = `person${++n}@gmail.test`;
  seed(email);
  await connect(user, email);
  return { user, email, id: user.user.id };
}

beforeAll(async () => {
  fake = await startGoogleFake();
  ctx = await startTestServer({
    google: {
      clientId: fake.client.id,
      clientSecret: fake.client.secret,
      apiRoot: `${fake.url}/`,
      oauthRoot: fake.url,
      pageSize: 2,
      backoffBaseMs: 10,
      syncIntervalS: 3600,
      hooks: {
        beforeTokenSave: (userId) => {
          if (failTokenSave.delete(userId)) throw new Error('simulated crash before the sync token is saved');
        },
      },
    },
  });
});
afterAll(async () => {
  await ctx?.close();
  await fake?.close();
});

describe('Google connection', () => {
  it('binds the OAuth state to the session: a callback in another account attaches nothing', async () => {
    const victim = await ctx.newUser('Member');
    const attacker = await ctx.newUser('Member');
    fake.consentEmail = 'attacker@gmail.test';
    const start = await attacker.client.get('/api/calendar/google/connect');
    const consent = await fetch(String(start.headers.get('location')), { redirect: 'manual' });
    const back = new URL(String(consent.headers.get('location')));
    const res = await victim.client.get(back.pathname + back.search);
    expect(res.headers.get('location')).toBe('/calendar/google?error=state');
    expect((await status(victim)).state).toBe('disconnected');
    expect(fake.lastConsent?.get('access_type')).toBe('offline');
    expect(fake.lastConsent?.get('redirect_uri')).toBe(`${ctx.url}/api/calendar/google/callback`);
  });

  it('first connect with events on both sides: imports, pushes ours with a deterministic id, maps event types', async () => {
    const user = await ctx.newUser('Member');
    const planned = await user.client.post('/api/calendar/events', {
      title: 'Planned here',
      start: at(20),
      end: at(20, 10),
    });
    expect(planned.status, planned.text).toBe(201);
    const email = `person${++n}@gmail.test`;
    fake.seed(email, timed(1, 'Dentist'));
    fake.seed(email, timed(2, 'Maybe lunch', { transparency: 'transparent' }));
    fake.seed(email, timed(3, 'Deep work', { eventType: 'focusTime' }));
    fake.seed(email, timed(4, 'Office', { eventType: 'workingLocation' }));
    fake.seed(email, {
      summary: 'Holiday',
      eventType: 'outOfOffice',
      start: { date: '2030-03-10' },
      end: { date: '2030-03-13' },
    });
    await connect(user, email);
    const local = await mirrored(user.user.id);
    expect(local.map((e) => [e.title, e.busy])).toEqual([
      ['Dentist', true],
      ['Maybe lunch', false],
      ['Deep work', true],
    ]);
    const absences = await AbsenceModel.find({ userId: oid(user.user.id) }).lean();
    expect(absences.map((a) => [a.startDay, a.endDay, a.source])).toEqual([['2030-03-10', '2030-03-12', 'google']]);
    const pushed = fake.events(email).find((e) => e.summary === 'Planned here');
    expect(pushed?.id).toBe(`cd0${planned.body.event.id}`);
    expect(pushed?.extendedProperties?.private?.crewdeckId).toBe(planned.body.event.id);
    expect(pushed?.attendees).toBeUndefined();
    // Our event came back in the next listing and was not imported as a copy.
    await sync().syncNow(user.user.id);
    expect(await EventModel.countDocuments({ participants: oid(user.user.id) })).toBe(4);
    const s = await status(user);
    expect(s).toMatchObject({ state: 'ok', account: email, imported: 3, lastError: null, progress: null });
    const channel = fake.channels(email)[0];
    expect(channel.address).toBe(`${ctx.url}/api/calendar/google/notifications`);
    expect(s.channelExpiresAt).toBe(new Date(channel.expiration).toISOString());
  });

  it('edits on both sides: Google edits arrive, ours go out with If-Match, echoes change nothing, 412 merges', async () => {
    const { user, email, id } = await newConnected((e) => fake.seed(e, timed(5, 'Review')));
    const [review] = fake.events(email);
    fake.edit(email, String(review.id), {
      summary: 'Review (moved)',
      start: { dateTime: at(6) },
      end: { dateTime: at(6, 11) },
    });
    await sync().syncNow(id);
    const [local] = await mirrored(id);
    expect([local.title, local.start.toISOString(), local.end.toISOString()]).toEqual([
      'Review (moved)',
      at(6),
      at(6, 11),
    ]);
    const edit = await user.client.patch(`/api/calendar/events/${local._id}`, {
      title: 'Review v3',
      version: local.version,
    });
    expect(edit.status, edit.text).toBe(200);
    await sync().idle();
    expect(fake.calendar(email).get(String(review.id)).summary).toBe('Review v3');
    // The echo of our own write: a sync reads it back and changes nothing.
    const version = (await EventModel.findById(local._id).lean<EventDoc>())?.version;
    await sync().syncNow(id);
    expect((await EventModel.findById(local._id).lean<EventDoc>())?.version).toBe(version);
    // A Crewdeck event edited in Google meanwhile: 412 on our stale etag, re-read, Crewdeck's fields win.
    const ours = await user.client.post('/api/calendar/events', { title: 'Standup', start: at(7), end: at(7, 10) });
    expect(ours.status, ours.text).toBe(201);
    await sync().idle();
    const copyId = `cd0${ours.body.event.id}`;
    fake.edit(email, copyId, { attendees: [{ email: email, self: true, responseStatus: 'accepted' }] });
    const moved = await user.client.patch(`/api/calendar/events/${ours.body.event.id}`, {
      title: 'Standup!',
      version: ours.body.event.version,
    });
    expect(moved.status, moved.text).toBe(200);
    await sync().idle();
    const copy = fake.calendar(email).get(copyId);
    expect([copy.summary, copy.attendees?.[0]?.responseStatus]).toEqual(['Standup!', 'accepted']);
  });

  it('a 410 in the middle of paging falls back to a full sync without duplicates', async () => {
    const { email, id } = await newConnected((e) => [1, 2, 3].forEach((d) => fake.seed(e, timed(d, `E${d}`))));
    [4, 5, 6].forEach((d) => fake.seed(email, timed(d, `E${d}`)));
    fake.remove(email, String(fake.events(email)[0].id));
    fake.goneOnNextPage(email);
    await sync().syncNow(id);
    expect(await titles(id)).toEqual(['E2', 'E3', 'E4', 'E5', 'E6']);
    expect((await sync().status(id)).state).toBe('ok');
  });

  it('a crash between writing events and saving the token leaves no duplicate', async () => {
    const { email, id } = await newConnected((e) => fake.seed(e, timed(1, 'A')));
    // No push-triggered sync may run in between: this test drives both syncs itself.
    fake.calendar(email).channels.clear();
    [2, 3, 4, 5].forEach((d) => fake.seed(email, timed(d, `B${d}`)));
    failTokenSave.add(id);
    await sync().syncNow(id);
    expect(await sync().status(id)).toMatchObject({
      state: 'error',
      lastError: expect.stringMatching(/simulated crash/),
    });
    // Pages before the crash were committed; the last page and the token were not.
    expect(await titles(id)).toEqual(['A', 'B2', 'B3']);
    await sync().syncNow(id);
    expect(await titles(id)).toEqual(['A', 'B2', 'B3', 'B4', 'B5']);
    expect((await sync().status(id)).state).toBe('ok');
  });

  it('three workers syncing one user at once: no duplicates, no ghosts', async () => {
    const { email, id } = await newConnected((e) => [1, 2].forEach((d) => fake.seed(e, timed(d, `W${d}`))));
    [3, 4, 5, 6, 7].forEach((d) => fake.seed(email, timed(d, `W${d}`)));
    fake.remove(email, String(fake.events(email)[1].id));
    fake.expireSyncTokens(email);
    const workers = [sync(), ctx.server.google.createWorker(), ctx.server.google.createWorker()];
    await Promise.all(workers.map((w) => w.syncNow(id)));
    expect(await titles(id)).toEqual(['W1', 'W3', 'W4', 'W5', 'W6', 'W7']);
    expect((await sync().status(id)).state).toBe('ok');
  });

  it('reconnect after 14 days: the expired token answers 410, mark and sweep keeps local edits', async () => {
    const { user, email, id } = await newConnected((e) => {
      ['Keep', 'Gone', 'Edited'].forEach((t, i) => fake.seed(e, timed(i + 1, t)));
      fake.seed(e, {
        summary: 'Away',
        eventType: 'outOfOffice',
        start: { dateTime: '2030-03-20T00:00:00Z' },
        end: { dateTime: '2030-03-21T00:00:00Z' },
      });
    });
    expect(await AbsenceModel.countDocuments({ userId: oid(id), source: 'google' })).toBe(1);
    const ours = await user.client.post('/api/calendar/events', { title: 'Ours', start: at(12), end: at(12, 10) });
    expect(ours.status, ours.text).toBe(201);
    await sync().idle();
    const before = await mirrored(id);
    // A local edit not yet in Google (say the push failed): the resync must not undo it.
    await EventModel.updateOne({ _id: before[2]._id }, { $set: { title: 'Edited here' } });
    fake.remove(email, String(fake.events(email).find((e) => e.summary === 'Gone')?.id));
    fake.remove(email, String(fake.events(email).find((e) => e.summary === 'Away')?.id));
    fake.seed(email, timed(8, 'New while away'));
    fake.expireSyncTokens(email);
    await sync().syncNow(id);
    const after = await mirrored(id);
    expect(after.map((e) => e.title)).toEqual(['Keep', 'Edited here', 'New while away']);
    // The out-of-office event deleted while the token was stale leaves no ghost absence either.
    expect(await AbsenceModel.countDocuments({ userId: oid(id), source: 'google' })).toBe(0);
    expect(String(after[0]._id)).toBe(String(before[0]._id));
    const link = (await EventModel.findById(ours.body.event.id).lean<EventDoc>())?.google;
    expect(link?.map((l) => l.eventId)).toEqual([`cd0${ours.body.event.id}`]);
  });

  it('recurring series with an EXDATE, an overridden and a cancelled instance', async () => {
    const { email, id } = await newConnected((e) => {
      const master = fake.seed(e, {
        ...timed(2, 'Standup'),
        recurrence: ['RRULE:FREQ=DAILY;COUNT=5', 'EXDATE;TZID=UTC:20300306T090000'],
      });
      fake.calendar(e).exception(String(master.id), '2030-03-03T09:00:00Z', {
        summary: 'Late standup',
        start: { dateTime: '2030-03-03T11:00:00Z' },
        end: { dateTime: '2030-03-03T12:00:00Z' },
      });
      fake.calendar(e).exception(String(master.id), '2030-03-04T09:00:00Z', { status: 'cancelled' });
    });
    const [series, override] = await EventModel.find({ source: 'google', participants: oid(id) })
      .sort({ recurringEventId: 1 })
      .lean<EventDoc[]>();
    expect(series.rrule).toBe('FREQ=DAILY;COUNT=5');
    expect(series.exdates.map((d) => d.toISOString()).sort()).toEqual([
      '2030-03-04T09:00:00.000Z',
      '2030-03-06T09:00:00.000Z',
    ]);
    expect([override.title, String(override.recurringEventId), override.originalStart?.toISOString()]).toEqual([
      'Late standup',
      String(series._id),
      '2030-03-03T09:00:00.000Z',
    ]);
    const busy = await sync().busyTimes(id, new Date(at(1, 0)), new Date(at(10, 0)));
    expect(busy.map((b) => b.start)).toEqual([
      '2030-03-02T09:00:00.000Z',
      '2030-03-03T11:00:00.000Z',
      '2030-03-05T09:00:00.000Z',
    ]);
    fake.remove(email, String(fake.events(email).find((e) => e.recurrence)?.id));
    await sync().syncNow(id);
    expect(await mirrored(id)).toEqual([]);
  });

  it('invalid_grant: needs reconnect, and the user is told once', async () => {
    fake.accessTokenLifetimeS = 60;
    const { user, email, id } = await newConnected((e) => fake.seed(e, timed(1, 'X')));
    fake.accessTokenLifetimeS = 3599;
    const told: string[] = [];
    sync().onNeedsReconnect = async (userId) => void told.push(userId);
    fake.refreshTokensOf(email).forEach((t) => fake.revoke(t));
    await sync().pollAll();
    await sync().syncNow(id);
    expect(await status(user)).toMatchObject({
      state: 'needsReconnect',
      lastError: expect.stringMatching(/reconnect/),
    });
    expect(told).toEqual([id]);
    sync().onNeedsReconnect = undefined;
  });

  it('a refresh token sealed under another key (the secret key changed) asks to reconnect', async () => {
    const { user, id } = await newConnected();
    const other = new SecretBox(randomBytes(32)).seal('1//refresh-token-under-an-old-key');
    await GoogleConnectionModel.updateOne({ userId: oid(id) }, { $set: { refreshTokenSealed: other } });
    await sync().syncNow(id);
    expect(await status(user)).toMatchObject({ state: 'needsReconnect' });
  });

  it('403 and 429 rate limits are retried with backoff', async () => {
    const { email, id } = await newConnected();
    fake.seed(email, timed(3, 'After the storm'));
    fake.inject(email, 2, '429');
    fake.inject(email, 1, 'rateLimitExceeded');
    fake.inject(email, 1, 'userRateLimitExceeded');
    const before = fake.requestCount(email);
    await sync().syncNow(id);
    expect(await titles(id)).toEqual(['After the storm']);
    expect(fake.requestCount(email) - before).toBeGreaterThanOrEqual(5);
    expect(fake.maxPerMinute(email)).toBeLessThan(600);
  });

  it('deleted on Google: deleted here, and never coming back (not on a full resync, not pushed back)', async () => {
    const { email, id } = await newConnected((e) => fake.seed(e, timed(4, 'Cancelled meeting')));
    const gid = String(fake.events(email)[0].id);
    fake.remove(email, gid);
    await sync().syncNow(id);
    expect(await mirrored(id)).toEqual([]);
    fake.expireSyncTokens(email);
    await sync().syncNow(id);
    await sync().idle();
    expect(await mirrored(id)).toEqual([]);
    expect(fake.calendar(email).get(gid).status).toBe('cancelled');
  });

  it('renews a push channel within 24 h of its expiry (the poll backstop does it) and stops the old one', async () => {
    const { email, id } = await newConnected();
    const [old] = fake.channels(email);
    await sync().pollAll();
    expect(fake.channels(email).map((c) => c.id)).toEqual([old.id]);
    await GoogleConnectionModel.updateOne(
      { userId: oid(id) },
      { $set: { 'channel.expiration': new Date(Date.now() + 3600e3) } },
    );
    await sync().pollAll();
    const now = fake.channels(email);
    expect(now).toHaveLength(1);
    expect(now[0].id).not.toBe(old.id);
    expect((await sync().status(id)).channelExpiresAt).toBe(new Date(now[0].expiration).toISOString());
  });

  it('a push notification with the channel token syncs; a wrong token is refused; disconnect cleans up', async () => {
    const { user, email, id } = await newConnected();
    const channel = fake.channels(email)[0];
    const forged = await ctx.anonymous(null).request('POST', '/api/calendar/google/notifications', {
      headers: { 'x-goog-channel-id': channel.id, 'x-goog-channel-token': 'wrong', 'x-goog-resource-state': 'exists' },
    });
    expect(forged.status).toBe(403);
    fake.seed(email, timed(5, 'Pushed in'));
    let seen: string[] = [];
    for (let i = 0; i < 200 && seen.length === 0; i += 1) {
      seen = await titles(id);
      if (seen.length === 0) await new Promise((r) => setTimeout(r, 25));
    }
    expect(seen).toEqual(['Pushed in']);
    const res = await user.client.post('/api/calendar/google/disconnect');
    expect(res.status, res.text).toBe(200);
    expect(await mirrored(id)).toEqual([]);
    expect((await status(user)).state).toBe('disconnected');
    expect(fake.channels(email)).toEqual([]);
  });
});
