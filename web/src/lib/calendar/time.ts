// Wall times and instants for the calendar forms. A person types the wall time of the event's
// zone (which may not be the browser's); luxon turns it into the instant the API stores, so an
// event at 10:00 in Moscow stays at 10:00 in Moscow whatever the viewer's clock says.
// (luxon comes with @crewdeck/shared, which the web already depends on.)
import { DateTime } from 'luxon';
import type { Locale } from '../i18n/locale.ts';

/** `YYYY-MM-DD` and `HH:mm` of `iso` in `zone`. */
export function wallTime(iso: string, zone: string): { date: string; time: string } {
  const at = DateTime.fromISO(iso, { zone });
  return { date: at.toISODate() ?? '', time: at.toFormat('HH:mm') };
}

/** The instant (ISO, UTC) of the wall time `date` `time` in `zone`; '' when it is not a time. */
export function instantOf(date: string, time: string, zone: string): string {
  const at = DateTime.fromISO(`${date}T${time}`, { zone });
  return at.isValid ? (at.toUTC().toISO({ suppressMilliseconds: true }) ?? '') : '';
}

/** The local calendar day of a Date the calendar component gives (its wall clock is the browser's). */
export function dayOf(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** `day` moved by `days` (calendar days, no time-zone drift). */
export function addDays(day: string, days: number): string {
  return DateTime.fromISO(day, { zone: 'UTC' }).plus({ days }).toISODate() ?? day;
}

/** Today in `zone` (`YYYY-MM-DD`). */
export function today(zone?: string): string {
  return (
    DateTime.now()
      .setZone(zone ?? 'local')
      .toISODate() ?? ''
  );
}

/** The start of the next full hour, where a new event starts by default. */
export function nextHour(): Date {
  return DateTime.now().startOf('hour').plus({ hours: 1 }).toJSDate();
}

/** `days` local days from the midnight starting `fromDay`, as instants (a search window). */
export function localDays(fromDay: string, days: number): { from: string; to: string } {
  const from = DateTime.fromISO(fromDay);
  return { from: from.toUTC().toISO() ?? '', to: from.plus({ days }).toUTC().toISO() ?? '' };
}

/** The browser's zone, the default for new events. */
export function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** First day of the week per language: Sunday in English, Monday in Russian, Saturday in Persian. */
export function firstDayOf(locale: Locale): 0 | 1 | 6 {
  return locale === 'ru' ? 1 : locale === 'fa' ? 6 : 0;
}

/**
 * The locale the calendar grid formats with. Its grid is Gregorian, so Persian keeps its digits
 * and words but the Gregorian calendar: month titles then match the days drawn under them.
 */
export function gridLocale(locale: Locale): string {
  return locale === 'fa' ? 'fa-u-ca-gregory' : locale;
}

/** "10:00–11:30, 8 Mar" for a conflict or a slot, in the viewer's zone and language. */
export function formatRange(startIso: string, endIso: string, locale: string): string {
  const format = new Intl.DateTimeFormat(gridLocale(locale as Locale), {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });
  return format.formatRange(new Date(startIso), new Date(endIso));
}

/** "8 Mar 2026" for a `YYYY-MM-DD` day, without time-zone drift. */
export function formatDayLong(day: string, locale: string): string {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(year, month - 1, date).toLocaleDateString(gridLocale(locale as Locale), {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  });
}
