import type { AuditEntry } from '@crewdeck/shared/audit';
import type { AuditEntryDoc } from './audit.model.ts';

/** Whitelist of journal fields. */
export function presentAuditEntry(doc: AuditEntryDoc): AuditEntry {
  return {
    id: String(doc._id),
    seq: doc.seq,
    at: doc.at.toISOString(),
    action: doc.action,
    outcome: doc.outcome,
    ip: doc.ip,
    user: doc.user ? { id: doc.user.id, login: doc.user.login, code: doc.user.code } : null,
    affectedUser: doc.affectedUser
      ? { id: doc.affectedUser.id, login: doc.affectedUser.login, code: doc.affectedUser.code }
      : null,
    affectedGroup: doc.affectedGroup ? { id: doc.affectedGroup.id, name: doc.affectedGroup.name } : null,
    permission: doc.permission,
    code: doc.code,
    comment: doc.comment,
    changes: doc.changes.map((c) => ({ field: c.field, from: c.from ?? null, to: c.to ?? null })),
    prevHash: doc.prevHash,
    hash: doc.hash,
  };
}

/** One CSV row per entry; column order is the header order. */
export const csvColumns = [
  'seq',
  'at',
  'action',
  'outcome',
  'ip',
  'user',
  'affectedUser',
  'affectedGroup',
  'permission',
  'code',
  'comment',
  'hash',
] as const;

export function csvRow(doc: AuditEntryDoc): Record<(typeof csvColumns)[number], string | number> {
  return {
    seq: doc.seq,
    at: doc.at.toISOString(),
    action: doc.action,
    outcome: doc.outcome,
    ip: doc.ip,
    user: doc.user ? `${doc.user.login} (${doc.user.code})` : '',
    affectedUser: doc.affectedUser ? `${doc.affectedUser.login} (${doc.affectedUser.code})` : '',
    affectedGroup: doc.affectedGroup?.name ?? '',
    permission: doc.permission ?? '',
    code: doc.code ?? '',
    comment: doc.comment,
    hash: doc.hash,
  };
}
