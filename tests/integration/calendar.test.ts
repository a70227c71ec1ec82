import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorBodySchema } from '@crewdeck/shared/errors';
import { eventListSchema, eventResponseSchema, freeBusySchema } from '@crewdeck/shared/calendar';
import { startTestServer, type TestContext, type TestUser } from '../support/server.ts';
import { connectSocket, waitFor, type RecordingSocket } from '../support/socket.ts';

let ctx: TestContext;
let alice: TestUser;
let bob: TestUser;
let lead: TestUser;
let guest: TestUser;
const sockets: RecordingSocket[] = [];

// A Tuesday in January: inside everyone's default hours (Mon–Fri 09–13, 14–18, UTC profiles).
const day = '2027-01-12';
const at = (hhmm: string, d = day) => `${d}T${hhmm}:00.000Z`;

beforeAll(async () => {
  ctx = await startTestServer();
  alice = await ctx.newUser('Member', { name: 'Alice Member' });
  bob = await ctx.newUser('Member', { name: 'Bob Member' });
  lead = await ctx.newUser('Lead', { name: 'Lea Lead' });
  guest = await ctx.newUser('External', {
    name: 'Gus Guest',
    expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
  });
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await ctx?.close();
});

describe('events', () => {
  it('books, lists, moves with the version, answers invitations, and refuses a double booking with the conflicts', async () => {
    const created = await alice.client.post('/api/calendar/events', {
      title: 'Planning',
      start: at('10:00'),
      end: at('11:00'),
      attendees: [bob.user.id],
      location: 'Room 1',
    });
    expect(created.status).toBe(201);
    const { event } = eventResponseSchema.parse(created.body);
    expect(event).toMatchObject({ title: 'Planning', organizerId: alice.user.id, version: 1, busyOnly: false });
    expect(event.attendees).toEqual([{ userId: bob.user.id, name: 'Bob Member', response: 'needsAction' }]);

    // Bob sees it in full (an attendee); the lead sees Bob's time only as busy.
    const bobs = eventListSchema.parse((await bob.client.get(`/api/calendar/events?from=${day}&to=2027-01-13`)).body);
    expect(bobs.events.map((e) => e.title)).toContain('Planning');
    const leadView = eventListSchema.parse(
      (await lead.client.get(`/api/calendar/events?from=${day}&to=2027-01-13&userId=${bob.user.id}`)).body,
    );
    expect(leadView.events).toHaveLength(1);
    expect(leadView.events[0]).toMatchObject({ busyOnly: true, title: '', location: '', attendees: [] });
    expect((await lead.client.get(`/api/calendar/events/${event.id}`)).status).toBe(404);

    // Bob is busy 10:30–11:30: a second booking of him conflicts, with who, when and why.
    const clash = await lead.client.post('/api/calendar/events', {
      title: 'One-on-one',
      start: at('10:30'),
      end: at('11:30'),
      attendees: [bob.user.id],
    });
    expect(clash.status).toBe(409);
    const body = errorBodySchema.parse(clash.body);
    expect(body.error.code).toBe('conflict');
    expect(clash.body.conflicts).toEqual(body.error.conflicts);
    expect(body.error.conflicts).toEqual([
      expect.objectContaining({ userId: bob.user.id, reason: 'event', title: null, eventId: null, start: at('10:00') }),
    ]);
    // "Book anyway": a Lead may, a Member may not.
    const forced = await lead.client.post('/api/calendar/events', {
      title: 'One-on-one',
      start: at('10:30'),
      end: at('11:30'),
      attendees: [bob.user.id],
      force: true,
    });
    expect(forced.status).toBe(201);
    const memberForce = await alice.client.post('/api/calendar/events', {
      title: 'Again',
      start: at('10:30'),
      end: at('11:00'),
      attendees: [bob.user.id],
      force: true,
    });
    expect(memberForce.status).toBe(403);

    // Moving needs the version the caller saw, and is checked like a new booking.
    const stale = await alice.client.patch(`/api/calendar/events/${event.id}`, {
      version: 7,
      start: at('15:00'),
      end: at('16:00'),
    });
    expect(stale.status).toBe(409);
    const moved = await alice.client.patch(`/api/calendar/events/${event.id}`, {
      version: 1,
      start: at('15:00'),
      end: at('16:00'),
    });
    expect(moved.status).toBe(200);
    expect(moved.body.event).toMatchObject({ version: 2, start: at('15:00') });

    const answered = await bob.client.post(`/api/calendar/events/${event.id}/respond`, { response: 'declined' });
    expect(answered.status).toBe(200);
    expect(answered.body.event.attendees[0].response).toBe('declined');
    // Someone who is not invited cannot answer; nobody but the organizer edits.
    expect((await lead.client.post(`/api/calendar/events/${event.id}/respond`, { response: 'accepted' })).status).toBe(
      404,
    );
    expect((await bob.client.patch(`/api/calendar/events/${event.id}`, { version: 3, title: 'Mine now' })).status).toBe(
      403,
    );
    // A declined invitation does not block Bob any more.
    const free = freeBusySchema.parse(
      (await lead.client.get(`/api/calendar/freebusy?users=${bob.user.id}&from=${at('14:00')}&to=${at('17:00')}`)).body,
    );
    expect(free.users[bob.user.id]).toEqual([]);
  });

  it('refuses times outside working hours and on absences, and answers bad input with 400', async () => {
    const night = await alice.client.post('/api/calendar/events', {
      title: 'Late call',
      start: at('20:00'),
      end: at('21:00'),
      attendees: [bob.user.id],
    });
    expect(night.status).toBe(409);
    expect(errorBodySchema.parse(night.body).error.conflicts?.map((c) => c.reason)).toContain('outsideHours');
    const saturday = await alice.client.post('/api/calendar/events', {
      title: 'Weekend',
      start: at('10:00', '2027-01-16'),
      end: at('11:00', '2027-01-16'),
      attendees: [bob.user.id],
    });
    expect(saturday.status).toBe(409);
    // Alone, on her own time, the organizer may plan what she likes (overlaps included).
    const own = await alice.client.post('/api/calendar/events', {
      title: 'Weekend reading',
      start: at('10:00', '2027-01-16'),
      end: at('11:00', '2027-01-16'),
    });
    expect(own.status).toBe(201);
    // A whole-day event takes nobody's time (as in Google): it books Bob even on a busy day.
    const allDay = await alice.client.post('/api/calendar/events', {
      title: 'Release day',
      start: day,
      end: '2027-01-13',
      attendees: [bob.user.id],
    });
    expect(allDay.status, allDay.text).toBe(201);
    // Bob's approved absence blocks him for the whole day (approved by an Owner: Bob has no lead).
    const absence = await bob.client.post('/api/absences', {
      kind: 'vacation',
      startDay: '2027-01-21',
      endDay: '2027-01-21',
    });
    expect(absence.status).toBe(201);
    expect(
      (await ctx.owner.post(`/api/absences/${absence.body.absence.id}/decision`, { decision: 'approved' })).status,
    ).toBe(200);
    const onVacation = await alice.client.post('/api/calendar/events', {
      title: 'Sync',
      start: at('10:00', '2027-01-21'),
      end: at('11:00', '2027-01-21'),
      attendees: [bob.user.id],
    });
    expect(onVacation.status).toBe(409);
    expect(errorBodySchema.parse(onVacation.body).error.conflicts?.map((c) => c.reason)).toEqual(['absence']);

    for (const bad of [
      { title: '', start: at('10:00'), end: at('11:00') },
      { title: 'x', start: at('11:00'), end: at('10:00') },
      { title: 'x', start: 'tomorrow', end: at('10:00') },
      { title: 'x', start: at('10:00'), end: at('11:00'), rrule: 'FREQ=SECONDLY' },
      { title: 'x', start: at('10:00'), end: at('11:00'), rrule: 'FREQ=WEEKLY;COUNT=0' },
      { title: 'x', start: at('10:00'), end: at('11:00'), attendees: ['0123456789abcdef01234567'] },
      { title: 'x'.repeat(201), start: at('10:00'), end: at('11:00') },
      { title: 'x', start: at('10:00'), end: '2027-03-01T00:00:00.000Z' },
      { title: 'x', start: at('10:00'), end: at('11:00'), surprise: true },
    ]) {
      const res = await alice.client.post('/api/calendar/events', bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(errorBodySchema.parse(res.body).error.code).toBe('validation_failed');
    }
    // Control characters and bidi overrides are refused in one-line fields, as everywhere else.
    for (const title of ['Sync\r\nBEGIN:VEVENT', 'Sync \u202e evil', 'Null\u0000byte'])
      expect(
        (
          await alice.client.post('/api/calendar/events', {
            title,
            start: at('16:00', '2027-01-13'),
            end: at('16:30', '2027-01-13'),
          })
        ).status,
        JSON.stringify(title),
      ).toBe(400);
    const hostile = await alice.client.post('/api/calendar/events', {
      title: '<script>alert(1)</script>; DROP TABLE "events"',
      start: at('16:00', '2027-01-13'),
      end: at('16:30', '2027-01-13'),
      description: '"; DROP TABLE; 🙂 سلام\nsecond line',
    });
    expect(hostile.status).toBe(201);
    expect(hostile.body.event.title).toBe('<script>alert(1)</script>; DROP TABLE "events"');
    expect(hostile.body.event.description).toBe('"; DROP TABLE; 🙂 سلام\nsecond line');
  });

  it('100 concurrent bookings of one person in one slot give exactly one 201', async () => {
    const target = await ctx.newUser('Member', { name: 'Busy Bee' });
    const requests = Array.from({ length: 100 }, (_, i) =>
      (i % 2 === 0 ? lead : alice).client.post('/api/calendar/events', {
        title: `Race ${i}`,
        start: at('09:00', '2027-01-14'),
        end: at('09:30', '2027-01-14'),
        attendees: [target.user.id],
      }),
    );
    const results = await Promise.all(requests);
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(99);
    const list = eventListSchema.parse(
      (await target.client.get(`/api/calendar/events?from=2027-01-14&to=2027-01-15`)).body,
    );
    expect(list.events).toHaveLength(1);
  });

  it('expands a weekly series across DST in its zone, with a cancelled and a moved occurrence', async () => {
    // 09:00 in New York every Monday from February to April 2027 (DST starts 2027-03-14).
    const ny = await ctx.newUser('Member', { name: 'Nia York' });
    await ny.client.put(`/api/users/${ny.user.id}/schedule`, {
      timeZone: 'America/New_York',
      // Days left out have no hours.
      hours: { mon: [{ start: '08:00', end: '18:00' }] },
    });
    const series = await ny.client.post('/api/calendar/events', {
      title: 'Standup',
      start: '2027-03-01T14:00:00.000Z',
      end: '2027-03-01T14:15:00.000Z',
      timeZone: 'America/New_York',
      rrule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=6',
    });
    expect(series.status, JSON.stringify(series.body)).toBe(201);
    const id = series.body.event.id as string;
    const list = async () =>
      eventListSchema.parse((await ny.client.get(`/api/calendar/events?from=2027-02-25&to=2027-04-30`)).body).events;
    const first = await list();
    expect(first.map((e) => e.start)).toEqual([
      '2027-03-01T14:00:00.000Z',
      '2027-03-08T14:00:00.000Z',
      '2027-03-15T13:00:00.000Z',
      '2027-03-22T13:00:00.000Z',
      '2027-03-29T13:00:00.000Z',
      '2027-04-05T13:00:00.000Z',
    ]);
    // Cancel 03-08, move 03-22 to 10:00 local.
    const cancelled = await ny.client.delete(`/api/calendar/events/${id}?version=1&instance=2027-03-08T14:00:00.000Z`);
    expect(cancelled.status).toBe(200);
    const movedOne = await ny.client.patch(`/api/calendar/events/${id}`, {
      version: 2,
      instance: '2027-03-22T13:00:00.000Z',
      start: '2027-03-22T14:00:00.000Z',
      end: '2027-03-22T14:15:00.000Z',
      title: 'Standup (late)',
    });
    expect(movedOne.status, JSON.stringify(movedOne.body)).toBe(200);
    const after = await list();
    expect(after.map((e) => [e.start, e.title])).toEqual([
      ['2027-03-01T14:00:00.000Z', 'Standup'],
      ['2027-03-15T13:00:00.000Z', 'Standup'],
      ['2027-03-22T14:00:00.000Z', 'Standup (late)'],
      ['2027-03-29T13:00:00.000Z', 'Standup'],
      ['2027-04-05T13:00:00.000Z', 'Standup'],
    ]);
    expect(after[2]).toMatchObject({ recurring: true, originalStart: '2027-03-22T13:00:00.000Z' });
  });
});

describe('team calendars', () => {
  it('members read and write by their access; a guest without access sees nothing; feed entries reach viewers only', async () => {
    const created = await lead.client.post('/api/calendar/calendars', {
      name: 'Sales team',
      members: [
        { userId: alice.user.id, access: 'write' },
        { userId: guest.user.id, access: 'read' },
      ],
    });
    expect(created.status).toBe(201);
    const calendarId = created.body.calendar.id as string;
    expect((await alice.client.post('/api/calendar/calendars', { name: 'Mine' })).status).toBe(403);

    const bobSocket = connectSocket(ctx.url, bob.client);
    const guestSocket = connectSocket(ctx.url, guest.client);
    sockets.push(bobSocket, guestSocket);
    await Promise.all([bobSocket.ready, guestSocket.ready]);

    const ev = await alice.client.post('/api/calendar/events', {
      title: 'Team offsite',
      calendarId,
      start: '2027-02-02',
      end: '2027-02-03',
    });
    expect(ev.status, JSON.stringify(ev.body)).toBe(201);
    expect(ev.body.event).toMatchObject({ allDay: true, startDay: '2027-02-02', endDay: '2027-02-03' });
    expect(
      (
        await guest.client.post('/api/calendar/events', {
          title: 'x',
          calendarId,
          start: '2027-02-04',
          end: '2027-02-05',
        })
      ).status,
    ).toBe(403);
    expect(
      (await bob.client.get(`/api/calendar/events?from=2027-02-01&to=2027-02-10&calendarId=${calendarId}`)).status,
    ).toBe(404);
    const guestList = eventListSchema.parse(
      (await guest.client.get(`/api/calendar/events?from=2027-02-01&to=2027-02-10&calendarId=${calendarId}`)).body,
    );
    expect(guestList.events.map((e) => e.title)).toEqual(['Team offsite']);
    // Guests do not see other people's busy times.
    expect(
      (await guest.client.get(`/api/calendar/freebusy?users=${bob.user.id}&from=${day}&to=2027-01-13`)).status,
    ).toBe(403);

    await waitFor(() => guestSocket.feed.some((e) => e.type === 'calendar.event.created'));
    expect(bobSocket.feed.some((e) => e.type === 'calendar.event.created' && e.resource.id === ev.body.event.id)).toBe(
      false,
    );
  });
});

describe('free/busy and slots', () => {
  it('merges busy time and proposes slots inside everyone’s hours', async () => {
    const p1 = await ctx.newUser('Member', { name: 'Pat One' });
    const p2 = await ctx.newUser('Member', { name: 'Pat Two' });
    const d = '2027-01-19';
    expect(
      (await p1.client.post('/api/calendar/events', { title: 'a', start: at('09:00', d), end: at('10:00', d) })).status,
    ).toBe(201);
    expect(
      (await p2.client.post('/api/calendar/events', { title: 'b', start: at('09:30', d), end: at('11:00', d) })).status,
    ).toBe(201);
    const fb = freeBusySchema.parse(
      (await lead.client.get(`/api/calendar/freebusy?users=${p1.user.id},${p2.user.id}&from=${d}&to=2027-01-20`)).body,
    );
    expect(fb.users[p1.user.id]).toEqual([{ start: at('09:00', d), end: at('10:00', d) }]);
    expect(fb.users[p2.user.id]).toEqual([{ start: at('09:30', d), end: at('11:00', d) }]);
    // Asked again after a change (busy times are cached per person, checked against a stamp).
    const later = await p1.client.post('/api/calendar/events', {
      title: 'c',
      start: at('14:00', d),
      end: at('15:00', d),
    });
    expect(later.status).toBe(201);
    const again = freeBusySchema.parse(
      (await lead.client.get(`/api/calendar/freebusy?users=${p1.user.id},${p2.user.id}&from=${d}&to=2027-01-20`)).body,
    );
    expect(again.users[p1.user.id]).toEqual([
      { start: at('09:00', d), end: at('10:00', d) },
      { start: at('14:00', d), end: at('15:00', d) },
    ]);
    expect((await p1.client.delete(`/api/calendar/events/${later.body.event.id}?version=1`)).status).toBe(200);
    const third = freeBusySchema.parse(
      (await lead.client.get(`/api/calendar/freebusy?users=${p1.user.id}&from=${d}&to=2027-01-20`)).body,
    );
    expect(third.users[p1.user.id]).toEqual([{ start: at('09:00', d), end: at('10:00', d) }]);
    const slots = await lead.client.get(
      `/api/calendar/slots?users=${p1.user.id},${p2.user.id}&from=${d}&to=2027-01-20&duration=60&limit=2`,
    );
    expect(slots.status).toBe(200);
    expect(slots.body.slots).toEqual([
      { start: at('11:00', d), end: at('12:00', d) },
      { start: at('12:00', d), end: at('13:00', d) },
    ]);
    expect((await lead.client.get(`/api/calendar/freebusy?users=nope&from=${d}&to=2027-01-20`)).status).toBe(400);
    expect((await lead.client.get(`/api/calendar/freebusy?users=${p1.user.id}&from=2027-01-20&to=${d}`)).status).toBe(
      400,
    );
  });
});

describe('iCal subscription', () => {
  it('serves the feed by its secret address with ETag/304, parses, and stops at once after rotation', async () => {
    const address = await alice.client.get('/api/calendar/feed');
    expect(address.status).toBe(200);
    expect(address.body.webcal).toMatch(/^webcal:\/\//);
    const path = new URL(address.body.url as string).pathname;
    const anon = ctx.anonymous(null);
    const feed = await anon.get(path);
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toMatch(/^text\/calendar/);
    const jcal = ICAL.parse(feed.text);
    const titles = new ICAL.Component(jcal)
      .getAllSubcomponents('vevent')
      .map((v) => v.getFirstPropertyValue('summary'));
    expect(titles).toContain('Planning');
    const etag = feed.headers.get('etag') ?? '';
    expect(etag).not.toBe('');
    expect((await anon.request('GET', path, { headers: { 'if-none-match': etag } })).status).toBe(304);
    // A change gives a new body and a new validator (bodies are kept by ETag, never served stale).
    const mine = (
      await alice.client.post('/api/calendar/events', {
        title: 'Fresh in the feed',
        start: '2027-02-10',
        end: '2027-02-11',
      })
    ).body.event;
    const changed = await anon.get(path);
    expect(changed.text).toContain('Fresh in the feed');
    expect(changed.headers.get('etag')).not.toBe(etag);
    await alice.client.patch(`/api/calendar/events/${mine.id}`, { version: 1, title: 'Renamed in the feed' });
    const renamed = await anon.get(path);
    expect(renamed.text).toContain('Renamed in the feed');
    expect(renamed.text).not.toContain('Fresh in the feed');

    const rotated = await alice.client.post('/api/calendar/feed/rotate');
    expect(rotated.status).toBe(200);
    expect((await anon.get(path)).status).toBe(404);
    expect((await anon.get(new URL(rotated.body.url as string).pathname)).status).toBe(200);
    expect((await anon.get('/api/calendar/feeds/not-a-token-at-all-xxxxxxxx.ics')).status).toBe(404);
    expect((await anon.get('/api/calendar/feeds/..%2F..%2Fetc.ics')).status).toBe(400);
  });
});

describe('notifications', () => {
  it('invites, tells of a move and a cancellation, tells the organizer of an answer, and reminds once', async () => {
    const org = await ctx.newUser('Member', { name: 'Olga Organizer' });
    const guestOne = await ctx.newUser('Member', { name: 'Ivan Invitee' });
    const kinds = async (u: TestUser) =>
      (await u.client.get('/api/notifications')).body.items.map((n: { kind: string }) => n.kind) as string[];
    const d = '2027-01-20';
    const created = await org.client.post('/api/calendar/events', {
      title: 'Review',
      start: at('11:00', d),
      end: at('12:00', d),
      attendees: [guestOne.user.id],
      reminders: [10],
    });
    expect(created.status).toBe(201);
    const id = created.body.event.id as string;
    await expect.poll(() => kinds(guestOne)).toContain('eventInvited');
    const invitation = (await guestOne.client.get('/api/notifications')).body.items[0];
    expect(invitation).toMatchObject({ task: null, projectId: null, subject: { kind: 'event', id, title: 'Review' } });
    await guestOne.client.post(`/api/calendar/events/${id}/respond`, { response: 'accepted' });
    await expect.poll(() => kinds(org)).toContain('eventResponded');
    await org.client.patch(`/api/calendar/events/${id}`, { version: 2, start: at('15:00', d), end: at('16:00', d) });
    await expect.poll(() => kinds(guestOne)).toContain('eventChanged');

    // The reminder 10 minutes before 15:00, raised once even if two sweeps overlap.
    const before = new Date(`${d}T14:45:00.000Z`);
    const due = new Date(`${d}T14:51:00.000Z`);
    expect(await ctx.server.sweepReminders(before, due)).toBe(2);
    expect(await ctx.server.sweepReminders(before, due)).toBe(0);
    await expect.poll(async () => (await kinds(guestOne)).filter((k) => k === 'eventReminder').length).toBe(1);

    const current = (await org.client.get(`/api/calendar/events/${id}`)).body.event;
    expect((await org.client.delete(`/api/calendar/events/${id}?version=${current.version}`)).status).toBe(200);
    await expect.poll(() => kinds(guestOne)).toContain('eventCancelled');
    expect((await org.client.get(`/api/calendar/events/${id}`)).status).toBe(404);
  });
});

describe('calendar feed entries on resume', () => {
  it('a client that was away receives the entries of events it may see, and only those', async () => {
    const me = await ctx.newUser('Member', { name: 'Rita Resume' });
    const stranger = await ctx.newUser('Member', { name: 'Sam Stranger' });
    const latest = (await me.client.get('/api/feed?limit=1')).body.latestSeq as number;
    const strangerLatest = (await stranger.client.get('/api/feed?limit=1')).body.latestSeq as number;
    const d = '2027-01-26';
    const made = await lead.client.post('/api/calendar/events', {
      title: 'While you were away',
      start: at('10:00', d),
      end: at('11:00', d),
      attendees: [me.user.id],
    });
    expect(made.status).toBe(201);
    await lead.client.patch(`/api/calendar/events/${made.body.event.id}`, { version: 1, title: 'Renamed while away' });
    const back = connectSocket(ctx.url, me.client, { lastSeq: latest });
    const other = connectSocket(ctx.url, stranger.client, { lastSeq: strangerLatest });
    sockets.push(back, other);
    await Promise.all([back.ready, other.ready]);
    await waitFor(() => back.feed.filter((e) => e.resource.id === made.body.event.id).length >= 2);
    expect(back.feed.filter((e) => e.resource.id === made.body.event.id).map((e) => e.type)).toEqual([
      'calendar.event.created',
      'calendar.event.updated',
    ]);
    expect(other.feed.some((e) => e.resource.id === made.body.event.id)).toBe(false);
  });
});
