import type { ClientSession, QueryFilter } from 'mongoose';
import type { AuditAction } from '@crewdeck/shared/audit';
import { AuditHeadModel, AuditModel, type AuditEntryDoc } from './audit.model.ts';
import type { AuditScope } from './audit.scope.ts';

/** Journal filters after parsing: instants are Dates. */
export interface AuditCriteria {
  user?: string;
  affectedUser?: string;
  action?: AuditAction;
  code?: string;
  from?: Date;
  to?: Date;
}

/** The scope as a filter; codes and prefixes are `[A-Z0-9-]` only, so they are safe in a regex. */
function scopeFilter(scope: AuditScope): QueryFilter<AuditEntryDoc> | null {
  if (scope.everything) return null;
  const visible: QueryFilter<AuditEntryDoc>[] = [{ 'user.id': scope.actorId }];
  if (scope.codes.length > 0) visible.push({ code: { $in: scope.codes } });
  const prefixes = scope.prefixes.filter((p) => /^[A-Z0-9]+$/.test(p));
  if (prefixes.length > 0) visible.push({ code: { $regex: `^(?:${prefixes.join('|')})-` } });
  return { $or: visible };
}

function toQuery(criteria: AuditCriteria, scope: AuditScope = { everything: true }): QueryFilter<AuditEntryDoc> {
  const query: QueryFilter<AuditEntryDoc> = {};
  const visible = scopeFilter(scope);
  if (visible) query.$and = [visible];
  if (criteria.user) query['user.id'] = criteria.user;
  if (criteria.affectedUser) query['affectedUser.id'] = criteria.affectedUser;
  if (criteria.action) query.action = criteria.action;
  if (criteria.code) query.code = criteria.code;
  if (criteria.from || criteria.to) {
    query.at = {
      ...(criteria.from ? { $gte: criteria.from } : {}),
      ...(criteria.to ? { $lt: criteria.to } : {}),
    };
  }
  return query;
}

/** The only code touching the journal collection. It can insert and read, never update. */
export class AuditRepository {
  async last(session?: ClientSession): Promise<AuditEntryDoc | null> {
    return AuditModel.findOne({}, null, { session }).sort({ seq: -1 }).lean<AuditEntryDoc>();
  }

  /**
   * Moves the chain head to `seq` in the caller's transaction (see AuditHeadModel). The `$inc`
   * makes it a real write even when another appender already set the same `seq` (a no-op update
   * writes nothing, so it would not conflict).
   */
  async claimHead(seq: number, session: ClientSession): Promise<void> {
    await AuditHeadModel.updateOne(
      { _id: 'chain' },
      { $set: { seq }, $inc: { appends: 1 } },
      { upsert: true, session },
    );
  }

  async insert(entry: Omit<AuditEntryDoc, '_id'>, session?: ClientSession): Promise<void> {
    await AuditModel.create([entry], { session });
  }

  /** Newest first, entries with `seq < beforeSeq`. */
  async newest(
    criteria: AuditCriteria,
    scope: AuditScope,
    beforeSeq: number | null,
    limit: number,
  ): Promise<AuditEntryDoc[]> {
    const query = toQuery(criteria, scope);
    if (beforeSeq !== null) query.seq = { $lt: beforeSeq };
    return AuditModel.find(query).sort({ seq: -1 }).limit(limit).lean<AuditEntryDoc[]>();
  }

  /** Oldest first, entries with `seq > afterSeq`; used to walk the chain and to export, in batches. */
  async oldest(criteria: AuditCriteria, scope: AuditScope, afterSeq: number, limit: number): Promise<AuditEntryDoc[]> {
    const query = { ...toQuery(criteria, scope), seq: { $gt: afterSeq } };
    return AuditModel.find(query).sort({ seq: 1 }).limit(limit).lean<AuditEntryDoc[]>();
  }

  async count(criteria: AuditCriteria = {}): Promise<number> {
    return AuditModel.countDocuments(toQuery(criteria));
  }
}
