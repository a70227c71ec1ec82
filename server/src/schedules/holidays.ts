import Holidays from 'date-holidays';
import { DateTime } from 'luxon';

/** One public holiday: the local day and its name. */
export interface Holiday {
  day: string;
  name: string;
}

const lookup = new Holidays();
const cache = new Map<string, Holiday[]>();

/** `RU` → `['RU']`, `DE-BY` → `['DE', 'BY']`. */
const partsOf = (code: string) => code.split('-', 2) as [string] | [string, string];

/**
 * Whether date-holidays knows the country (and the region, when given). Its `init` accepts
 * unknown codes silently, so the lists are checked instead.
 */
export function isKnownHolidayCountry(code: string): boolean {
  const [country, region] = partsOf(code);
  if (!(country in lookup.getCountries())) return false;
  return region === undefined || region in (lookup.getStates(country) ?? {});
}

/**
 * A country's public holidays of one year (type `public` only: no observances or bank days),
 * each day of a several-day holiday on its own (Russia's New Year holidays span a week). Cached
 * per country and year: the rules are fixed at build time of the library.
 */
function holidaysOfYear(code: string, year: number): Holiday[] {
  const key = `${code}:${year}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const [country, region] = partsOf(code);
  const options = { types: ['public' as const], languages: ['en'] };
  const source = region === undefined ? new Holidays(country, options) : new Holidays(country, region, options);
  const days = new Map<string, string>();
  for (const holiday of source.getHolidays(year) || []) {
    const first = DateTime.fromISO(holiday.date.slice(0, 10), { zone: 'UTC' });
    // start/end are instants in the country's zone; their distance in days is the length.
    const length = Math.max(1, Math.round((holiday.end.getTime() - holiday.start.getTime()) / 86_400_000));
    for (let i = 0; i < length; i += 1) {
      const day = first.plus({ days: i }).toISODate();
      if (day && !days.has(day)) days.set(day, holiday.name);
    }
  }
  const list = [...days].map(([day, name]) => ({ day, name })).sort((a, b) => a.day.localeCompare(b.day));
  cache.set(key, list);
  return list;
}

/** Public holidays of `code` from `fromDay` to `toDay` inclusive (`YYYY-MM-DD`). */
export function publicHolidays(code: string | null, fromDay: string, toDay: string): Holiday[] {
  if (!code || !isKnownHolidayCountry(code)) return [];
  const result: Holiday[] = [];
  for (let year = Number(fromDay.slice(0, 4)); year <= Number(toDay.slice(0, 4)); year += 1) {
    for (const holiday of holidaysOfYear(code, year))
      if (holiday.day >= fromDay && holiday.day <= toDay) result.push(holiday);
  }
  return result;
}
