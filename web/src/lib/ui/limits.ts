// Length limits as a person sees them: a counter once a field nears its limit, and an error
// (never a silent cut) when it goes past it. The limits themselves come from shared/limits.
import { formatNumber } from '../i18n/locale.ts';
import { m } from '../paraglide/messages.js';

/** Counters appear at 80 % of the limit. */
export const showsCounter = (length: number, max: number): boolean => length >= max * 0.8;

export const counterText = (length: number, max: number): string =>
  m.form_counter({ count: formatNumber(length), max: formatNumber(max) });

/** The message for a value past its limit, or '' when it fits. */
export function tooLong(value: string, max: number): string {
  return value.length > max ? m.form_too_long({ max: formatNumber(max), count: formatNumber(value.length) }) : '';
}

/** Required and length checks for one text field: '' when it is fine. */
export function checkText(value: string, max: number, required = false): string {
  if (required && value.trim() === '') return m.form_required();
  return tooLong(value, max);
}
