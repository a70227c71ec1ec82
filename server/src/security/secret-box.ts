import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Secrets at rest (Google refresh tokens, iCal feed tokens): AES-256-GCM with a random 96-bit
 * nonce per value, so a copied database alone reveals nothing and a tampered value fails to open.
 * Sealed form: `v1.<nonce>.<ciphertext>.<tag>`, each part base64url.
 */
export class SecretBox {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('SecretBox needs a 32-byte key');
    this.#key = key;
  }

  seal(plain: string): string {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, nonce);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', nonce, body, cipher.getAuthTag()]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  open(sealed: string): string {
    const [version, nonce, body, tag] = sealed.split('.');
    if (version !== 'v1' || !nonce || body === undefined || !tag) throw new Error('Not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(nonce, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }
}

/**
 * The key: `CREWDECK_SECRET_KEY` (any string; hashed to 32 bytes), else one generated once into
 * `<dataDir>/secret.key` with a warning (losing that file means reconnecting Google), else, with
 * no data directory (tests, memory-only runs), a random key for this process.
 */
export function loadSecretKey(options: { secret?: string; dataDir?: string; warn?: (line: string) => void }): Buffer {
  if (options.secret) return createHash('sha256').update(options.secret).digest();
  if (!options.dataDir) return randomBytes(32);
  const file = join(options.dataDir, 'secret.key');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
  const key = randomBytes(32);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, key.toString('base64url'), { mode: 0o600 });
  options.warn?.(
    `[crewdeck] CREWDECK_SECRET_KEY is not set: generated a key into ${file}. Back it up, or set ` +
      'CREWDECK_SECRET_KEY; without it the stored Google connections cannot be read.',
  );
  return key;
}
