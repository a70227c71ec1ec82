// Working windows from local wall time: the same hours on both sides of every daylight saving
// change (New York, Lord Howe's half-hour shift), in zones without one (Moscow, Tehran), inside a
// spring-forward gap and across a repeated fall-back hour; and the schedule's validation.
import { describe, expect, it } from 'vitest';
import {
  defaultSchedule,
  windowHours,
  workingWindows,
  workScheduleSchema,
  type WorkSchedule,
} from '@crewdeck/shared/schedules';

const withSunday = (timeZone: string, start: string, end: string): WorkSchedule => ({
  timeZone,
  hours: { ...defaultSchedule(timeZone).hours, sun: [{ start, end }] },
});

describe('working windows', () => {
  it('09:00 local is the same wall time before and after a DST change (New York, March and November)', () => {
    const ny = defaultSchedule('America/New_York');
    const march = workingWindows(ny, '2027-03-12', '2027-03-15');
    expect(march.filter((w) => w.day === '2027-03-12')[0].start).toBe('2027-03-12T14:00:00Z'); // EST
    expect(march.filter((w) => w.day === '2027-03-15')[0].start).toBe('2027-03-15T13:00:00Z'); // EDT
    const november = workingWindows(ny, '2027-11-05', '2027-11-08');
    expect(november.filter((w) => w.day === '2027-11-05')[0].start).toBe('2027-11-05T13:00:00Z');
    expect(november.filter((w) => w.day === '2027-11-08')[0].start).toBe('2027-11-08T14:00:00Z');
    // Two weekdays of 8 h each, whatever the clocks did over the weekend.
    expect(windowHours(march)).toBe(16);
    expect(windowHours(november)).toBe(16);
  });

  it('follows Lord Howe Island’s half-hour shift (+10:30 ↔ +11)', () => {
    const lordHowe = defaultSchedule('Australia/Lord_Howe');
    const october = workingWindows(lordHowe, '2027-10-01', '2027-10-04');
    expect(october.find((w) => w.day === '2027-10-01')?.start).toBe('2027-09-30T22:30:00Z'); // +10:30
    expect(october.find((w) => w.day === '2027-10-04')?.start).toBe('2027-10-03T22:00:00Z'); // +11
    const april = workingWindows(lordHowe, '2027-04-02', '2027-04-05');
    expect(april.find((w) => w.day === '2027-04-02')?.start).toBe('2027-04-01T22:00:00Z');
    expect(april.find((w) => w.day === '2027-04-05')?.start).toBe('2027-04-04T22:30:00Z');
  });

  it('zones without DST keep one offset all year (Moscow +3, Tehran +3:30)', () => {
    for (const day of ['2027-01-11', '2027-07-12']) {
      expect(workingWindows(defaultSchedule('Europe/Moscow'), day, day)[0].start).toBe(`${day}T06:00:00Z`);
      expect(workingWindows(defaultSchedule('Asia/Tehran'), day, day)[0].start).toBe(`${day}T05:30:00Z`);
    }
  });

  it('a start inside a spring-forward gap begins when the clock resumes', () => {
    // New York skips 02:00–03:00 on 2027-03-14: 02:30–04:00 is worked from 03:00 EDT, one hour.
    const [ny] = workingWindows(withSunday('America/New_York', '02:30', '04:00'), '2027-03-14', '2027-03-14');
    expect(ny).toEqual({ day: '2027-03-14', start: '2027-03-14T07:00:00Z', end: '2027-03-14T08:00:00Z' });
    // Lord Howe skips 02:00–02:30 on 2027-10-03.
    const [lh] = workingWindows(withSunday('Australia/Lord_Howe', '02:15', '03:00'), '2027-10-03', '2027-10-03');
    expect(lh).toEqual({ day: '2027-10-03', start: '2027-10-02T15:30:00Z', end: '2027-10-02T16:00:00Z' });
  });

  it('a window across the repeated fall-back hour lasts what is really worked', () => {
    const windows = workingWindows(withSunday('America/New_York', '01:30', '02:30'), '2027-11-07', '2027-11-07');
    expect(windows).toEqual([{ day: '2027-11-07', start: '2027-11-07T05:30:00Z', end: '2027-11-07T07:30:00Z' }]);
    expect(windowHours(windows)).toBe(2);
  });

  it('skips days off and ends a day at 24:00', () => {
    const late = {
      timeZone: 'Europe/Moscow',
      hours: { ...defaultSchedule('Europe/Moscow').hours, mon: [{ start: '20:00', end: '24:00' }] },
    };
    expect(workingWindows(late, '2027-01-11', '2027-01-11')).toEqual([
      { day: '2027-01-11', start: '2027-01-11T17:00:00Z', end: '2027-01-11T21:00:00Z' },
    ]);
    expect(workingWindows(late, '2027-01-11', '2027-01-12', new Set(['2027-01-11'])).map((w) => w.day)).toEqual([
      '2027-01-12',
      '2027-01-12',
    ]);
  });
});

describe('the schedule schema', () => {
  it('accepts several intervals a day and canonicalises the zone', () => {
    const parsed = workScheduleSchema.parse({ ...defaultSchedule('europe/moscow'), timeZone: 'europe/moscow' });
    expect(parsed.timeZone).toBe('Europe/Moscow');
  });

  it('refuses overlapping or reversed intervals, bad clocks, unknown zones and unknown days', () => {
    const base = defaultSchedule('Europe/Moscow');
    const bad: unknown[] = [
      { ...base, hours: { ...base.hours, mon: [{ start: '10:00', end: '09:00' }] } },
      {
        ...base,
        hours: {
          ...base.hours,
          mon: [
            { start: '09:00', end: '13:00' },
            { start: '12:00', end: '14:00' },
          ],
        },
      },
      { ...base, hours: { ...base.hours, mon: [{ start: '9:00', end: '13:00' }] } },
      { ...base, hours: { ...base.hours, mon: [{ start: '09:00', end: '24:30' }] } },
      { ...base, timeZone: 'Mars/Olympus' },
      { ...base, hours: { ...base.hours, funday: [] } },
    ];
    for (const input of bad) expect(workScheduleSchema.safeParse(input).success, JSON.stringify(input)).toBe(false);
  });
});
