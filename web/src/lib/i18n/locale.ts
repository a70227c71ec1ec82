// The active locale and everything that formats for it. Paraglide decides the locale once per
// page load (the user's choice in localStorage, else the browser's languages, else English);
// changing it stores the choice and reloads, so every message and formatter follows.
import { getLocale, getTextDirection, locales, setLocale, type Locale } from '../paraglide/runtime.js';

export { locales, type Locale };

/** Each language named in itself, for the language switch. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', ru: 'Русский', fa: 'فارسی' };

export function currentLocale(): Locale {
  return getLocale();
}

/** `<html lang dir>` for the active locale (Persian reads right to left). */
export function applyDocumentLocale(): void {
  const root = document.documentElement;
  root.lang = getLocale();
  root.dir = getTextDirection();
}

/** Remembers `next` and reloads the page in it. */
export function changeLocale(next: Locale): void {
  if (next !== getLocale()) void setLocale(next);
}

export function formatNumber(value: number, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(getLocale(), options).format(value);
}

/** "Anna, Boris and Vera" in the active language. */
export function formatList(items: string[]): string {
  return new Intl.ListFormat(getLocale(), { style: 'long', type: 'conjunction' }).format(items);
}

/** Locale-aware comparison for sorting names. */
export function compareText(a: string, b: string): number {
  return a.localeCompare(b, getLocale());
}
