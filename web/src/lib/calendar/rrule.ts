// The repeat choices of the event form ↔ an RFC 5545 RRULE. Only what the form offers is built
// (daily, weekly, monthly, ending never, on a day or after N times); a rule made elsewhere
// (Google, another client) that the form cannot show is kept as it is, never rewritten.
import { DateTime } from 'luxon';

export const repeatFrequencies = ['none', 'daily', 'weekly', 'monthly'] as const;
export type RepeatFrequency = (typeof repeatFrequencies)[number] | 'custom';
export type RepeatEnd = 'never' | 'until' | 'count';

export type RepeatForm = {
  freq: RepeatFrequency;
  end: RepeatEnd;
  /** Last day (`YYYY-MM-DD`, inclusive) when `end` is `until`. */
  until: string;
  /** Number of occurrences when `end` is `count`. */
  count: number;
  /** The original rule when `freq` is `custom`. */
  raw: string;
};

export const noRepeat = (): RepeatForm => ({ freq: 'none', end: 'never', until: '', count: 10, raw: '' });

/**
 * The RRULE for `form`, or null for no repeat. UNTIL is the end of the last day in the event's
 * zone, written in UTC as RFC 5545 asks when the start has a zone.
 */
export function buildRrule(form: RepeatForm, zone: string): string | null {
  if (form.freq === 'none') return null;
  if (form.freq === 'custom') return form.raw || null;
  const parts = [`FREQ=${form.freq.toUpperCase()}`];
  if (form.end === 'count') parts.push(`COUNT=${Math.max(1, Math.trunc(form.count))}`);
  if (form.end === 'until' && form.until) {
    const last = DateTime.fromISO(form.until, { zone }).endOf('day').toUTC();
    parts.push(`UNTIL=${last.toFormat("yyyyMMdd'T'HHmmss'Z'")}`);
  }
  return parts.join(';');
}

/** The form's view of a stored rule; anything the form cannot represent becomes `custom`. */
export function parseRrule(rule: string | null, zone: string): RepeatForm {
  if (!rule) return noRepeat();
  const fields = new Map(
    rule
      .replace(/^RRULE:/, '')
      .split(';')
      .map((part) => part.split('=') as [string, string]),
  );
  const freq = fields.get('FREQ')?.toLowerCase();
  const known = new Set(['FREQ', 'COUNT', 'UNTIL', 'INTERVAL']);
  const simple =
    (freq === 'daily' || freq === 'weekly' || freq === 'monthly') &&
    [...fields.keys()].every((key) => known.has(key)) &&
    (fields.get('INTERVAL') ?? '1') === '1';
  if (!simple) return { ...noRepeat(), freq: 'custom', raw: rule };
  const form: RepeatForm = { ...noRepeat(), freq };
  const count = fields.get('COUNT');
  const until = fields.get('UNTIL');
  if (count) return { ...form, end: 'count', count: Number(count) };
  if (until) {
    const at = DateTime.fromFormat(until.replace(/Z$/, ''), until.length > 8 ? "yyyyMMdd'T'HHmmss" : 'yyyyMMdd', {
      zone: 'UTC',
    });
    return { ...form, end: 'until', until: at.setZone(zone).toISODate() ?? '' };
  }
  return form;
}
