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
import { auditScopeOf, type AuditScopeSources } from './audit.scope.ts';

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

type Problem = NonNullable<AuditVerify['brokenAt']>;

/** At most this many problems are listed; `total` still counts every entry. */
const PROBLEMS_MAX = 1000;

/**
 * Walks consecutive entries and records every problem. After a bad entry the walk goes on from
 * what is stored (its seq and hash), so one broken entry does not hide later tampering.
 */
class ChainCheck {
  expectedSeq = 1;
  prevHash = GENESIS_HASH;
  total = 0;
  readonly problems: Problem[] = [];

  add(entry: AuditEntryDoc): void {
    this.total += 1;
    // A gap breaks the link too; it is reported once, as the gap.
    if (entry.seq !== this.expectedSeq) this.#report({ seq: this.expectedSeq, reason: 'sequence_gap' });
    else if (entry.prevHash !== this.prevHash) this.#report({ seq: entry.seq, reason: 'link_mismatch' });
    const { _id, hash, ...fields } = entry;
    if (hashEntry(fields) !== hash) this.#report({ seq: entry.seq, reason: 'hash_mismatch' });
    this.prevHash = hash;
    this.expectedSeq = entry.seq + 1;
  }

  result(): AuditVerify {
    const [first] = this.problems;
    if (!first) return { ok: true, checked: this.total, total: this.total, broken: [] };
    return { ok: false, checked: first.seq - 1, total: this.total, brokenAt: first, broken: this.problems };
  }

  #report(problem: Problem): void {
    if (this.problems.length < PROBLEMS_MAX) this.problems.push(problem);
  }
}

/**
 * Reading, verifying and exporting the journal. Writing is `AuditWriter`'s alone. Lists and
 * exports are limited to the reader's scope in the query itself, so pages stay full and correct.
 */
export class AuditService {
  readonly #repo: AuditRepository;
  readonly #access: AccessControl;
  readonly #scope: AuditScopeSources;

  constructor(deps: { repo: AuditRepository; access: AccessControl; scope: Omit<AuditScopeSources, 'access'> }) {
    this.#repo = deps.repo;
    this.#access = deps.access;
    this.#scope = { ...deps.scope, access: deps.access };
  }

  async list(ctx: AuthedContext, query: AuditQuery): Promise<AuditPage> {
    await this.#access.authorize(ctx, 'audit.read');
    const limit = query.limit ?? limits.pageDefault;
    const before = query.cursor ? Number(query.cursor) : null;
    const scope = await auditScopeOf(ctx, this.#scope);
    const docs = await this.#repo.newest(criteria(query), scope, before, limit + 1);
    const page = docs.slice(0, limit);
    const next = docs.length > limit ? String(page[page.length - 1].seq) : null;
    return { items: page.map(presentAuditEntry), next };
  }

  /** Walks the whole chain in order, recomputing every hash and link, and reports every problem. */
  async verify(ctx: AuthedContext): Promise<AuditVerify> {
    await this.#access.authorize(ctx, 'audit.verify');
    const check = new ChainCheck();
    let after = 0;
    for (;;) {
      const batch = await this.#repo.oldest({}, { everything: true }, after, BATCH);
      if (batch.length === 0) return check.result();
      for (const entry of batch) check.add(entry);
      after = batch[batch.length - 1].seq;
    }
  }

  async exportCsv(ctx: AuthedContext, filter: AuditFilter): Promise<CsvPayload> {
    await this.#access.authorize(ctx, 'audit.export');
    const repo = this.#repo;
    const where = criteria(filter);
    const scope = await auditScopeOf(ctx, this.#scope);
    async function* rows() {
      let after = 0;
      for (let sent = 0; sent < limits.csvExportMax;) {
        const batch = await repo.oldest(where, scope, after, BATCH);
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
