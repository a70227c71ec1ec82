import { DateTime } from 'luxon';
import rrule from 'rrule';
import type { RRule as RRuleType } from 'rrule';

// `rrule` ships CommonJS to Node: its named exports exist only on the default export there
// (bundlers and vitest hide this; plain `node` does not).
const { RRule } = rrule;
type RRule = RRuleType;
import type { EventDoc } from './calendar.model.ts';

/** Stands for "no end" in `rangeEnd` so endless series still match range queries. */
export const FAR_FUTURE = new Date('9999-12-31T00:00:00.000Z');
/** Most occurrences expanded per series and query: a FREQ=MINUTELY rule cannot flood a page. */
const MAX_OCCURRENCES = 5000;
const DAY = 86_400_000;

/** One occurrence: its instants, the series start it stands for, and the document it comes from. */
export interface Occurrence {
  start: Date;
  end: Date;
  /** The series occurrence this is (null for a single event). */
  originalStart: Date | null;
  doc: EventDoc;
}

// RRULE expansion runs in "floating" wall time (the zone's clock written as if it were UTC), then
// each occurrence's wall time is placed in the zone. Expanding instants directly would keep
// 09:00 EST as 14:00Z all year and show the meeting at 10:00 once daylight saving starts.
const toFloating = (instant: Date, zone: string): Date => {
  const local = DateTime.fromJSDate(instant, { zone });
  return new Date(Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second));
};
const fromFloating = (floating: Date, zone: string): Date =>
  DateTime.fromObject(
    {
      year: floating.getUTCFullYear(),
      month: floating.getUTCMonth() + 1,
      day: floating.getUTCDate(),
      hour: floating.getUTCHours(),
      minute: floating.getUTCMinutes(),
      second: floating.getUTCSeconds(),
    },
    { zone },
  ).toJSDate();

/** Parses a stored RRULE for `event`; throws on a rule the library cannot read. */
export function seriesRule(event: Pick<EventDoc, 'rrule' | 'start' | 'allDay' | 'timeZone'>): RRule {
  if (!event.rrule) throw new Error('not a series');
  const options = RRule.parseString(event.rrule);
  // UNTIL is an instant in RFC 5545 (…Z); compare it in the same floating clock as the starts.
  if (options.until && !event.allDay) options.until = toFloating(options.until, event.timeZone);
  const dtstart = event.allDay ? event.start : toFloating(event.start, event.timeZone);
  return new RRule({ ...options, dtstart, tzid: null });
}

/** True when the rule parses and yields at least one occurrence. */
export function isValidRule(event: Pick<EventDoc, 'rrule' | 'start' | 'allDay' | 'timeZone'>): boolean {
  try {
    return seriesRule(event).all((_d, i) => i < 1).length > 0;
  } catch {
    return false;
  }
}

const place = (floating: Date, event: Pick<EventDoc, 'allDay' | 'timeZone'>): Date =>
  event.allDay ? floating : fromFloating(floating, event.timeZone);

/** Last instant any occurrence of `event` ends: its end, a finite series' last end, or FAR_FUTURE. */
export function rangeEndOf(event: Pick<EventDoc, 'rrule' | 'start' | 'end' | 'allDay' | 'timeZone'>): Date {
  if (!event.rrule) return event.end;
  const rule = seriesRule(event);
  if (!rule.options.count && !rule.options.until) return FAR_FUTURE;
  const all = rule.all((_d, i) => i < MAX_OCCURRENCES);
  if (all.length === 0) return event.end;
  if (all.length >= MAX_OCCURRENCES) return FAR_FUTURE;
  return new Date(place(all[all.length - 1], event).getTime() + (event.end.getTime() - event.start.getTime()));
}

/**
 * The occurrences of a single event or a series overlapping [from, to): the series expanded in
 * its zone's wall time, minus its EXDATEs and overridden instances, plus the overrides (which
 * carry their own times, so a moved instance appears once, where it was moved to).
 */
export function occurrences(master: EventDoc, overrides: readonly EventDoc[], from: Date, to: Date): Occurrence[] {
  const overlaps = (s: Date, e: Date) => s < to && e > from;
  if (!master.rrule)
    return overlaps(master.start, master.end)
      ? [{ start: master.start, end: master.end, originalStart: null, doc: master }]
      : [];
  const duration = master.end.getTime() - master.start.getTime();
  const skipped = new Set(
    [...master.exdates, ...overrides.map((o) => o.originalStart ?? o.start)].map((d) => d.getTime()),
  );
  const result: Occurrence[] = [];
  let rule: RRule;
  try {
    rule = seriesRule(master);
  } catch {
    return [];
  }
  // Zone offsets are within ±14 h: widen the floating window by a day each side, then filter by instants.
  const floatFrom = new Date(from.getTime() - duration - DAY);
  const floatTo = new Date(to.getTime() + DAY);
  for (const floating of rule.between(floatFrom, floatTo, true, (_d, i) => i < MAX_OCCURRENCES)) {
    const start = place(floating, master);
    if (skipped.has(start.getTime())) continue;
    const end = new Date(start.getTime() + duration);
    if (overlaps(start, end)) result.push({ start, end, originalStart: start, doc: master });
  }
  for (const override of overrides) {
    if (overlaps(override.start, override.end))
      result.push({ start: override.start, end: override.end, originalStart: override.originalStart, doc: override });
  }
  return result.sort((a, b) => a.start.getTime() - b.start.getTime());
}

/** Does the series have an occurrence (not cancelled) starting exactly at `instant`? */
export function hasOccurrenceAt(master: EventDoc, instant: Date): boolean {
  if (!master.rrule) return master.start.getTime() === instant.getTime();
  const near = occurrences(master, [], new Date(instant.getTime() - 1), new Date(instant.getTime() + 1));
  return near.some((o) => o.start.getTime() === instant.getTime());
}
