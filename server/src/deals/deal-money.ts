// Amounts for people who read them outside the app (exports): integer minor units turned into
// decimal text with the currency's own number of fraction digits, by string arithmetic only, so
// no float ever rounds a sum.

/** Fraction digits of a currency (2 for USD, 0 for JPY, 3 for KWD), from ICU; 2 when unknown. */
export function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** `125050, 'USD'` → `'1250.50'`; `1250, 'JPY'` → `'1250'` (plain digits and a dot). */
export function decimalText(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  const sign = minor < 0 ? '-' : '';
  const text = String(Math.abs(minor));
  if (digits === 0) return `${sign}${text}`;
  const padded = text.padStart(digits + 1, '0');
  return `${sign}${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
}
