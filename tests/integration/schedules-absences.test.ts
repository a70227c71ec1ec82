import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { absenceListSchema, absenceResponseSchema, userScheduleResponseSchema } from '@crewdeck/shared/calendar';
import { defaultSchedule, type WorkSchedule } from '@crewdeck/shared/schedules';
import { createAvailability } from '../../server/src/schedules/schedules.module.ts';
import type { Availability } from '../../server/src/schedules/availability.ts';
import { behindSchedule } from '../../server/src/schedules/behind-schedule.ts';
import { publicHolidays } from '../../server/src/schedules/holidays.ts';
import { removeMirroredAbsence, upsertMirroredAbsence } from '../../server/src/schedules/absences.repository.ts';
import { UsersRepository } from '../../server/src/users/users.repository.ts';
import { startTestServer, type TestContext, type TestUser } from '../support/server.ts';

let ctx: TestContext;
let lead: TestUser;
let member: TestUser;
let outsider: TestUser;
// The server runs in this process on the same mongoose connection: the test reads availability
// exactly as the booking check and the workload check do.
let availability: Availability;

const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const hoursOn = (days: Partial<Record<(typeof weekdays)[number], { start: string; end: string }[]>>) =>
  Object.fromEntries(weekdays.map((d) => [d, days[d] ?? []])) as WorkSchedule['hours'];

beforeAll(async () => {
  ctx = await startTestServer();
  lead = await ctx.newUser('Lead');
  member = await ctx.newUser('Member');
  outsider = await ctx.newUser('Member');
  const group = await ctx.owner.post('/api/groups', { name: 'Design', members: [lead.user.id, member.user.id] });
  expect(group.status, group.text).toBe(201);
  // The leads' group membership is in their session's actor: sign in again to pick it up.
  for (const u of [lead, member]) expect((await u.client.login(u.login, u.password)).status).toBe(200);
  availability = createAvailability(new UsersRepository());
});
afterAll(async () => {
  await ctx?.close();
});

describe('working schedules', () => {
  it('starts at the default hours and round-trips several intervals a day', async () => {
    const initial = await member.client.get(`/api/users/${member.user.id}/schedule`);
    expect(initial.status, initial.text).toBe(200);
    const first = userScheduleResponseSchema.parse(initial.body).schedule;
    expect(first).toMatchObject({ custom: false, holidayCountry: null, daysOff: [], timeZone: 'UTC' });
    expect(first.hours).toEqual(defaultSchedule('UTC').hours);
    const hours = hoursOn({
      mon: [
        { start: '08:00', end: '10:00' },
        { start: '10:30', end: '12:00' },
        { start: '13:00', end: '17:30' },
      ],
      wed: [{ start: '00:00', end: '24:00' }],
      sat: [{ start: '10:00', end: '14:00' }],
    });
    const put = await member.client.put(`/api/users/${member.user.id}/schedule`, {
      timeZone: 'Europe/Moscow',
      hours,
      holidayCountry: 'RU',
      daysOff: ['2031-05-05', '2031-05-04', '2031-05-05'],
    });
    expect(put.status, put.text).toBe(200);
    const again = userScheduleResponseSchema.parse(
      (await member.client.get(`/api/users/${member.user.id}/schedule`)).body,
    );
    expect(again.schedule).toMatchObject({
      userId: member.user.id,
      timeZone: 'Europe/Moscow',
      hours,
      holidayCountry: 'RU',
      daysOff: ['2031-05-04', '2031-05-05'],
      custom: true,
      abilities: { 'schedule.manage': true },
    });
    // The next Russian Christmas (7 January) is always within the next twelve months.
    const today = DateTime.now().setZone('Europe/Moscow');
    const christmasYear = today.month === 1 && today.day > 7 ? today.year + 1 : today.year + (today.month > 1 ? 1 : 0);
    expect(again.holidays.map((h) => h.day)).toContain(`${christmasYear}-01-07`);
    expect(again.holidays.every((h) => h.day >= (today.toISODate() ?? ''))).toBe(true);
    // Journaled, with the changed fields.
    const journal = await ctx.owner.get(`/api/audit?action=schedule.update&code=${member.user.code}`);
    expect(journal.status, journal.text).toBe(200);
    expect(journal.body.items[0].comment).toContain('Europe/Moscow');
    // Other people see it (people.read), as they see the profile.
    expect((await outsider.client.get(`/api/users/${member.user.id}/schedule`)).body.schedule.abilities).toEqual({
      'schedule.manage': false,
    });
  });

  it('refuses overlapping, reversed and impossible hours with field paths', async () => {
    const bad = await member.client.put(`/api/users/${member.user.id}/schedule`, {
      timeZone: 'UTC',
      hours: hoursOn({
        mon: [
          { start: '09:00', end: '12:00' },
          { start: '11:00', end: '13:00' },
        ],
        tue: [{ start: '17:00', end: '09:00' }],
        wed: [{ start: '25:00', end: '26:00' }],
      }),
    });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(
      ['hours.mon', 'hours.tue.0.end', 'hours.wed.0.end', 'hours.wed.0.start'].sort(),
    );
    const missingDay = await member.client.put(`/api/users/${member.user.id}/schedule`, {
      timeZone: 'Not/AZone',
      hours: { mon: [] },
    });
    expect(missingDay.status).toBe(400);
    expect(missingDay.body.error.fields).toHaveProperty('timeZone');
    // A weekday left out has no hours: not an error of its own.
    expect(missingDay.body.error.fields).not.toHaveProperty('hours.tue');
    const country = await member.client.put(`/api/users/${member.user.id}/schedule`, {
      timeZone: 'UTC',
      hours: hoursOn({}),
      holidayCountry: 'QQ',
    });
    expect(country.status).toBe(400);
    expect(country.body.error.fields).toHaveProperty('holidayCountry');
  });

  it('a Member cannot set someone else’s hours; a Lead can for their group, not outside it', async () => {
    const body = { timeZone: 'UTC', hours: hoursOn({ mon: [{ start: '09:00', end: '17:00' }] }) };
    expect((await outsider.client.put(`/api/users/${member.user.id}/schedule`, body)).status).toBe(403);
    const byLead = await lead.client.put(`/api/users/${member.user.id}/schedule`, { ...body, holidayCountry: null });
    expect(byLead.status, byLead.text).toBe(200);
    expect(byLead.body.schedule.hours.mon).toEqual([{ start: '09:00', end: '17:00' }]);
    expect((await lead.client.put(`/api/users/${outsider.user.id}/schedule`, body)).status).toBe(403);
    const denied = await ctx.owner.get(`/api/audit?action=access.denied&code=${outsider.user.code}`);
    expect(denied.body.items[0]).toMatchObject({ permission: 'schedule.manage' });
    expect((await ctx.owner.put(`/api/users/${outsider.user.id}/schedule`, body)).status).toBe(200);
    expect((await member.client.get('/api/users/0123456789abcdef01234567/schedule')).status).toBe(404);
  });

  it('public holidays: Russia’s Christmas and Iran’s Nowruz, one entry per day', () => {
    const ru = publicHolidays('RU', '2027-01-01', '2027-01-10').map((h) => h.day);
    expect(ru).toContain('2027-01-07');
    // The New Year holidays span several days; each is a day off of its own.
    expect(ru).toEqual(expect.arrayContaining(['2027-01-01', '2027-01-02', '2027-01-05', '2027-01-08']));
    const ir = publicHolidays('IR', '2027-03-15', '2027-03-31');
    expect(ir.filter((h) => /Nowruz/.test(h.name)).map((h) => h.day)).toEqual(
      expect.arrayContaining(['2027-03-21', '2027-03-22', '2027-03-23', '2027-03-24']),
    );
    expect(publicHolidays('DE-BY', '2027-01-06', '2027-01-06').map((h) => h.day)).toEqual(['2027-01-06']);
    expect(publicHolidays('DE-BE', '2027-01-06', '2027-01-06')).toEqual([]);
    expect(publicHolidays(null, '2027-01-01', '2027-12-31')).toEqual([]);
  });

  it('Iran’s holidays through the API include the next Nowruz', async () => {
    const person = await ctx.newUser('Member');
    const res = await person.client.put(`/api/users/${person.user.id}/schedule`, {
      timeZone: 'Asia/Tehran',
      hours: hoursOn({ sat: [{ start: '08:00', end: '16:00' }] }),
      holidayCountry: 'IR',
    });
    expect(res.status, res.text).toBe(200);
    // Nowruz (20 or 21 March, four days off) always falls within the next twelve months.
    const nowruz = (res.body.holidays as { day: string; name: string }[]).filter((h) => h.name === 'Nowruz');
    expect(nowruz.length).toBeGreaterThanOrEqual(2);
    expect(nowruz.every((h) => /-03-(19|2\d)$/.test(h.day))).toBe(true);
  });

  it('working windows follow local wall time across the New York DST change', async () => {
    const person = await ctx.newUser('Member');
    const nineToFive = [{ start: '09:00', end: '17:00' }];
    const put = await person.client.put(`/api/users/${person.user.id}/schedule`, {
      timeZone: 'America/New_York',
      hours: hoursOn({ mon: nineToFive, tue: nineToFive, wed: nineToFive, thu: nineToFive, fri: nineToFive }),
    });
    expect(put.status, put.text).toBe(200);
    const windows = await availability.workingWindows(
      [person.user.id],
      new Date('2026-03-06T00:00:00Z'),
      new Date('2026-03-10T00:00:00Z'),
    );
    expect(windows.get(person.user.id)?.map((w) => [w.start.toISOString(), w.end.toISOString()])).toEqual([
      ['2026-03-06T14:00:00.000Z', '2026-03-06T22:00:00.000Z'],
      ['2026-03-09T13:00:00.000Z', '2026-03-09T21:00:00.000Z'],
    ]);
    // Clipped to the range asked for, and 8 h per day.
    expect(
      await availability.remainingHours(
        person.user.id,
        new Date('2026-03-09T17:00:00Z'),
        new Date('2026-03-11T00:00:00Z'),
      ),
    ).toBe(4 + 8);
  });

  it('holidays and days off leave no working window', async () => {
    const person = await ctx.newUser('Member');
    const day = [{ start: '09:00', end: '18:00' }];
    await person.client.put(`/api/users/${person.user.id}/schedule`, {
      timeZone: 'Europe/Moscow',
      hours: hoursOn({ mon: day, tue: day, wed: day, thu: day, fri: day }),
      holidayCountry: 'RU',
      daysOff: ['2027-01-13'],
    });
    const hours = await availability.dailyHours(person.user.id, '2027-01-06', '2027-01-13');
    expect(Object.fromEntries(hours)).toEqual({
      '2027-01-06': 0, // New Year holidays
      '2027-01-07': 0, // Christmas
      '2027-01-08': 0,
      '2027-01-09': 0, // Saturday
      '2027-01-10': 0,
      '2027-01-11': 9,
      '2027-01-12': 9,
      '2027-01-13': 0, // personal day off
    });
  });
});

describe('absences', () => {
  it('request → pending → approved by the lead → in availability; the feed goes to the person and the lead only', async () => {
    const zone = await member.client.put(`/api/users/${member.user.id}/schedule`, {
      timeZone: 'Europe/Moscow',
      hours: defaultSchedule('Europe/Moscow').hours,
    });
    expect(zone.status, zone.text).toBe(200);
    const hostile = '<img src=x onerror=alert(1)> «‮RTL» 🌴\nline two';
    const req = await member.client.post('/api/absences', {
      kind: 'vacation',
      startDay: '2031-06-02',
      endDay: '2031-06-06',
      note: hostile,
    });
    expect(req.status, req.text).toBe(201);
    const pending = absenceResponseSchema.parse(req.body).absence;
    expect(pending).toMatchObject({ status: 'pending', userId: member.user.id, note: hostile, source: 'crewdeck' });
    expect(pending.abilities['absence.approve']).toBe(false);
    const from = new Date('2031-06-01T00:00:00Z');
    const to = new Date('2031-06-10T00:00:00Z');
    expect((await availability.absences([member.user.id], from, to)).get(member.user.id)).toEqual([]);

    const seen = absenceListSchema.parse((await lead.client.get('/api/absences?status=pending')).body);
    expect(seen.items.find((a) => a.id === pending.id)?.abilities['absence.approve']).toBe(true);
    expect((await outsider.client.get('/api/absences')).body.items.map((a: { id: string }) => a.id)).not.toContain(
      pending.id,
    );
    // A Member may approve nothing: refused by the role before the absence is even looked up.
    expect((await outsider.client.post(`/api/absences/${pending.id}/decision`, { decision: 'approved' })).status).toBe(
      403,
    );
    expect((await member.client.post(`/api/absences/${pending.id}/decision`, { decision: 'approved' })).status).toBe(
      403,
    );

    const approved = await lead.client.post(`/api/absences/${pending.id}/decision`, { decision: 'approved' });
    expect(approved.status, approved.text).toBe(200);
    expect(approved.body.absence).toMatchObject({ status: 'approved', decidedBy: lead.user.id });
    expect((await lead.client.post(`/api/absences/${pending.id}/decision`, { decision: 'rejected' })).status).toBe(409);

    // Her zone is Moscow: the days are Moscow days (UTC+3).
    const list = (await availability.absences([member.user.id], from, to)).get(member.user.id);
    expect(list).toEqual([
      {
        id: pending.id,
        kind: 'vacation',
        start: new Date('2031-06-01T21:00:00.000Z'),
        end: new Date('2031-06-06T21:00:00.000Z'),
      },
    ]);

    const feedTypes = async (u: TestUser) =>
      ((await u.client.get('/api/feed?after=0&limit=100')).body.items as { type: string; resource: { id: string } }[])
        .filter((e) => e.resource.id === pending.id)
        .map((e) => e.type);
    expect(await feedTypes(member)).toEqual(['absence.requested', 'absence.decided']);
    expect(await feedTypes(lead)).toEqual(['absence.requested', 'absence.decided']);
    expect(await feedTypes(outsider)).toEqual([]);
    const notes = (await member.client.get('/api/notifications')).body.items as { kind: string; subject: unknown }[];
    expect(notes.find((n) => n.kind === 'absenceDecided')?.subject).toMatchObject({ kind: 'absence', id: pending.id });
    const leadNotes = (await lead.client.get('/api/notifications')).body.items as { kind: string }[];
    expect(leadNotes.some((n) => n.kind === 'absenceRequested')).toBe(true);
  });

  it('refuses self-approval, overlaps (409) and control characters; the requester cancels', async () => {
    const own = await lead.client.post('/api/absences', {
      kind: 'dayOff',
      startDay: '2031-07-01',
      endDay: '2031-07-01',
    });
    expect(own.status, own.text).toBe(201);
    expect(own.body.absence.status).toBe('pending');
    const self = await lead.client.post(`/api/absences/${own.body.absence.id}/decision`, { decision: 'approved' });
    expect(self.status).toBe(403);
    expect(
      (await ctx.owner.post(`/api/absences/${own.body.absence.id}/decision`, { decision: 'approved' })).status,
    ).toBe(200);

    const overlap = await lead.client.post('/api/absences', {
      kind: 'sick',
      startDay: '2031-06-30',
      endDay: '2031-07-02',
    });
    expect(overlap.status).toBe(409);
    expect(overlap.body.error.fields).toHaveProperty('startDay');
    const control = await lead.client.post('/api/absences', {
      kind: 'sick',
      startDay: '2031-08-01',
      endDay: '2031-08-01',
      note: 'bell\u0007',
    });
    expect(control.status).toBe(400);
    expect(control.body.error.fields).toHaveProperty('note');
    const reversed = await lead.client.post('/api/absences', {
      kind: 'sick',
      startDay: '2031-08-02',
      endDay: '2031-08-01',
    });
    expect(reversed.status).toBe(400);

    const cancelled = await lead.client.delete(`/api/absences/${own.body.absence.id}`);
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(cancelled.body.absence.status).toBe('cancelled');
    // The days are free again.
    const again = await lead.client.post('/api/absences', {
      kind: 'sick',
      startDay: '2031-06-30',
      endDay: '2031-07-02',
    });
    expect(again.status, again.text).toBe(201);
  });

  it('a lead books an absence for their group member approved; not for someone outside', async () => {
    const booked = await lead.client.post('/api/absences', {
      kind: 'remote',
      startDay: '2031-09-01',
      endDay: '2031-09-02',
      userId: member.user.id,
    });
    expect(booked.status, booked.text).toBe(201);
    expect(booked.body.absence).toMatchObject({ status: 'approved', userId: member.user.id, decidedBy: lead.user.id });
    const outside = await lead.client.post('/api/absences', {
      kind: 'remote',
      startDay: '2031-09-01',
      endDay: '2031-09-02',
      userId: outsider.user.id,
    });
    expect(outside.status).toBe(403);
    const byMember = await member.client.post('/api/absences', {
      kind: 'remote',
      startDay: '2031-10-01',
      endDay: '2031-10-01',
      userId: outsider.user.id,
    });
    expect(byMember.status).toBe(403);
  });

  it('mirrored Google absences are approved, unique per event, and removable', async () => {
    const input = {
      userId: outsider.user.id,
      googleEventId: 'ooo123',
      startDay: '2031-11-03',
      endDay: '2031-11-04',
      title: 'OOO',
    };
    await upsertMirroredAbsence(input);
    await upsertMirroredAbsence({ ...input, endDay: '2031-11-05' });
    const from = new Date('2031-11-01T00:00:00Z');
    const to = new Date('2031-11-10T00:00:00Z');
    const list = (await availability.absences([outsider.user.id], from, to)).get(outsider.user.id) ?? [];
    expect(list.map((a) => [a.start.toISOString(), a.end.toISOString()])).toEqual([
      ['2031-11-03T00:00:00.000Z', '2031-11-06T00:00:00.000Z'],
    ]);
    const shown = (await outsider.client.get('/api/absences')).body.items as { source: string; note: string }[];
    expect(shown).toEqual([expect.objectContaining({ source: 'google', note: 'OOO', status: 'approved' })]);
    await removeMirroredAbsence(outsider.user.id, 'ooo123');
    expect((await availability.absences([outsider.user.id], from, to)).get(outsider.user.id)).toEqual([]);
  });
});

describe('workload on real schedules', () => {
  it('a person working only Mon/Tue 4 h is overloaded by a 10 h task due in a week; the default person is not', async () => {
    const part = await ctx.newUser('Member');
    const full = await ctx.newUser('Member');
    const four = [{ start: '09:00', end: '13:00' }];
    const put = await part.client.put(`/api/users/${part.user.id}/schedule`, {
      timeZone: 'UTC',
      hours: hoursOn({ mon: four, tue: four }),
    });
    expect(put.status, put.text).toBe(200);
    const p = await ctx.newProject({
      members: [
        { user: part, role: 'member' },
        { user: full, role: 'member' },
      ],
    });
    const task = (assignee: TestUser, extra: Record<string, unknown> = {}) =>
      ctx.owner.post(`/api/projects/${p.id}/tasks`, {
        title: 'Ten hours',
        estimate: 10,
        startDate: '2031-03-10', // a Monday
        dueDate: '2031-03-16',
        assignees: [assignee.user.id],
        ...extra,
      });
    const overloaded = await task(part);
    expect(overloaded.status).toBe(409);
    expect(overloaded.body.error.fields).toEqual({
      [`overload.${part.user.id}.2031-03-10`]: '5 h planned of 4 h',
      [`overload.${part.user.id}.2031-03-11`]: '5 h planned of 4 h',
    });
    expect((await task(full)).status).toBe(201);
    expect((await task(part, { force: true })).status).toBe(201);
    const load = (await part.client.get('/api/workload?from=2031-03-10&to=2031-03-12')).body;
    expect(load).toEqual({
      userId: part.user.id,
      capacity: 4,
      days: [
        { date: '2031-03-10', planned: 5, over: true },
        { date: '2031-03-11', planned: 5, over: true },
        { date: '2031-03-12', planned: 0, over: false },
      ],
    });
    // An approved absence on Monday moves all of it to Tuesday.
    const off = await ctx.owner.post('/api/absences', {
      kind: 'dayOff',
      startDay: '2031-03-10',
      endDay: '2031-03-10',
      userId: part.user.id,
    });
    expect(off.status, off.text).toBe(201);
    const after = (await part.client.get('/api/workload?from=2031-03-10&to=2031-03-11')).body;
    expect(after.days).toEqual([
      { date: '2031-03-10', planned: 0, over: false },
      { date: '2031-03-11', planned: 10, over: true },
    ]);
  });

  it('behind schedule: the remaining estimate against the assignee’s remaining hours', async () => {
    const person = await ctx.newUser('Member');
    const four = [{ start: '09:00', end: '13:00' }];
    await person.client.put(`/api/users/${person.user.id}/schedule`, {
      timeZone: 'America/New_York',
      hours: hoursOn({ mon: four, tue: four }),
    });
    const now = new Date('2031-03-10T12:00:00Z'); // Monday 08:00 in New York: 8 h left by Tuesday's end
    const task = {
      estimate: 12,
      loggedHours: 1,
      dueDate: new Date('2031-03-11T00:00:00Z'),
      assignees: [person.user.id],
      done: false,
    };
    expect(await behindSchedule(availability, task, now)).toBe(3);
    expect(await behindSchedule(availability, { ...task, loggedHours: 3.8 }, now)).toBe(0.5);
    expect(await behindSchedule(availability, { ...task, loggedHours: 4 }, now)).toBe(0);
    expect(await behindSchedule(availability, { ...task, done: true }, now)).toBe(0);
    // Past the due day nothing is left: the whole remainder is behind.
    expect(await behindSchedule(availability, task, new Date('2031-03-13T00:00:00Z'))).toBe(11);
  });
});
