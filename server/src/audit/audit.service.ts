import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { AuditFilter, AuditPage, AuditQuery, AuditVerify } from '@crewdeck/shared/audit';
import { limits } from '@crewdeck/shared/limits';
import type { AuthedContext } from '../http/context.ts';
import type { CsvPayload } from '../http/route.ts';
import type { AccessControl } from '../permissions/access-control.ts';
import { hashEntry, GENESIS_HASH } from './audit.hash.ts';
import type { AuditEntryDoc } from './audit.model.ts';
import { csvColumns, csvRow, presentAuditEntry } from './audit.presenter.ts';
import type { AuditCriteria, AuditRepository } from './audit.repository.ts';

const BATCH = 500;

/** A plain date means midnight UTC of that day. */
function instant(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  return new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00.000Z` : value);
}

function criteria(filter: AuditFilter): AuditCriteria {
  return {
    user: filter.user,
    affectedUser: filter.affectedUser,
    action: filter.action,
    code: filter.code?.toUpperCase(),
    from: instant(filter.from),
    to: instant(filter.to),
  };
}

/** The first problem in a batch of consecutive entries, if any. */
function checkBatch(batch: AuditEntryDoc[], expectedSeq: number, prevHash: string): AuditVerify['brokenAt'] {
  for (const entry of batch) {
    if (entry.seq !== expectedSeq) return { seq: expectedSeq, reason: 'sequence_gap' };
    if (entry.prevHash !== prevHash) return { seq: entry.seq, reason: 'link_mismatch' };
    const { _id, hash, ...fields } = entry;
    if (hashEntry(fields) !== hash) return { seq: entry.seq, reason: 'hash_mismatch' };
    prevHash = hash;
    expectedSeq += 1;
  }
  return undefined;
}

/** Reading, verifying and exporting the journal. Writing is `AuditWriter`'s alone. */
export class AuditService {
  readonly #repo: AuditRepository;
  readonly #access: AccessControl;

  constructor(deps: { repo: AuditRepository; access: AccessControl }) {
    this.#repo = deps.repo;
    this.#access = deps.access;
  }

  async list(ctx: AuthedContext, query: AuditQuery): Promise<AuditPage> {
    await this.#access.authorize(ctx, 'audit.read');
    const limit = query.limit ?? limits.pageDefault;
    const before = query.cursor ? Number(query.cursor) : null;
    const docs = await this.#repo.newest(criteria(query), before, limit + 1);
    const page = docs.slice(0, limit);
    const next = docs.length > limit ? String(page[page.length - 1].seq) : null;
    return { items: page.map(presentAuditEntry), next };
  }

  /** Walks the whole chain in order, recomputing every hash and link. */
  async verify(ctx: AuthedContext): Promise<AuditVerify> {
    await this.#access.authorize(ctx, 'audit.verify');
    let checked = 0;
    let prevHash = GENESIS_HASH;
    for (;;) {
      const batch = await this.#repo.oldest({}, checked, BATCH);
      if (batch.length === 0) return { ok: true, checked };
      const brokenAt = checkBatch(batch, checked + 1, prevHash);
      if (brokenAt) return { ok: false, checked: brokenAt.seq - 1, brokenAt };
      checked += batch.length;
      prevHash = batch[batch.length - 1].hash;
    }
  }

  async exportCsv(ctx: AuthedContext, filter: AuditFilter): Promise<CsvPayload> {
    await this.#access.authorize(ctx, 'audit.export');
    const repo = this.#repo;
    const where = criteria(filter);
    async function* rows() {
      let after = 0;
      for (let sent = 0; sent < limits.csvExportMax; ) {
        const batch = await repo.oldest(where, after, BATCH);
        if (batch.length === 0) return;
        for (const doc of batch) yield csvRow(doc);
        sent += batch.length;
        after = batch[batch.length - 1].seq;
      }
    }
    // escape_formulas: a comment starting with "=" must not run as a spreadsheet formula.
    const csv = stringify({ header: true, columns: [...csvColumns], escape_formulas: true });
    const stream = Readable.from(rows()).pipe(csv);
    return { filename: `audit-${new Date().toISOString().slice(0, 10)}.csv`, stream };
  }
}
