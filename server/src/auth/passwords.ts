import { hash, verify } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';
import { passwordStrength } from '@crewdeck/shared/password-strength';

// OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane). The binding's default algorithm is
// argon2id; its `Algorithm` const enum cannot be imported under verbatimModuleSyntax, and a
// unit test asserts the `$argon2id$` prefix instead.
const options = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export async function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

// Verifying against this when the login is unknown keeps response times alike, so timing
// does not reveal which logins exist.
const dummyHash = hash('crewdeck-dummy-password', options);

/** True when `password` matches `passwordHash`; with no hash, burns the same time and fails. */
export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash ?? (await dummyHash), password);
  } catch {
    return false;
  }
}

/**
 * Why `password` may not replace the password of `user`, or null: too easy to guess, built
 * from their login or name, or the very password already stored.
 */
export async function newPasswordProblem(
  user: { login: string; name: string; passwordHash: string },
  password: string,
): Promise<string | null> {
  const strength = passwordStrength(password, { login: user.login, name: user.name });
  if (strength.problem) return strength.problem;
  if (await verifyPassword(user.passwordHash, password)) return 'Must differ from the current password';
  return null;
}

// No 0/O/1/l/I, so a password read aloud or from paper survives.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A random 16-character one-time password (about 92 bits). */
export function generateOneTimePassword(): string {
  const bytes = randomBytes(32);
  let out = '';
  for (const byte of bytes) {
    // Rejection sampling keeps every character equally likely.
    if (byte >= ALPHABET.length * Math.floor(256 / ALPHABET.length)) continue;
    out += ALPHABET[byte % ALPHABET.length];
    if (out.length === 16) return out;
  }
  return out + generateOneTimePassword().slice(out.length);
}
