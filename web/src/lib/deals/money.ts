// Money on the board: amounts travel as integer minor units (cents, kopecks) and are only turned
// into text here, with the currency's own number of fraction digits and the active locale.
// Parsing goes digit by digit, never through a float, so 0.1 + 0.2 never appears in a sum.
import type { Deal } from '@crewdeck/shared/deals';
import { currentLocale } from '../i18n/locale.ts';

/** Fraction digits of a currency (2 for USD, 0 for JPY; IRR as ISO says). */
export function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** `1250050, 'RUB'` → `12 500,50 ₽` in Russian, `RUB 12,500.50` in English. */
export function formatMoney(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  const major = minor / 10 ** digits;
  try {
    return new Intl.NumberFormat(currentLocale(), {
      style: 'currency',
      currency,
      minimumFractionDigits: 0,
      maximumFractionDigits: digits,
    }).format(major);
  } catch {
    return `${major} ${currency}`;
  }
}

/** Minor units as the text an input shows (`1250.5` for 125050 cents), plain digits and a dot. */
export function minorToInput(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  if (digits === 0) return String(minor);
  const text = String(minor).padStart(digits + 1, '0');
  const whole = text.slice(0, -digits);
  const fraction = text.slice(-digits).replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole;
}

const LOCAL_DIGITS: Record<string, string> = Object.fromEntries(
  [...'۰۱۲۳۴۵۶۷۸۹'].map((d, i) => [d, String(i)]).concat([...'٠١٢٣٤٥٦٧٨٩'].map((d, i) => [d, String(i)])),
);

/**
 * What a person typed (`12 500,50`, `12,500.50`, `۱۲۵۰٫۵`) → minor units, or null when it is not
 * an amount. The last `.`, `,` or `٫` is the decimal mark when at most the currency's fraction
 * digits follow it; otherwise every mark groups thousands.
 */
export function parseMoney(text: string, currency: string): number | null {
  const digits = minorDigits(currency);
  const plain = [...text.trim()]
    .map((c) => LOCAL_DIGITS[c] ?? c)
    .join('')
    .replace(/[\s\u00a0\u202f'٬]/g, '');
  if (!plain) return 0;
  if (!/^\d[\d.,٫]*$/.test(plain)) return null;
  const last = Math.max(plain.lastIndexOf('.'), plain.lastIndexOf(','), plain.lastIndexOf('٫'));
  const tail = last < 0 ? '' : plain.slice(last + 1);
  const decimal = last >= 0 && tail.length <= digits && /^\d*$/.test(tail);
  const whole = (decimal ? plain.slice(0, last) : plain).replace(/[.,٫]/g, '');
  const fraction = decimal ? tail : '';
  if (!/^\d+$/.test(whole)) return null;
  const minor = BigInt(whole) * 10n ** BigInt(digits) + BigInt(fraction.padEnd(digits, '0') || '0');
  return minor > BigInt(Number.MAX_SAFE_INTEGER) ? null : Number(minor);
}

/** Sums per currency (never mixing them), in the order currencies first appear. */
export function totalsByCurrency(
  deals: readonly Pick<Deal, 'amount' | 'currency'>[],
): { currency: string; amount: number }[] {
  const sums = new Map<string, number>();
  for (const deal of deals) sums.set(deal.currency, (sums.get(deal.currency) ?? 0) + deal.amount);
  return [...sums].map(([currency, amount]) => ({ currency, amount }));
}
