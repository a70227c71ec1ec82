import { describe, expect, it } from 'vitest';
import {
  duplicateKeys,
  duplicateLookupKeys,
  duplicateReasons,
  similarNames,
  type DuplicateCandidate,
} from '@crewdeck/shared/duplicate-rules';
import { generatePairs, measureQuality, PAIRS_PER_CLASS } from '../../../bench/crm-pairs.ts';

const company = (name: string, more: Partial<DuplicateCandidate> = {}): DuplicateCandidate => ({
  kind: 'company',
  name,
  phones: [],
  emails: [],
  website: null,
  ...more,
});
const person = (name: string, more: Partial<DuplicateCandidate> = {}): DuplicateCandidate => ({
  ...company(name, more),
  kind: 'person',
});

describe('duplicate reasons', () => {
  it('the same phone or e-mail, whatever else differs', () => {
    expect(
      duplicateReasons(company('Ромашка', { phones: ['+79123456789'] }), person('Иван', { phones: ['+79123456789'] })),
    ).toEqual(['phone']);
    expect(
      duplicateReasons(person('Иван Петров', { emails: ['i@x.ru'] }), person('Петров', { emails: ['i@x.ru'] })),
    ).toEqual(['email']);
  });

  it('company names with or without legal form and quotes, across scripts and spellings', () => {
    for (const other of ['Ромашка', 'Romashka LLC', '"Ромашка", ООО', 'ROMASHKA Ltd.', 'АО Ромашка'])
      expect(similarNames('company', 'ООО «Ромашка»', other), other).toBe(true);
    expect(similarNames('company', 'Северный ветер', 'Severny Veter')).toBe(true);
    expect(similarNames('company', 'Щит Холдинг', 'Sch’it Kholding')).toBe(true);
    expect(similarNames('company', 'Зелёный город', 'Зеленый город')).toBe(true);
    expect(similarNames('company', 'Severniy Veter', 'Severnyiveter')).toBe(true);
  });

  it('a one-letter typo in a long name, in the script it was made in', () => {
    expect(similarNames('company', 'Меридиан Логистик', 'Меридиан Логистек')).toBe(true);
    expect(similarNames('company', 'Магистраль Строй', 'Магистрал Строй')).toBe(true);
    expect(similarNames('company', 'Ромашка Строй', 'Ромажка Строй')).toBe(true);
    expect(similarNames('person', 'Иван Кузнецов', 'Иван Кузнецв')).toBe(true);
  });

  it('short names, numbers, added words and derived names do not match', () => {
    expect(similarNames('company', 'Щит', 'Щат')).toBe(false);
    expect(similarNames('company', 'Ромашка 1', 'Ромашка 2')).toBe(false);
    expect(similarNames('company', 'Стройтрест-12', 'Стройтрест-11')).toBe(false);
    expect(similarNames('company', 'Ромашка №1', 'Ромашка №11')).toBe(false);
    expect(similarNames('company', 'Ромашка', 'Ромашка 2')).toBe(false);
    expect(similarNames('company', 'Ромашка', 'Ромашка Плюс')).toBe(false);
    expect(similarNames('company', 'Стройсервис', 'Стройсервис М')).toBe(false);
    expect(similarNames('company', 'Ромашка', 'Ромашкино')).toBe(false);
    expect(similarNames('company', 'Ромашка', 'Ромашкин')).toBe(false);
    expect(similarNames('company', 'Кристалл Девелопмент', 'Хрусталь Девелопмент')).toBe(false);
    expect(similarNames('company', 'Альфа Строй', 'Альфа Трейд')).toBe(false);
  });

  it('persons: any word order and a patronymic, but never another given name', () => {
    expect(similarNames('person', 'Иван Петров', 'Петров Иван')).toBe(true);
    expect(similarNames('person', 'Иван Петров', 'Ivan Petrov')).toBe(true);
    expect(similarNames('person', 'Дмитрий Смирнов', 'Dmitry Smirnov')).toBe(true);
    expect(similarNames('person', 'Иван Иванович Петров', 'Иван Петров')).toBe(true);
    expect(similarNames('person', 'Иван Петров', 'Илья Петров')).toBe(false);
    expect(similarNames('person', 'Александр Кузнецов', 'Александра Кузнецова')).toBe(false);
    expect(similarNames('person', 'Иван Петров', 'Иван Сидоров')).toBe(false);
    expect(similarNames('person', 'Иван Петров', 'Иван Петров Сидоров')).toBe(false);
    expect(similarNames('person', 'Иван', 'Иван')).toBe(false);
  });

  it('the same website or company mail domain, never a free mail provider', () => {
    const a = company('Альфа', { website: 'https://www.alfa-stroy.ru/' });
    expect(duplicateReasons(a, company('Бета', { website: 'alfa-stroy.ru' }))).toEqual(['domain']);
    expect(duplicateReasons(a, company('Бета', { emails: ['sales@alfa-stroy.ru'] }))).toEqual(['domain']);
    for (const free of ['gmail.com', 'mail.ru', 'yandex.ru', 'outlook.com', 'proton.me', 'bk.ru'])
      expect(
        duplicateReasons(company('Альфа', { emails: [`a@${free}`] }), company('Бета', { emails: [`b@${free}`] })),
        free,
      ).toEqual([]);
    // Colleagues share their employer's mail domain; that does not make them one person.
    expect(
      duplicateReasons(
        person('Иван Петров', { emails: ['ivan@alfa.ru'] }),
        person('Анна Смирнова', { emails: ['anna@alfa.ru'] }),
      ),
    ).toEqual([]);
  });

  it('a company and a person only meet on phones and e-mails', () => {
    expect(duplicateReasons(company('Иван Петров'), person('Иван Петров'))).toEqual([]);
  });
});

describe('index keys', () => {
  it('phones, e-mails, names, domains and name blocking keys', () => {
    const keys = duplicateKeys(
      company('ООО «Ромашка Строй»', {
        legalName: 'Общество «Ромашка Строй»',
        phones: ['+79123456789'],
        emails: ['info@romashka.ru', 'boss@gmail.com'],
        website: 'https://www.romashka-stroy.ru',
      }),
    );
    expect(keys).toEqual(
      expect.arrayContaining([
        'p:+79123456789',
        'e:info@romashka.ru',
        'n:romashka stroy',
        'd:romashka-stroy.ru',
        'd:romashka.ru',
      ]),
    );
    expect(keys).not.toContain('d:gmail.com');
    expect(keys.some((k) => k.startsWith('w:company:'))).toBe(true);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('lookup keys of one entry meet the keys of every generated duplicate', () => {
    for (const { a, b, duplicate } of generatePairs(13).filter((p) => p.duplicate)) {
      expect(duplicate).toBe(true);
      const own = new Set(duplicateKeys(a));
      expect(
        duplicateLookupKeys(b).some((k) => own.has(k)),
        `${a.name} / ${b.name}`,
      ).toBe(true);
    }
  });
});

describe('quality on the generated pairs (bench/crm-pairs.ts)', () => {
  it('is deterministic and balanced', () => {
    const pairs = generatePairs(13);
    expect(pairs).toEqual(generatePairs(13));
    expect(pairs.filter((p) => p.duplicate)).toHaveLength(PAIRS_PER_CLASS);
    expect(pairs.filter((p) => !p.duplicate)).toHaveLength(PAIRS_PER_CLASS);
    expect(generatePairs(14)).not.toEqual(pairs);
  });

  it.each([13, 20261206])('recall ≥ 0.99 and precision ≥ 0.95 with seed %i', (seed) => {
    const quality = measureQuality(generatePairs(seed));
    expect(quality.recall).toBeGreaterThanOrEqual(0.99);
    expect(quality.precision).toBeGreaterThanOrEqual(0.95);
  });
});
