import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import mongoose from 'mongoose';
import nodeIcal, { type VEvent } from 'node-ical';
import { afterEach, describe, expect, it } from 'vitest';
import type { CalendarTaskItem } from '@crewdeck/shared/calendar';
import type { EventDoc } from '../../../server/src/calendar/calendar.model.ts';
import { buildIcs, type IcsInput } from '../../../server/src/calendar/ical.ts';

const oid = () => new mongoose.Types.ObjectId();
const domain = 'crewdeck.example';

function eventDoc(fields: Partial<EventDoc> & Pick<EventDoc, 'start' | 'end' | 'timeZone'>): EventDoc {
  return {
    _id: oid(),
    calendarId: oid(),
    title: 'Event',
    description: '',
    location: '',
    allDay: false,
    startDay: null,
    endDay: null,
    organizerId: oid(),
    attendees: [],
    participants: [],
    rrule: null,
    exdates: [],
    recurringEventId: null,
    originalStart: null,
    rangeEnd: fields.end,
    reminders: [],
    visibility: 'default',
    busy: true,
    source: 'crewdeck',
    google: [],
    version: 1,
    createdBy: oid(),
    updatedBy: null,
    createdAt: new Date('2026-01-01T08:00:00Z'),
    updatedAt: new Date('2026-01-02T08:00:00Z'),
    ...fields,
  };
}

const local = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).toJSDate();
const build = (events: EventDoc[], extra: Partial<IcsInput> = {}) =>
  buildIcs({
    name: 'Team',
    events: events.map((event) => ({ event, busyOnly: false })),
    tasks: [],
    publicUrl: 'https://crewdeck.example',
    domain,
    ...extra,
  });

// ---- ical.js (strict) ----

function parseStrict(text: string): ICAL.Component {
  ICAL.TimezoneService.reset();
  const root = new ICAL.Component(ICAL.parse(text));
  for (const vtz of root.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(vtz);
  return root;
}

interface Occurrence {
  start: Date;
  end: Date;
  /** Wall time in the occurrence's own zone, `2026-03-02T09:00:00`, or a date for all-day ones. */
  wall: string;
  tzid: string;
  summary: string;
}

function expandStrict(root: ICAL.Component, uid: string): Occurrence[] {
  const comps = root.getAllSubcomponents('vevent').filter((c) => c.getFirstPropertyValue('uid') === uid);
  const master = comps.find((c) => !c.hasProperty('recurrence-id'));
  const exceptions = comps.filter((c) => c.hasProperty('recurrence-id'));
  const event = new ICAL.Event(master, { exceptions, strictExceptions: true });
  const iterator = event.iterator();
  const out: Occurrence[] = [];
  for (let time = iterator.next(); time && out.length < 500; time = iterator.next()) {
    const details = event.getOccurrenceDetails(time);
    out.push({
      start: details.startDate.toJSDate(),
      end: details.endDate.toJSDate(),
      wall: details.startDate.toString(),
      tzid: details.startDate.zone?.tzid ?? '',
      summary: details.item.summary,
    });
  }
  return out;
}

// ---- node-ical (lenient) ----

function parseLenient(text: string, uid: string): VEvent {
  const found = nodeIcal.sync.parseICS(text)[uid];
  if (found?.type !== 'VEVENT') throw new Error(`node-ical found no VEVENT ${uid}`);
  return found;
}

const textOf = (value: unknown): string =>
  typeof value === 'object' && value !== null && 'val' in value ? String(value.val) : String(value);

/** node-ical's override entries are typed loosely (an Omit over an index signature). */
const instant = (value: unknown) => (value instanceof Date ? value.getTime() : NaN);

/** Unfolded content lines. */
const lines = (text: string) => text.replace(/\r\n[ \t]/g, '').split('\r\n');

// ---- Weekly series across DST ----

interface ZoneCase {
  zone: string;
  /** Expected offsets (minutes east of UTC) in order across 2026. */
  offsets: number[];
  /** Pairs of Mondays either side of a transition with their expected UTC starts of 09:00 local. */
  around: Array<[string, string]>;
}

const zoneCases: ZoneCase[] = [
  {
    zone: 'America/New_York',
    offsets: [-300, -240, -300],
    around: [
      ['2026-03-02', '2026-03-02T14:00:00.000Z'],
      ['2026-03-09', '2026-03-09T13:00:00.000Z'],
      ['2026-10-26', '2026-10-26T13:00:00.000Z'],
      ['2026-11-02', '2026-11-02T14:00:00.000Z'],
    ],
  },
  {
    zone: 'Australia/Lord_Howe',
    offsets: [660, 630, 660],
    around: [
      ['2026-03-30', '2026-03-29T22:00:00.000Z'],
      ['2026-04-06', '2026-04-05T22:30:00.000Z'],
      ['2026-09-28', '2026-09-27T22:30:00.000Z'],
      ['2026-10-05', '2026-10-04T22:00:00.000Z'],
    ],
  },
  { zone: 'Europe/Moscow', offsets: [180], around: [['2026-03-30', '2026-03-30T06:00:00.000Z']] },
  { zone: 'Asia/Tehran', offsets: [210], around: [['2026-03-30', '2026-03-30T05:30:00.000Z']] },
];

const COUNT = 52;
const FIRST = '2026-01-05'; // a Monday
const EXCLUDED = 11; // 2026-03-23
const MOVED = 20; // 2026-05-25, moved to 11:30 and renamed

function series(zone: string) {
  const at = (k: number, time = '09:00') => DateTime.fromISO(`${FIRST}T${time}`, { zone }).plus({ weeks: k });
  const master = eventDoc({
    title: 'Stand-up',
    timeZone: zone,
    start: at(0).toJSDate(),
    end: at(0).plus({ hours: 1 }).toJSDate(),
    rrule: `FREQ=WEEKLY;BYDAY=MO;COUNT=${COUNT}`,
    exdates: [at(EXCLUDED).toJSDate()],
    version: 4,
  });
  const override = eventDoc({
    title: 'Stand-up (moved)',
    timeZone: zone,
    start: at(MOVED, '11:30').toJSDate(),
    end: at(MOVED, '12:00').toJSDate(),
    recurringEventId: master._id,
    originalStart: at(MOVED).toJSDate(),
    version: 2,
  });
  /** What every client should show: luxon's wall-time arithmetic, independent of the feed. */
  const expected = Array.from({ length: COUNT }, (_, k) => k)
    .filter((k) => k !== EXCLUDED)
    .map((k) =>
      k === MOVED ? { start: at(k, '11:30'), title: override.title } : { start: at(k), title: master.title },
    );
  return { master, override, expected, uid: `${master._id.toString()}@${domain}`, at };
}

describe.each(zoneCases)('a weekly series in $zone', ({ zone, offsets, around }) => {
  const { master, override, expected, uid, at } = series(zone);
  const text = build([master, override]);

  it('writes TZID times, the stored RRULE, EXDATE and RECURRENCE-ID in the master zone', () => {
    const all = lines(text);
    expect(all).toContain(`DTSTART;TZID=${zone}:20260105T090000`);
    expect(all).toContain(`RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=${COUNT}`);
    expect(all).toContain(`EXDATE;TZID=${zone}:${at(EXCLUDED).toFormat("yyyyLLdd'T'HHmmss")}`);
    expect(all).toContain(`RECURRENCE-ID;TZID=${zone}:${at(MOVED).toFormat("yyyyLLdd'T'HHmmss")}`);
    expect(all.filter((l) => l === `UID:${uid}`)).toHaveLength(2);
    expect(all).toContain('SEQUENCE:4');
    expect(
      all.filter((l) => l.startsWith('DTSTART') && !l.includes(`TZID=${zone}`) && !l.startsWith('DTSTART:19')),
    ).toEqual([]);
  });

  it('ships a VTIMEZONE with the zone offsets', () => {
    const vtz = parseStrict(text)
      .getAllSubcomponents('vtimezone')
      .filter((c) => c.getFirstPropertyValue('tzid') === zone);
    expect(vtz).toHaveLength(1);
    const seen = new Set(
      vtz[0].getAllSubcomponents().map((c) => String(c.getFirstProperty('tzoffsetto')?.toICALString().split(':')[1])),
    );
    const hhmm = (m: number) =>
      `${m < 0 ? '-' : '+'}${String(Math.floor(Math.abs(m) / 60)).padStart(2, '0')}${String(Math.abs(m) % 60).padStart(2, '0')}`;
    expect([...seen].sort()).toEqual([...new Set(offsets.map(hhmm))].sort());
  });

  it('expands in ical.js with wall time kept across DST, the EXDATE gone and the override in place', () => {
    const occurrences = expandStrict(parseStrict(text), uid);
    expect(occurrences.map((o) => o.start.toISOString())).toEqual(expected.map((e) => e.start.toUTC().toISO()));
    expect(occurrences.map((o) => o.summary)).toEqual(expected.map((e) => e.title));
    expect(new Set(occurrences.map((o) => o.tzid))).toEqual(new Set([zone]));
    const walls = occurrences.map((o) => o.wall.slice(11, 16));
    expect(walls.filter((w) => w === '09:00')).toHaveLength(COUNT - 2);
    expect(walls.filter((w) => w === '11:30')).toHaveLength(1);
    expect(
      occurrences.every((o) => o.end.getTime() - o.start.getTime() === (o.wall.includes('T11:30') ? 30 : 60) * 60e3),
    );
    // The UTC instant moves by exactly the offset change: the offsets seen, in order.
    const seenOffsets = occurrences.map((o) => DateTime.fromJSDate(o.start, { zone }).offset);
    expect(seenOffsets.filter((o, i) => i === 0 || o !== seenOffsets[i - 1])).toEqual(offsets);
    const byDay = new Map(occurrences.map((o) => [o.wall.slice(0, 10), o.start.toISOString()]));
    for (const [day, utc] of around) expect(byDay.get(day)).toBe(utc);
    expect(byDay.has(at(EXCLUDED).toISODate() ?? '')).toBe(false);
  });

  it('parses in node-ical with the rule, the EXDATE and the override as it exposes them', () => {
    const event = parseLenient(text, uid);
    expect(event.start?.tz).toBe(zone);
    expect(event.start?.getTime()).toBe(master.start.getTime());
    expect(event.rrule?.toString()).toContain('FREQ=WEEKLY');
    const exdates = Object.values(event.exdate ?? {}).map((d) => d.getTime());
    expect(exdates).toContain(at(EXCLUDED).toMillis());
    // node-ical files each override under more than one key.
    const byKey: NonNullable<VEvent['recurrences']> = event.recurrences ?? {};
    const recurrences = [...new Set(Object.values(byKey))];
    expect(recurrences).toHaveLength(1);
    expect(textOf(recurrences[0].summary)).toBe(override.title);
    expect(instant(recurrences[0].start)).toBe(override.start.getTime());
    expect(instant(recurrences[0].recurrenceid)).toBe(at(MOVED).toMillis());

    const instances = nodeIcal.expandRecurringEvent(event, {
      from: new Date('2025-12-01T00:00:00Z'),
      to: new Date('2027-02-01T00:00:00Z'),
    });
    expect(instances.map((i) => i.start.toISOString())).toEqual(expected.map((e) => e.start.toUTC().toISO()));
    expect(instances.map((i) => textOf(i.summary))).toEqual(expected.map((e) => e.title));
    expect(instances.filter((i) => i.isOverride)).toHaveLength(1);
  });
});

// ---- All-day events ----

describe('all-day events', () => {
  const savedTz = process.env.TZ;
  afterEach(() => {
    process.env.TZ = savedTz;
  });

  const allDay = (zone: string) =>
    eventDoc({
      title: 'Holiday',
      allDay: true,
      timeZone: zone,
      startDay: '2026-03-08',
      endDay: '2026-03-09',
      start: local('2026-03-08T00:00', zone),
      end: local('2026-03-09T00:00', zone),
    });

  it.each(['Pacific/Kiritimati', 'America/Adak', 'Asia/Tehran', 'UTC'])(
    'stays on 2026-03-08 in both parsers with the process in %s',
    (processZone) => {
      process.env.TZ = processZone;
      const offset = new Date('2026-03-08T12:00:00Z').getTimezoneOffset();
      expect(offset).toBe(-DateTime.fromISO('2026-03-08T12:00:00Z', { zone: processZone }).offset || 0);
      for (const zone of ['Australia/Lord_Howe', 'America/New_York']) {
        const event = allDay(zone);
        const text = build([event]);
        const uid = `${event._id.toString()}@${domain}`;
        expect(lines(text)).toContain('DTSTART;VALUE=DATE:20260308');
        expect(lines(text)).toContain('DTEND;VALUE=DATE:20260309');

        const vevent = parseStrict(text).getFirstSubcomponent('vevent');
        const strict = new ICAL.Event(vevent ?? undefined);
        expect(strict.startDate.isDate).toBe(true);
        expect(strict.startDate.toString()).toBe('2026-03-08');
        expect(strict.endDate.toString()).toBe('2026-03-09');

        const lenient = parseLenient(text, uid);
        expect(lenient.datetype).toBe('date');
        const start = lenient.start as Date;
        expect([start.getFullYear(), start.getMonth() + 1, start.getDate()]).toEqual([2026, 3, 8]);
      }
    },
  );

  it('writes an all-day series with DATE EXDATE and RECURRENCE-ID', () => {
    const zone = 'America/New_York';
    const day = (d: string) => local(`${d}T00:00`, zone);
    const master = eventDoc({
      title: 'Offsite',
      allDay: true,
      timeZone: zone,
      startDay: '2026-03-02',
      endDay: '2026-03-03',
      start: day('2026-03-02'),
      end: day('2026-03-03'),
      rrule: 'FREQ=WEEKLY;COUNT=4',
      exdates: [day('2026-03-09')],
    });
    const override = eventDoc({
      title: 'Offsite (Tuesday)',
      allDay: true,
      timeZone: zone,
      startDay: '2026-03-17',
      endDay: '2026-03-18',
      start: day('2026-03-17'),
      end: day('2026-03-18'),
      recurringEventId: master._id,
      originalStart: day('2026-03-16'),
    });
    const text = build([master, override]);
    expect(lines(text)).toContain('EXDATE;VALUE=DATE:20260309');
    expect(lines(text)).toContain('RECURRENCE-ID;VALUE=DATE:20260316');
    const uid = `${master._id.toString()}@${domain}`;
    const occurrences = expandStrict(parseStrict(text), uid);
    expect(occurrences.map((o) => [o.wall, o.summary])).toEqual([
      ['2026-03-02', 'Offsite'],
      ['2026-03-17', 'Offsite (Tuesday)'],
      ['2026-03-23', 'Offsite'],
    ]);
    const lenient = parseLenient(text, uid);
    expect(Object.values(lenient.recurrences ?? {}).map((r) => textOf(r.summary))).toEqual(['Offsite (Tuesday)']);
  });
});

// ---- Calendar properties, privacy, tasks, text ----

describe('the feed', () => {
  const zones = ['Europe/Moscow', 'Asia/Tehran', 'America/New_York', 'Australia/Lord_Howe'];
  const events = zones.map((zone, i) =>
    eventDoc({
      title: `In ${zone}`,
      timeZone: zone,
      start: local(`2026-06-0${i + 1}T10:00`, zone),
      end: local(`2026-06-0${i + 1}T11:00`, zone),
    }),
  );

  it('has one VTIMEZONE for every TZID used, and none for UTC', () => {
    const utc = eventDoc({
      timeZone: 'UTC',
      start: new Date('2026-06-10T10:00:00Z'),
      end: new Date('2026-06-10T11:00:00Z'),
    });
    const text = build([...events, events[0], utc]);
    const used = new Set([...text.matchAll(/;TZID=([^:;]+)/g)].map((m) => m[1]));
    const shipped = parseStrict(text)
      .getAllSubcomponents('vtimezone')
      .map((c) => String(c.getFirstPropertyValue('tzid')));
    expect(used).toEqual(new Set(zones));
    expect(shipped.sort()).toEqual([...zones].sort());
    expect(text.match(/^BEGIN:VTIMEZONE\r$/gm)).toHaveLength(zones.length);
    expect(lines(text)).toContain('DTSTART:20260610T100000Z');
    const strict = parseStrict(text)
      .getAllSubcomponents('vevent')
      .map((c) => new ICAL.Event(c).startDate.toJSDate().getTime());
    expect(strict).toEqual([...events, events[0], utc].map((e) => e.start.getTime()));
  });

  it('names a VTIMEZONE after the zone the event uses, also for an alias', () => {
    // The library answers Europe/Kiev with its Europe/Kyiv block.
    const event = eventDoc({
      timeZone: 'Europe/Kiev',
      start: local('2026-07-01T09:00', 'Europe/Kiev'),
      end: local('2026-07-01T10:00', 'Europe/Kiev'),
      rrule: 'FREQ=DAILY;COUNT=2',
    });
    const text = build([event]);
    const root = parseStrict(text);
    expect(root.getAllSubcomponents('vtimezone').map((c) => c.getFirstPropertyValue('tzid'))).toEqual(['Europe/Kiev']);
    const occurrences = expandStrict(root, `${event._id.toString()}@${domain}`);
    expect(occurrences.map((o) => [o.tzid, o.start.toISOString()])).toEqual([
      ['Europe/Kiev', '2026-07-01T06:00:00.000Z'],
      ['Europe/Kiev', '2026-07-02T06:00:00.000Z'],
    ]);
  });

  it('says PUBLISH, the product, the name and how often to refresh', () => {
    const name = 'Team, «Persian» تقویم;\nBEGIN:VEVENT\\';
    const text = build(events, { name, ttlSeconds: 3600 });
    const all = lines(text);
    expect(all).toContain('METHOD:PUBLISH');
    expect(all).toContain('PRODID:-//Crewdeck//Calendar//EN');
    const root = parseStrict(text);
    // ical.js leaves X- properties escaped (unknown type): the raw value is the TEXT escaping.
    expect(root.getFirstPropertyValue('x-wr-calname')).toBe('Team\\, «Persian» تقویم\\;\\nBEGIN:VEVENT\\\\');
    expect(root.getAllSubcomponents('vevent')).toHaveLength(events.length);
    expect(nodeIcal.sync.parseICS(text).vcalendar?.['WR-CALNAME']).toBe(name);
    expect(all).toContain('REFRESH-INTERVAL;VALUE=DURATION:PT1H');
    expect(all).toContain('X-PUBLISHED-TTL:PT1H');
    expect(lines(build(events))).toContain('REFRESH-INTERVAL;VALUE=DURATION:PT15M');
  });

  it('gives the same bytes for the same data (stable ETag)', () => {
    const tasks: CalendarTaskItem[] = [
      {
        kind: 'task',
        id: oid().toString(),
        projectId: oid().toString(),
        code: 'WEB-1',
        title: 'T',
        day: '2026-06-01',
        done: false,
      },
    ];
    expect(build(events, { tasks })).toBe(build(events, { tasks }));
  });

  it('writes version, modification time, transparency, reminders and known people', () => {
    const [organizer, guest, stranger] = [oid(), oid(), oid()];
    const event = eventDoc({
      title: 'Review',
      timeZone: 'Europe/Moscow',
      start: local('2026-06-01T10:00', 'Europe/Moscow'),
      end: local('2026-06-01T11:00', 'Europe/Moscow'),
      version: 7,
      updatedAt: new Date('2026-05-20T12:34:56Z'),
      busy: false,
      reminders: [10, 60],
      organizerId: organizer,
      attendees: [
        { userId: guest, response: 'tentative' },
        { userId: stranger, response: 'accepted' },
      ],
    });
    const contacts = new Map([
      [organizer.toString(), { name: 'Olga', email: 'olga@crewdeck.example' }],
      [guest.toString(), { name: 'Reza', email: 'reza@crewdeck.example' }],
    ]);
    const text = build([event], { contactOf: (id) => contacts.get(id) ?? null });
    const comp = parseStrict(text).getFirstSubcomponent('vevent');
    if (!comp) throw new Error('no VEVENT');
    expect(comp.getFirstPropertyValue('sequence')).toBe(7);
    expect(String(comp.getFirstPropertyValue('last-modified'))).toBe('2026-05-20T12:34:56Z');
    expect(String(comp.getFirstPropertyValue('dtstamp'))).toBe('2026-05-20T12:34:56Z');
    expect(comp.getFirstPropertyValue('transp')).toBe('TRANSPARENT');
    const alarms = comp.getAllSubcomponents('valarm');
    expect(alarms.map((a) => [a.getFirstPropertyValue('action'), String(a.getFirstPropertyValue('trigger'))])).toEqual([
      ['DISPLAY', '-PT10M'],
      ['DISPLAY', '-PT1H'],
    ]);
    expect(String(comp.getFirstPropertyValue('organizer')).toLowerCase()).toBe('mailto:olga@crewdeck.example');
    const attendees = comp.getAllProperties('attendee');
    expect(attendees.map((a) => [String(a.getFirstValue()).toLowerCase(), a.getParameter('partstat')])).toEqual([
      ['mailto:reza@crewdeck.example', 'TENTATIVE'],
    ]);
    expect(lines(build([event]))).not.toContainEqual(expect.stringMatching(/^(ORGANIZER|ATTENDEE)/));
    expect(lines(build([{ ...event, busy: true }]))).not.toContain('TRANSP:TRANSPARENT');
  });

  it('shows busy-only events as "Busy" with nothing else', () => {
    const event = eventDoc({
      title: 'Doctor',
      description: 'Clinic 4',
      location: 'Main st. 1',
      timeZone: 'Asia/Tehran',
      start: local('2026-06-01T10:00', 'Asia/Tehran'),
      end: local('2026-06-01T11:00', 'Asia/Tehran'),
      reminders: [15],
      attendees: [{ userId: oid(), response: 'accepted' }],
    });
    const text = buildIcs({
      name: 'Team',
      events: [{ event, busyOnly: true }],
      tasks: [],
      publicUrl: 'https://crewdeck.example',
      domain,
      contactOf: () => ({ name: 'Someone', email: 'someone@crewdeck.example' }),
    });
    const vevent = lines(text).slice(lines(text).indexOf('BEGIN:VEVENT'));
    expect(vevent).toContain('SUMMARY:Busy');
    expect(vevent).toContain('CLASS:PRIVATE');
    expect(vevent).toContain(`DTSTART;TZID=Asia/Tehran:20260601T100000`);
    for (const secret of ['Doctor', 'Clinic', 'Main st']) expect(text).not.toContain(secret);
    const names = vevent.map((line) => line.split(/[:;]/)[0]);
    for (const property of ['LOCATION', 'DESCRIPTION', 'ATTENDEE', 'ORGANIZER']) expect(names).not.toContain(property);
    expect(vevent).not.toContain('BEGIN:VALARM');
    const comp = parseStrict(text).getFirstSubcomponent('vevent');
    expect(comp?.getFirstPropertyValue('summary')).toBe('Busy');
  });

  it('lists task due dates and milestones as free all-day links', () => {
    const [projectId, taskId, milestoneId] = [oid().toString(), oid().toString(), oid().toString()];
    const tasks: CalendarTaskItem[] = [
      {
        kind: 'task',
        id: taskId,
        projectId,
        code: 'WEB-42',
        title: 'Ship, then; rest',
        day: '2026-03-08',
        done: false,
      },
      { kind: 'milestone', id: milestoneId, projectId, code: 'Beta', title: 'Website', day: '2026-10-04', done: true },
    ];
    const text = build([], { tasks, publicUrl: 'https://crewdeck.example/' });
    const strict = parseStrict(text)
      .getAllSubcomponents('vevent')
      .map((c) => {
        const e = new ICAL.Event(c);
        return [
          e.uid,
          e.summary,
          e.startDate.toString(),
          e.endDate.toString(),
          c.getFirstPropertyValue('url'),
          c.getFirstPropertyValue('transp'),
        ];
      });
    expect(strict).toEqual([
      [
        `task-${taskId}@${domain}`,
        'WEB-42 · Ship, then; rest',
        '2026-03-08',
        '2026-03-09',
        `https://crewdeck.example/projects/${projectId}/tasks/${taskId}`,
        'TRANSPARENT',
      ],
      [
        `milestone-${milestoneId}@${domain}`,
        'Beta · Website',
        '2026-10-04',
        '2026-10-05',
        `https://crewdeck.example/projects/${projectId}`,
        'TRANSPARENT',
      ],
    ]);
    const lenient = parseLenient(text, `task-${taskId}@${domain}`);
    expect(textOf(lenient.summary)).toBe('WEB-42 · Ship, then; rest');
    expect(lenient.datetype).toBe('date');
  });

  it('escapes and folds hostile text so both parsers read it back unchanged', () => {
    const hostile = {
      title: 'Line one\nline two, with; semicolons \\ and a backslash 😀🎉 — Привет, мир ' + 'долгий '.repeat(30),
      description: 'سلام دنیا، این یک متن طولانی است; با ویرگول, و \\ بک‌اسلش\n\n'.repeat(8) + '👩‍👩‍👧‍👦'.repeat(20),
      location: 'Москва, ул. Тверская; 7 \\ офис "A"\nэтаж 3',
    };
    const event = eventDoc({
      ...hostile,
      timeZone: 'Europe/Moscow',
      start: local('2026-06-01T10:00', 'Europe/Moscow'),
      end: local('2026-06-01T11:00', 'Europe/Moscow'),
    });
    const text = build([event]);
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(text).not.toMatch(/[^\r]\n/);

    const strict = new ICAL.Event(parseStrict(text).getFirstSubcomponent('vevent') ?? undefined);
    expect([strict.summary, strict.description, strict.location]).toEqual([
      hostile.title,
      hostile.description,
      hostile.location,
    ]);
    const lenient = parseLenient(text, `${event._id.toString()}@${domain}`);
    expect([textOf(lenient.summary), textOf(lenient.description), textOf(lenient.location)]).toEqual([
      hostile.title,
      hostile.description,
      hostile.location,
    ]);
  });
});
