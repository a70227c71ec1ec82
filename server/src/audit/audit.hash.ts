import { createHash } from 'node:crypto';
import type { AuditEntryDoc } from './audit.model.ts';

export const GENESIS_HASH = '0'.repeat(64);

export type HashedFields = Omit<AuditEntryDoc, '_id' | 'hash'>;

/**
 * What the database will hand back for `value`: BSON stores strings as UTF-8, so a lone
 * surrogate comes back as U+FFFD. The writer stores and hashes this form, so an entry always
 * verifies against what was stored, whatever text reached it.
 */
export function storedForm<T>(value: T): T {
  if (typeof value === 'string') return value.toWellFormed() as T;
  if (Array.isArray(value)) return value.map(storedForm) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, storedForm(inner)])) as T;
  }
  return value;
}

/**
 * SHA-256 over a fixed-order array of every field (including `prevHash`), so the hash
 * does not depend on how the database orders object keys.
 */
export function hashEntry(entry: HashedFields): string {
  const canonical = JSON.stringify([
    entry.seq,
    entry.at.toISOString(),
    entry.action,
    entry.outcome,
    entry.ip,
    entry.user ? [entry.user.id, entry.user.login, entry.user.code] : null,
    entry.affectedUser ? [entry.affectedUser.id, entry.affectedUser.login, entry.affectedUser.code] : null,
    entry.affectedGroup ? [entry.affectedGroup.id, entry.affectedGroup.name] : null,
    entry.permission,
    entry.code,
    entry.comment,
    entry.changes.map((c) => [c.field, c.from ?? null, c.to ?? null]),
    entry.prevHash,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}
