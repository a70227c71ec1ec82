import { ZxcvbnFactory, type OptionsGraphEntry, type Score } from '@zxcvbn-ts/core';
import * as zxcvbnCommon from '@zxcvbn-ts/language-common';
import * as zxcvbnEn from '@zxcvbn-ts/language-en';
import { limits } from './limits.ts';

/**
 * Password strength, one estimator for the server's check and the web meter: zxcvbn-ts with
 * its common and English dictionaries, plus a short Russian list below (there is no Russian
 * zxcvbn-ts dictionary package). Pure and browser-safe, but the dictionaries are large: the
 * web should load this module with a dynamic `import()`.
 */

/** Message for a password the estimator finds too weak. */
export const weakPasswordMessage = 'Too easy to guess: add more words or characters';
/** Message for a password that is weak once the login or name is taken out of it. */
export const personalPasswordMessage = 'Too close to your login or name: add unrelated words';

// The ЙЦУКЕН layout on the same keys as QWERTY, unshifted and shifted.
const latinKeys = "qwertyuiop[]asdfghjkl;'zxcvbnm,.`";
const russianKeys = 'йцукенгшщзхъфывапролджэячсмитьбюё';
const latinShifted = 'QWERTYUIOP{}ASDFGHJKL:"ZXCVBNM<>~';
const toRussianKey = new Map(
  [...(latinKeys + latinShifted)].map((c, i) => [c, (russianKeys + russianKeys.toUpperCase())[i]]),
);
const toLatinKey = new Map([...toRussianKey].map(([latin, russian]) => [russian, latin]));

const retype = (word: string, keys: Map<string, string>) => [...word].map((c) => keys.get(c) ?? c).join('');

/**
 * The most common Russian passwords and keyboard walks, most common first. Each is also added
 * as typed with the other layout active (`пароль` → `gfhjkm`), as are the top English ones
 * (`qwerty` → `йцукен`).
 */
const russianPasswords = `
  йцукен пароль йцукенгшщз фывапролдж ячсмить привет любовь солнышко qwertyйцукен йцукенгшщзхъ
  фывапролджэ ячсмитьбю фыва йцуфыв пароль123 россия москва спартак зенит котик зайка зайчик рыбка
  ангел лапочка малыш кошка собака мама папа наташа маша катя саша максим андрей дима сергей
  александр алексей дмитрий наталья елена ольга татьяна ирина анна мария светлана юлия анастасия
  екатерина владимир иван михаил никита счастье свобода звезда принцесса жизнь победа админ
  администратор секрет доступ вход хочу
`
  .trim()
  .split(/\s+/);

/** Words of this application, as guessable as its users' names. */
const appWords = ['crewdeck'];

function extraDictionary(): string[] {
  const topEnglish = zxcvbnCommon.dictionary['passwords-common'].slice(0, 1000);
  const words = [
    ...appWords,
    ...russianPasswords,
    ...russianPasswords.map((w) => retype(w, toLatinKey)),
    ...topEnglish.map((w) => retype(w, toRussianKey)),
  ];
  return [...new Set(words)];
}

/** QWERTY's adjacency graph with the Russian letters on its keys, so `фывапр` is a keyboard walk. */
function jcukenGraph(): OptionsGraphEntry {
  const graph: OptionsGraphEntry = {};
  for (const [key, neighbours] of Object.entries(zxcvbnCommon.adjacencyGraphs.qwerty)) {
    graph[retype(key, toRussianKey)] = neighbours.map((n) => (n === null ? null : retype(n, toRussianKey)));
  }
  return graph;
}

let estimator: ZxcvbnFactory | null = null;

// Built on first use: ranking the dictionaries takes a few hundred milliseconds.
function getEstimator(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnEn.dictionary, 'passwords-extra': extraDictionary() },
    graphs: { ...zxcvbnCommon.adjacencyGraphs, jcuken: jcukenGraph() },
    translations: zxcvbnEn.translations,
    // Long l33t-heavy inputs cost seconds of CPU otherwise; past these the password is long anyway.
    maxLength: limits.passwordEstimatedLength,
    l33tMaxSubstitutions: 8,
  });
  return estimator;
}

/** Who the password is for: their login (an email address, often) and name must not carry it. */
export interface PasswordOwner {
  login?: string;
  name?: string;
}

/** Words taken from the owner: the whole login and name, and their parts of 3+ characters. */
export function passwordUserInputs(owner: PasswordOwner): string[] {
  const words = new Set<string>();
  for (const text of [owner.login, owner.name]) {
    const whole = text?.trim().toLowerCase();
    if (!whole) continue;
    words.add(whole);
    const parts = whole.split(/[^\p{L}\p{N}]+/u).filter((p) => p.length >= 3);
    for (const part of parts) words.add(part);
    words.add(parts.join(''));
  }
  return [...words].filter((w) => w.length >= 3);
}

export interface PasswordStrength {
  /** 0 (guessed at once) to 4 (very hard to guess). */
  score: Score;
  /** True when the password may be set. */
  acceptable: boolean;
  /** Why it may not be set, or null. */
  problem: string | null;
  /** The estimator's warning, e.g. "This is a frequently used password", or null. */
  warning: string | null;
  /** The estimator's hints to make it stronger. */
  suggestions: string[];
}

/** Characters of `password` not inside one of `words` (case-insensitive). */
function withoutWords(password: string, words: string[]): string {
  const lower = password.toLowerCase();
  // Lower-casing rarely changes the length ('İ'); then the lower-case text is what remains.
  const base = lower.length === password.length ? password : lower;
  const taken = new Array<boolean>(base.length).fill(false);
  for (const word of words) {
    for (let at = lower.indexOf(word); at !== -1; at = lower.indexOf(word, at + 1))
      taken.fill(true, at, at + word.length);
  }
  return base
    .split('')
    .filter((_, i) => !taken[i])
    .join('');
}

/**
 * Estimates `password`; `acceptable` applies the length rule and the minimum score. The score
 * is that of the password without the owner's words when that is lower, so `pw-<login>-secret`
 * rates as weak as `pw--secret`.
 */
export function passwordStrength(password: string, owner: PasswordOwner = {}): PasswordStrength {
  const inputs = passwordUserInputs(owner);
  const full = getEstimator().check(password, inputs);
  const rest = scoreWithoutOwnWords(password, inputs);
  const score: Score = rest < full.score ? rest : full.score;
  const personal = rest < full.score || full.sequence.some((m) => m.dictionaryName === 'userInputs');
  const { warning, suggestions } = full.feedback;
  let problem: string | null = null;
  if (password.length < limits.passwordMin) problem = `At least ${limits.passwordMin} characters`;
  else if (score < limits.passwordMinScore) problem = personal ? personalPasswordMessage : weakPasswordMessage;
  return { score, acceptable: problem === null, problem, warning, suggestions };
}

/** Score of what is left of `password` once the owner's words are taken out (4 when none occur). */
function scoreWithoutOwnWords(password: string, inputs: string[]): Score {
  const longestFirst = [...inputs].sort((a, b) => b.length - a.length);
  const rest = withoutWords(password, longestFirst);
  if (rest.length === password.length) return 4;
  return getEstimator().check(rest, inputs).score;
}
