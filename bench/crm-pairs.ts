/**
 * Duplicate-detection quality set for the CRM benchmark (issue 13): 1,000 true duplicate pairs
 * (one client entered twice, differently) and 1,000 near-misses (different clients that look
 * alike), generated deterministically from a seed, and the recall and precision of
 * `duplicateReasons` on them. No dependencies beyond the shared rules; `bench/crm.ts` and the unit
 * test import it. Run alone: `node bench/crm-pairs.ts [seed]`.
 *
 * True pairs, each sharing only what its variant changes (the second entry is usually partial):
 * the same phone in another written format, the legal form added or removed, the name
 * transliterated with another scheme, the e-mail in other case, a one-letter typo in a long name,
 * the website with or without www/https. Near-misses: names differing in a number, a word added
 * ("Вектор" / "Вектор Плюс"), a derived name ("Ромашка" / "Ромашкино"), another firm of the same
 * trade, namesakes' relatives (same surname, another given name), all with their own phones, mail
 * at the same free provider and their own websites.
 */
import { duplicateReasons, type DuplicateCandidate } from '../shared/src/duplicate-rules.ts';
import { normalizeEmail, normalizePhone } from '../shared/src/search-keys.ts';

export interface CandidatePair {
  a: DuplicateCandidate;
  b: DuplicateCandidate;
  /** True for one client entered twice. */
  duplicate: boolean;
  /** How the pair was made, to see which kind a miss is. */
  variant: string;
}

export interface PairQuality {
  recall: number;
  precision: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
}

export const PAIRS_PER_CLASS = 1000;

/** mulberry32: small, fast and the same on every platform, which is all a fixture needs. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = ReturnType<typeof prng>;
const pick = <T>(rnd: Random, items: readonly T[]): T => items[Math.floor(rnd() * items.length)];
const int = (rnd: Random, min: number, max: number) => min + Math.floor(rnd() * (max - min + 1));

const roots = [
  'Ромашка',
  'Вектор',
  'Гранит',
  'Альфа',
  'Меридиан',
  'Орион',
  'Сибирь',
  'Байкал',
  'Урал',
  'Волга',
  'Северный ветер',
  'Зелёный город',
  'Полярная звезда',
  'Белый медведь',
  'Каскад',
  'Феникс',
  'Импульс',
  'Магистраль',
  'Горизонт',
  'Кристалл',
  'Лидер',
  'Прогресс',
  'Стандарт',
  'Эталон',
  'Ресурс',
  'Атлант',
  'Созвездие',
  'Жемчужина',
  'Хрусталь',
  'Щит',
  'Цитадель',
  'Южный берег',
  'Янтарь',
  'Ермак',
  'Витязь',
  'Арсенал',
  'Бастион',
  'Дельта',
  'Квант',
  'Монолит',
  'Новатор',
  'Пересвет',
  'Рубеж',
  'Тайга',
  'Фарватер',
];
const trades = [
  'Строй',
  'Трейд',
  'Логистик',
  'Сервис',
  'Снаб',
  'Инвест',
  'Техно',
  'Агро',
  'Медиа',
  'Энерго',
  'Проект',
  'Консалтинг',
  'Металл',
  'Фарм',
  'Транс',
  'Маркет',
  'Девелопмент',
  'Холдинг',
];
const derivations = ['ино', 'ово', 'ский', 'ица', 'ин'];
const extraWords = ['Плюс', 'Групп', 'Центр', 'Про', 'Юг', 'Север', 'Столица', 'Регион'];
const legalForms = ['ООО', 'АО', 'ЗАО', 'ПАО'];
const cities = ['Москва', 'Пермь', 'Казань', 'Екатеринбург', 'Новосибирск', 'Самара'];
const freeDomains = ['gmail.com', 'mail.ru', 'yandex.ru', 'bk.ru', 'list.ru', 'inbox.ru', 'rambler.ru'];
const maleGiven = ['Иван', 'Сергей', 'Алексей', 'Дмитрий', 'Андрей', 'Михаил', 'Николай', 'Павел', 'Юрий'];
const femaleGiven = ['Анна', 'Ольга', 'Елена', 'Мария', 'Наталья', 'Татьяна', 'Ирина', 'Юлия', 'Светлана'];
const surnames = [
  'Кузнецов',
  'Смирнов',
  'Александров',
  'Степанов',
  'Воробьёв',
  'Тихомиров',
  'Преображенский',
  'Жуковский',
  'Щербаков',
  'Чернышёв',
  'Ковальчук',
  'Рождественский',
  'Шевченко',
  'Белоусов',
  'Харитонов',
  'Яковлев',
];
const female = (surname: string) =>
  /(ий)$/.test(surname) ? `${surname.slice(0, -2)}ая` : /(ко|ук)$/.test(surname) ? surname : `${surname}а`;

// A transliteration with the choices people make that the `transliteration` package does not.
const latinChoices: Record<string, readonly string[]> = {
  а: ['a'],
  б: ['b'],
  в: ['v'],
  г: ['g'],
  д: ['d'],
  е: ['e'],
  ё: ['e', 'yo'],
  ж: ['zh'],
  з: ['z'],
  и: ['i'],
  й: ['y', 'i', 'j'],
  к: ['k'],
  л: ['l'],
  м: ['m'],
  н: ['n'],
  о: ['o'],
  п: ['p'],
  р: ['r'],
  с: ['s'],
  т: ['t'],
  у: ['u'],
  ф: ['f'],
  х: ['kh', 'h'],
  ц: ['ts', 'c'],
  ч: ['ch'],
  ш: ['sh'],
  щ: ['shch', 'sch'],
  ъ: [''],
  ы: ['y', 'i'],
  ь: ['', "'"],
  э: ['e'],
  ю: ['yu', 'iu'],
  я: ['ya', 'ia'],
};

function transliterated(rnd: Random, text: string): string {
  return [...text]
    .map((ch) => {
      const lower = ch.toLowerCase();
      const choices = latinChoices[lower];
      if (!choices) return ch;
      const latin = pick(rnd, choices);
      return ch === lower ? latin : latin.charAt(0).toUpperCase() + latin.slice(1);
    })
    .join('');
}

const cyrillicLetters = 'абвгдежзиклмнопрстуфхцчшщыэюя';

/** One wrong, missing or extra letter in the longest word, away from its first letter. */
function typo(rnd: Random, name: string): string {
  const words = name.split(' ');
  const longest = words.reduce((best, w, i) => (w.length > words[best].length ? i : best), 0);
  const word = words[longest];
  const at = int(rnd, 1, word.length - 1);
  const letter = pick(
    rnd,
    [...cyrillicLetters].filter((l) => l !== word[at]),
  );
  const op = int(rnd, 0, 2);
  words[longest] =
    op === 0
      ? word.slice(0, at) + letter + word.slice(at + 1)
      : op === 1
        ? word.slice(0, at) + word.slice(at + 1)
        : word.slice(0, at) + letter + word.slice(at);
  return words.join(' ');
}

/** A Russian mobile number, and the ways it gets written down. */
function mobile(rnd: Random): string {
  return `+79${String(int(rnd, 0, 999_999_999)).padStart(9, '0')}`;
}

function written(rnd: Random, e164: string): string {
  const n = e164.slice(2);
  const [a, b, c, d] = [n.slice(0, 3), n.slice(3, 6), n.slice(6, 8), n.slice(8)];
  return pick(rnd, [
    `8 ${a} ${b}-${c}-${d}`,
    `+7 (${a}) ${b} ${c} ${d}`,
    `${a}${b}${c}${d}`,
    `7${n}`,
    `8(${a})${b}${c}${d}`,
    `тел. 8 ${a} ${b} ${c} ${d}`,
    ` +7-${a}-${b}-${c}-${d} `,
    `8.${a}.${b}.${c}.${d}`,
    `+7 ${a} ${b}-${c}-${d} доб. ${int(rnd, 1, 99)}`,
  ]);
}

const phone = (typed: string) => normalizePhone(typed, 'RU').e164 ?? typed;

function slug(rnd: Random, name: string): string {
  return transliterated(rnd, name.toLowerCase())
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function randomCase(rnd: Random, text: string): string {
  return [...text].map((ch) => (rnd() < 0.4 ? ch.toUpperCase() : ch)).join('');
}

function websiteForms(rnd: Random, domain: string): string {
  return pick(rnd, [
    `https://www.${domain}/`,
    `http://${domain}`,
    `www.${domain}`,
    domain,
    `https://${domain}/contacts`,
  ]);
}

/** A company name from its parts; `long` guarantees a name a typo may be allowed in. */
function companyName(rnd: Random, long = false): string {
  const root = pick(rnd, roots);
  const withTrade = long || rnd() < 0.5;
  const name = withTrade ? `${root} ${pick(rnd, trades)}` : root;
  const filler = pick(
    rnd,
    ['Сервис', 'Логистик', 'Консалтинг'].filter((w) => !name.includes(w)),
  );
  return long && name.replace(/\s/g, '').length < 10 ? `${name} ${filler}` : name;
}

function company(rnd: Random, name: string, domain?: string): DuplicateCandidate {
  const site = domain ?? `${slug(rnd, name)}.ru`;
  return {
    kind: 'company',
    name,
    phones: [mobile(rnd)],
    emails: [`${pick(rnd, ['info', 'sales', 'office'])}@${site}`],
    website: site,
  };
}

function person(rnd: Random, given: string, surname: string): DuplicateCandidate {
  const local = `${slug(rnd, given)}.${slug(rnd, surname)}${int(rnd, 1, 99)}`;
  return {
    kind: 'person',
    name: `${given} ${surname}`,
    phones: [mobile(rnd)],
    emails: [`${local}@${pick(rnd, freeDomains)}`],
  };
}

const randomPerson = (rnd: Random) =>
  rnd() < 0.5 ? [pick(rnd, maleGiven), pick(rnd, surnames)] : [pick(rnd, femaleGiven), female(pick(rnd, surnames))];

/** The second entry a person makes of the same client: only a new phone, often nothing else. */
const partial = (rnd: Random, c: DuplicateCandidate, name: string): DuplicateCandidate => ({
  kind: c.kind,
  name,
  phones: rnd() < 0.5 ? [mobile(rnd)] : [],
  emails: [],
  website: null,
});

const trueVariants: Record<string, (rnd: Random) => [DuplicateCandidate, DuplicateCandidate]> = {
  phoneFormat: (rnd) => {
    const a = rnd() < 0.5 ? company(rnd, companyName(rnd)) : person(rnd, ...(randomPerson(rnd) as [string, string]));
    const b = {
      ...partial(rnd, a, rnd() < 0.5 ? a.name : pick(rnd, cities)),
      phones: [phone(written(rnd, a.phones[0]))],
    };
    return [a, b];
  },
  legalForm: (rnd) => {
    const name = companyName(rnd);
    const form = pick(rnd, legalForms);
    const withForm = pick(rnd, [`${form} «${name}»`, `${form} "${name}"`, `«${name}», ${form}`, `${form} ${name}`]);
    const a = company(rnd, rnd() < 0.5 ? withForm : name);
    return [a, partial(rnd, a, a.name === name ? withForm : name)];
  },
  transliterated: (rnd) => {
    if (rnd() < 0.3) {
      const [given, surname] = randomPerson(rnd);
      const a = person(rnd, given, surname);
      const latin = transliterated(rnd, rnd() < 0.5 ? `${given} ${surname}` : `${surname} ${given}`);
      return [a, partial(rnd, a, latin)];
    }
    const a = company(rnd, companyName(rnd));
    const latin = transliterated(rnd, a.name);
    return [a, partial(rnd, a, rnd() < 0.5 ? `${latin} ${pick(rnd, ['LLC', 'Ltd', 'Ltd.', 'Inc'])}` : latin)];
  },
  emailCase: (rnd) => {
    const a = rnd() < 0.5 ? company(rnd, companyName(rnd)) : person(rnd, ...(randomPerson(rnd) as [string, string]));
    const b = {
      ...partial(rnd, a, rnd() < 0.5 ? a.name : pick(rnd, cities)),
      emails: [normalizeEmail(` ${randomCase(rnd, a.emails[0])} `)],
    };
    return [a, b];
  },
  typo: (rnd) => {
    if (rnd() < 0.3) {
      const given = pick(rnd, maleGiven);
      const surname = pick(
        rnd,
        surnames.filter((s) => s.length >= 8),
      );
      const a = person(rnd, given, surname);
      return [a, partial(rnd, a, `${given} ${typo(rnd, surname)}`)];
    }
    const a = company(rnd, companyName(rnd, true));
    return [a, partial(rnd, a, typo(rnd, a.name))];
  },
  website: (rnd) => {
    const a = company(rnd, companyName(rnd));
    const domain = a.website ?? '';
    return [
      { ...a, website: websiteForms(rnd, domain) },
      { ...partial(rnd, a, pick(rnd, cities)), website: websiteForms(rnd, domain) },
    ];
  },
};

const nearMissVariants: Record<string, (rnd: Random) => [DuplicateCandidate, DuplicateCandidate]> = {
  number: (rnd) => {
    const name = companyName(rnd);
    const [n, m] = [int(rnd, 1, 9), int(rnd, 10, 30)];
    const sep = pick(rnd, [' ', '-', ' №']);
    return [company(rnd, `${name}${sep}${n}`), company(rnd, rnd() < 0.3 ? name : `${name}${sep}${m}`)];
  },
  extraWord: (rnd) => {
    const name = companyName(rnd);
    return [company(rnd, name), company(rnd, `${name} ${pick(rnd, extraWords)}`)];
  },
  derived: (rnd) => {
    const root = pick(
      rnd,
      roots.filter((r) => !r.includes(' ')),
    );
    const stem = /[аяоь]$/.test(root) ? root.slice(0, -1) : root;
    return [company(rnd, root), company(rnd, `${stem}${pick(rnd, derivations)}`)];
  },
  sameTrade: (rnd) => {
    const trade = pick(rnd, trades);
    const [r1, r2] = [pick(rnd, roots), pick(rnd, roots)];
    const second = r1 === r2 ? roots[(roots.indexOf(r1) + 1) % roots.length] : r2;
    return [company(rnd, `${r1} ${trade}`), company(rnd, `${second} ${trade}`)];
  },
  relatives: (rnd) => {
    const surname = pick(rnd, surnames);
    const [g1, g2] = [pick(rnd, maleGiven), pick(rnd, femaleGiven)];
    return rnd() < 0.5
      ? [person(rnd, g1, surname), person(rnd, g2, female(surname))]
      : [
          person(rnd, g1, surname),
          person(
            rnd,
            pick(
              rnd,
              maleGiven.filter((g) => g !== g1),
            ),
            surname,
          ),
        ];
  },
  sameFreeMail: (rnd) => {
    const domain = pick(rnd, freeDomains);
    const a = {
      ...company(rnd, companyName(rnd)),
      emails: [`${slug(rnd, pick(rnd, roots))}${int(rnd, 1, 999)}@${domain}`],
      website: null,
    };
    const b = {
      ...company(rnd, companyName(rnd)),
      emails: [`${slug(rnd, pick(rnd, roots))}${int(rnd, 1000, 1999)}@${domain}`],
      website: null,
    };
    return a.name === b.name ? [a, { ...b, name: `${b.name} ${pick(rnd, extraWords)}` }] : [a, b];
  },
};

function generate(rnd: Random, variants: typeof trueVariants, duplicate: boolean): CandidatePair[] {
  const names = Object.keys(variants);
  return Array.from({ length: PAIRS_PER_CLASS }, (_, i) => {
    const variant = names[i % names.length];
    const [a, b] = variants[variant](rnd);
    return { a, b, duplicate, variant };
  });
}

/** 1,000 true pairs then 1,000 near-misses, the same for the same seed. */
export function generatePairs(seed: number): CandidatePair[] {
  const rnd = prng(seed);
  return [...generate(rnd, trueVariants, true), ...generate(rnd, nearMissVariants, false)];
}

/** Runs `duplicateReasons` on every pair: a pair with any reason counts as flagged. */
export function measureQuality(pairs: readonly CandidatePair[]): PairQuality {
  let truePositives = 0;
  let falsePositives = 0;
  let falseNegatives = 0;
  for (const { a, b, duplicate } of pairs) {
    const flagged = duplicateReasons(a, b).length > 0;
    if (flagged && duplicate) truePositives++;
    else if (flagged) falsePositives++;
    else if (duplicate) falseNegatives++;
  }
  const ratio = (n: number, d: number) => (d === 0 ? 1 : n / d);
  return {
    recall: ratio(truePositives, truePositives + falseNegatives),
    precision: ratio(truePositives, truePositives + falsePositives),
    truePositives,
    falsePositives,
    falseNegatives,
  };
}

if (import.meta.main) {
  const seed = Number(process.argv[2] ?? 13);
  console.log(JSON.stringify({ seed, ...measureQuality(generatePairs(seed)) }));
}
