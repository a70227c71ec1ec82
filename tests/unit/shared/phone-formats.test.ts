// The phone-format table of issue 13: one Russian, Iranian, US and German number each, written
// the ways people type, paste and dictate them, must all reduce to one E.164 number; fragments of
// four or more digits find it with or without the country code; other numbers do not.
import { describe, expect, it } from 'vitest';
import { foldDigits, normalizePhone, phoneMatches, phoneQuery } from '@crewdeck/shared/search-keys';

const NBSP = '\u00a0';

/** [as typed, default country for numbers written without a country code] */
type Row = readonly [typed: string, country: string];

const russian: readonly Row[] = [
  ['8 912 345-67-89', 'RU'],
  ['+7 (912) 345 67 89', 'RU'],
  ['9123456789', 'RU'],
  ['79123456789', 'RU'],
  ['+79123456789', 'RU'],
  ['8(912)3456789', 'RU'],
  ['89123456789', 'RU'],
  ['8.912.345.67.89', 'RU'],
  ['+7.912.345.67.89', 'RU'],
  ['\t+7 912 345 67 89\t', 'RU'],
  ['   8 912 345 67 89   ', 'RU'],
  [`+7${NBSP}912${NBSP}345-67-89`, 'RU'],
  ['тел. +7 912 345-67-89', 'RU'],
  ['Тел.: 8 (912) 345-67-89', 'RU'],
  ['+7 912 345-67-89 доб. 12', 'RU'],
  ['8 (912) 345-67-89, доб. 12', 'RU'],
  ['+7 912 345-67-89 ext. 12', 'RU'],
  ['+7-912-345-67-89', 'RU'],
  ['8-912-3456789', 'RU'],
  ['7 (912) 345-67-89', 'RU'],
  ['810 7 912 345 67 89', 'RU'],
  ['007 912 345 67 89', 'RU'],
  ['８ ９１２ ３４５ ６７ ８９', 'RU'],
  ['+7 912 345 67 89', 'IR'],
  ['+7(912)345-67-89', 'DE'],
];

const iranian: readonly Row[] = [
  ['0912 345 6789', 'IR'],
  ['09123456789', 'IR'],
  ['9123456789', 'IR'],
  ['00989123456789', 'IR'],
  ['00989123456789', 'RU'],
  ['0098 912 345 6789', 'RU'],
  ['+98 912 345 6789', 'RU'],
  ['+98 (912) 345-6789', 'US'],
  ['۰۹۱۲۳۴۵۶۷۸۹', 'IR'],
  ['۰۹۱۲ ۳۴۵ ۶۷۸۹', 'IR'],
  ['+۹۸ ۹۱۲ ۳۴۵ ۶۷۸۹', 'RU'],
  ['٠٩١٢٣٤٥٦٧٨٩', 'IR'],
  ['+٩٨٩١٢٣٤٥٦٧٨٩', 'RU'],
  [`${NBSP}0912-345-6789${NBSP}`, 'IR'],
];

const american: readonly Row[] = [
  ['(415) 555-2671', 'US'],
  ['415-555-2671', 'US'],
  ['415.555.2671', 'US'],
  ['4155552671', 'US'],
  ['1-415-555-2671', 'US'],
  ['1 (415) 555-2671', 'US'],
  ['+1.415.555.2671', 'RU'],
  ['+1 (415) 555-2671', 'RU'],
  ['+14155552671', 'DE'],
  ['001 415 555 2671', 'DE'],
  ['001 415 555 2671', 'RU'],
  ['(415) 555-2671 x12', 'US'],
];

const german: readonly Row[] = [
  ['030 123456', 'DE'],
  ['030/123456', 'DE'],
  ['030-123456', 'DE'],
  ['(030) 123456', 'DE'],
  ['0049 30 123456', 'DE'],
  ['0049 30 123456', 'RU'],
  ['+49 30 123456', 'RU'],
  ['+49 (0)30 123456', 'RU'],
  ['+49 (0) 30 123456', 'DE'],
  ['+49-30-123456', 'US'],
  ['+49.30.123456', 'IR'],
];

const table: readonly (readonly [string, readonly Row[]])[] = [
  ['+79123456789', russian],
  ['+989123456789', iranian],
  ['+14155552671', american],
  ['+4930123456', german],
];

describe('one number, however it is written', () => {
  it('has at least 40 formats in the table', () => {
    expect(table.reduce((n, [, rows]) => n + rows.length, 0)).toBeGreaterThanOrEqual(40);
  });

  for (const [e164, rows] of table)
    describe(e164, () => {
      it.each(rows.map(([typed, country]) => ({ typed, country })))('$typed ($country)', ({ typed, country }) => {
        expect(normalizePhone(typed, country).e164).toBe(e164);
      });

      it.each(rows.map(([typed, country]) => ({ typed, country })))(
        'as a search for $typed ($country) it finds the stored number',
        ({ typed, country }) => {
          const stored = normalizePhone(e164, country).digitForms;
          expect(phoneMatches(stored, phoneQuery(typed, country) ?? [])).toBe(true);
        },
      );
    });

  it('keeps the extension apart from the number', () => {
    const phone = normalizePhone('+7 912 345-67-89 доб. 12', 'RU');
    expect(phone.ext).toBe('12');
    expect(phone.digitForms.every((form) => form.endsWith('6789'))).toBe(true);
  });

  it('folds Persian, Arabic-Indic and full-width digits to ASCII', () => {
    expect(foldDigits('۰۱۲۳۴۵۶۷۸۹')).toBe('0123456789');
    expect(foldDigits('٠١٢٣٤٥٦٧٨٩')).toBe('0123456789');
    expect(foldDigits('０１２')).toBe('012');
    expect(foldDigits('тел. 12')).toBe('тел. 12');
  });
});

describe('fragments of four or more digits', () => {
  const storedForms = (typed: string, country: string) => normalizePhone(typed, country).digitForms;

  it.each([
    ['4567', 'RU'],
    ['345-67', 'RU'],
    ['912345', 'RU'],
    ['7912345', 'RU'],
    ['+7912', 'RU'],
    ['+7 912 34', 'RU'],
    ['8912', 'RU'],
    ['8 912 345', 'RU'],
    ['6789', 'RU'],
    ['۴۵۶۷', 'RU'],
  ])('%s finds +7 912 345-67-89 stored in any format', (fragment, country) => {
    for (const stored of ['+7 912 345-67-89', '8 912 345 67 89', '9123456789'])
      expect(phoneMatches(storedForms(stored, 'RU'), phoneQuery(fragment, country) ?? []), stored).toBe(true);
  });

  it.each([
    ['0912', 'IR', '+98 912 345 6789'],
    ['۰۹۱۲ ۳۴۵', 'IR', '+98 912 345 6789'],
    ['+98912', 'IR', '0912 345 6789'],
    ['5552', 'US', '+1 415 555 2671'],
    ['+1 415', 'US', '(415) 555-2671'],
    ['030 12', 'DE', '+49 30 123456'],
    ['0049 30', 'DE', '030 123456'],
    ['+4930', 'DE', '030 123456'],
  ])('%s (%s) finds %s', (fragment, country, stored) => {
    expect(phoneMatches(storedForms(stored, country), phoneQuery(fragment, country) ?? [])).toBe(true);
  });

  it('distinct numbers and fragments do not match', () => {
    const stored = storedForms('+7 912 345-67-89', 'RU');
    for (const query of ['4568', '8 912 345-67-88', '+7 913', '+7 913 345-67-89', '9133456789', '+98 912 345 6788'])
      expect(phoneMatches(stored, phoneQuery(query, 'RU') ?? []), query).toBe(false);
    expect(phoneMatches(storedForms('+49 30 123456', 'DE'), phoneQuery('030 123457', 'DE') ?? [])).toBe(false);
    expect(phoneMatches(storedForms('+1 415 555 2671', 'US'), phoneQuery('(415) 555-2672', 'US') ?? [])).toBe(false);
  });

  it('fewer than four digits is not a phone query', () => {
    expect(phoneQuery('912', 'RU')).toBeNull();
    expect(phoneQuery('+7 9', 'RU')).toBeNull();
    expect(phoneQuery('۹۱۲', 'IR')).toBeNull();
  });
});
