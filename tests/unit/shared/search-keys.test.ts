import { describe, expect, it } from 'vitest';
import {
  domainOf,
  nameKey,
  nameTokens,
  nameWords,
  normalizeEmail,
  normalizePhone,
  phoneGrams,
  phoneMatches,
  phoneQuery,
} from '@crewdeck/shared/search-keys';

describe('phones', () => {
  it('one Russian number however it is typed', () => {
    for (const typed of ['8 912 345-67-89', '+7 (912) 345 67 89', '9123456789', '+79123456789', '8(912)3456789'])
      expect(normalizePhone(typed, 'RU').e164, typed).toBe('+79123456789');
  });

  it('a French number with and without its country code (the Twenty case)', () => {
    expect(normalizePhone('06 28 23 04 55', 'FR').e164).toBe('+33628230455');
    expect(normalizePhone('+33628230455', 'RU').e164).toBe('+33628230455');
  });

  it('finds a stored number by any fragment of four or more digits, and by the whole number in another format', () => {
    const stored = normalizePhone('+7 (912) 345 67 89', 'RU').digitForms;
    for (const query of ['8 912 345-67-89', '9123456789', '4567', '345-67', '+7 912', '79123'])
      expect(phoneMatches(stored, phoneQuery(query, 'RU') ?? []), query).toBe(true);
    for (const query of ['4568', '8 912 345-67-88', '+7 913'])
      expect(phoneMatches(stored, phoneQuery(query, 'RU') ?? []), query).toBe(false);
    expect(phoneQuery('912', 'RU')).toBeNull();
  });

  it('gives index grams that contain every fragment’s first four digits', () => {
    const forms = normalizePhone('8 912 345-67-89', 'RU').digitForms;
    const grams = new Set(phoneGrams(forms));
    for (const fragment of ['9123', '3456', '6789', '7912']) expect(grams.has(fragment), fragment).toBe(true);
    expect(grams.has('0000')).toBe(false);
  });

  it('keeps what does not parse as digits, without inventing a number', () => {
    expect(normalizePhone('ext. 12', 'RU')).toEqual({ e164: null, national: '12', digitForms: ['12'] });
    expect(normalizePhone('', 'RU').digitForms).toEqual([]);
  });
});

describe('names, e-mails and domains', () => {
  it('company names with or without the legal form and quotes, across Cyrillic and Latin', () => {
    for (const name of ['ООО «Ромашка»', 'Romashka LLC', 'ромашка', '"Ромашка", ООО', 'ROMASHKA Ltd.'])
      expect(nameKey(name), name).toBe('romashka');
    expect(nameKey('Ромашка Плюс')).toBe('romashka plyus');
    expect(nameKey('ООО')).toBe('ooo');
    expect(nameWords('АО «Северный ветер»')).toEqual(['severnyy', 'veter']);
  });

  it('Persian company names lose their legal form too', () => {
    expect(nameKey('شرکت سهامی خاص پارس')).toBe(nameKey('پارس'));
  });

  it('e-mails without case; domains from websites and addresses', () => {
    expect(normalizeEmail('  Ivan.Petrov@Example.RU ')).toBe('ivan.petrov@example.ru');
    expect(domainOf('https://www.Romashka.ru/about')).toBe('romashka.ru');
    expect(domainOf('romashka.ru')).toBe('romashka.ru');
    expect(domainOf('sales@romashka.ru')).toBe('romashka.ru');
    expect(domainOf('not a site')).toBeNull();
  });
});

describe('name spellings', () => {
  it('folds ё to е and keeps apostrophes inside words', () => {
    expect(nameKey('Зелёный город')).toBe(nameKey('Зеленый город'));
    expect(nameKey("Ol'ga")).toBe('olga');
    expect(nameKey('Natal’ya Vorob’eva')).toBe('natalya vorobeva');
  });

  it('name tokens keep each word in its own script beside its Latin form, without legal forms', () => {
    expect(nameTokens('ООО «Ромашка Плюс»')).toEqual([
      { native: 'ромашка', latin: 'romashka' },
      { native: 'плюс', latin: 'plyus' },
    ]);
    expect(nameTokens('ООО')).toEqual([{ native: 'ооо', latin: 'ooo' }]);
  });
});
