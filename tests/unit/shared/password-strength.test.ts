import { describe, expect, it } from 'vitest';
import { limits } from '@crewdeck/shared/limits';
import {
  passwordStrength,
  passwordUserInputs,
  personalPasswordMessage,
  weakPasswordMessage,
} from '@crewdeck/shared/password-strength';
import { generateOneTimePassword, hashPassword, newPasswordProblem } from '../../../server/src/auth/passwords.ts';

describe('passwordStrength', () => {
  it('refuses repeats, sequences, keyboard walks and common passwords', () => {
    for (const weak of ['aaaaaaaaaa', '1234567890', ' '.repeat(10), 'qwertyuiop', 'password1!', 'iloveyou12']) {
      const s = passwordStrength(weak);
      expect(s.acceptable, weak).toBe(false);
      expect(s.score, weak).toBeLessThan(limits.passwordMinScore);
      expect(s.problem, weak).toBe(weakPasswordMessage);
    }
  });

  it('refuses common Russian passwords and layout mix-ups', () => {
    // йцукен is qwerty in the Russian layout; gfhjkm is пароль typed in the English one.
    for (const weak of [
      'йцукенгшщз',
      'фывапролджэ',
      'пароль12345',
      'gfhjkm12345',
      'зфыыцщкв12',
      'ячсмитьбю1',
      'солнышко123',
    ]) {
      expect(passwordStrength(weak).acceptable, weak).toBe(false);
    }
  });

  it('says when a password is too short', () => {
    expect(passwordStrength('Xq7#pL2v').problem).toBe(`At least ${limits.passwordMin} characters`);
  });

  it('accepts long unrelated passphrases and one-time passwords', () => {
    const s = passwordStrength('Velvet-compass-drifts-north-31', { login: 'mia', name: 'Mia Member' });
    expect(s).toMatchObject({ acceptable: true, problem: null });
    expect(s.score).toBeGreaterThanOrEqual(limits.passwordMinScore);
    for (let i = 0; i < 20; i++) expect(passwordStrength(generateOneTimePassword()).acceptable).toBe(true);
  });

  it('refuses the login, the name, and strong-looking wrappers around them', () => {
    const owner = { login: 'ivan.petrov@firm.example', name: 'Ivan Petrov' };
    for (const personal of [
      'ivan.petrov@firm.example',
      'pw-ivan.petrov@firm.example-secret',
      'Ivan-Petrov-1990!',
      'petrov.firm.2024',
    ]) {
      expect(passwordStrength(personal, owner).problem, personal).toBe(personalPasswordMessage);
    }
    // Someone else may use those words.
    expect(passwordStrength('Ivan-Petrov-1990!-lantern', { login: 'anna' }).acceptable).toBe(true);
  });

  it('derives user inputs from login, email parts and name', () => {
    expect(passwordUserInputs({ login: 'mia.member@example.test', name: 'Mia Member' })).toEqual(
      expect.arrayContaining([
        'mia.member@example.test',
        'mia',
        'member',
        'example',
        'test',
        'mia member',
        'miamember',
      ]),
    );
    expect(passwordUserInputs({})).toEqual([]);
  });

  it('stays fast on long, substitution-heavy input', () => {
    const started = performance.now();
    passwordStrength('p@$$w0rd!'.repeat(28));
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('newPasswordProblem', () => {
  it('refuses the password already stored', async () => {
    const current = 'Velvet-compass-drifts-north-31';
    const user = { login: 'mia', name: 'Mia Member', passwordHash: await hashPassword(current) };
    expect(await newPasswordProblem(user, current)).toBe('Must differ from the current password');
    expect(await newPasswordProblem(user, 'Amber-falcon-circles-twice-48')).toBeNull();
    expect(await newPasswordProblem(user, 'Mia-Member-2024')).toBe(personalPasswordMessage);
  });
});
