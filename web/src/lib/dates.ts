// Date helpers for forms and tables. The API speaks ISO 8601 instants; date inputs speak
// `YYYY-MM-DD` in the browser's time zone. Shown dates follow the active locale (Intl; Persian
// gets its own digits and calendar).
import { getLocale } from './paraglide/runtime.js';

/** `YYYY-MM-DD` of an instant in local time, for `<input type="date">`. */
export function toDateInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The end of the chosen local day as an ISO instant (access lasts through that day). */
export function endOfDayIso(value: string): string {
  const [year, month, day] = value.split('-').map(Number);
  return new Date(year, month - 1, day, 23, 59, 59, 999).toISOString();
}

export function formatDate(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleDateString(getLocale(), { year: 'numeric', month: 'short', day: 'numeric' }) : '';
}

export function formatDateTime(iso: string): string {
  return new Date(iso).toLocaleString(getLocale(), { dateStyle: 'medium', timeStyle: 'medium' });
}

/** Date and time without seconds, e.g. for comments and versions. */
export function formatDateTimeShort(iso: string): string {
  return new Date(iso).toLocaleString(getLocale(), { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatDateMedium(iso: string): string {
  return new Date(iso).toLocaleDateString(getLocale(), { dateStyle: 'medium' });
}

export function formatTimeMedium(iso: string): string {
  return new Date(iso).toLocaleTimeString(getLocale(), { timeStyle: 'medium' });
}

/** Today as `YYYY-MM-DD`, e.g. the `min` of an expiry input. */
export function todayInput(): string {
  return toDateInput(new Date().toISOString());
}
