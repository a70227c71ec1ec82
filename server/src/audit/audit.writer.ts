import mongoose, { type ClientSession } from 'mongoose';
import type { AuditAction, AuditChange, AuditOutcome } from '@crewdeck/shared/audit';
import type { RequestContext } from '../http/context.ts';
import type { AuditPersonDoc } from './audit.model.ts';
import type { AuditRepository } from './audit.repository.ts';
import { describeChanges } from './changes.ts';
import { GENESIS_HASH, hashEntry, storedForm, type HashedFields } from './audit.hash.ts';
import { Mutex } from './mutex.ts';

/** What a caller says about an event; the writer adds time, ip, actor and the chain. */
export interface AuditDraft {
  action: AuditAction;
  outcome?: AuditOutcome;
  permission?: string | null;
  affectedUser?: AuditPersonDoc | null;
  affectedGroup?: { id: string; name: string } | null;
  code?: string | null;
  changes?: AuditChange[];
  /** Extra text after the changed fields (never secrets). */
  note?: string;
}

/** A change plus its journal entry; `audit: null` when the change turned out to be a no-op. */
export type AuditedWork<T> = (session: ClientSession) => Promise<{ result: T; audit: AuditDraft | null }>;

/**
 * The one audit writer. Every append runs in a transaction that also rewrites the chain head,
 * so concurrent appenders (another process too) conflict and retry instead of forking the
 * chain; in-process, a mutex keeps them from conflicting at all.
 * `write()` runs the change and its entry in one transaction: no change without its entry.
 */
export class AuditWriter {
  readonly #repo: AuditRepository;
  readonly #mutex = new Mutex();

  constructor(repo: AuditRepository) {
    this.#repo = repo;
  }

  /** Journal an event that changes nothing else (login, denial, logout). */
  async record(ctx: RequestContext, draft: AuditDraft): Promise<void> {
    await this.#mutex.run(() => this.#transaction((session) => this.#append(ctx, draft, session)));
  }

  /** Run `work` and journal its entry atomically; returns the work's result. */
  async write<T>(ctx: RequestContext, work: AuditedWork<T>): Promise<T> {
    return this.#mutex.run(() =>
      this.#transaction(async (session) => {
        const outcome = await work(session);
        if (outcome.audit) await this.#append(ctx, outcome.audit, session);
        return outcome.result;
      }),
    );
  }

  async #transaction<T>(fn: (session: ClientSession) => Promise<T>): Promise<T> {
    const session = await mongoose.startSession();
    try {
      let result: T | undefined;
      await session.withTransaction(async () => {
        result = await fn(session);
      });
      return result as T;
    } finally {
      await session.endSession();
    }
  }

  async #append(ctx: RequestContext, draft: AuditDraft, session: ClientSession): Promise<void> {
    const last = await this.#repo.last(session);
    const changes = draft.changes ?? [];
    const comment = [describeChanges(changes), draft.note ?? ''].filter(Boolean).join('; ');
    const actor = ctx.actor;
    const fields: HashedFields = storedForm({
      seq: (last?.seq ?? 0) + 1,
      at: new Date(),
      action: draft.action,
      outcome: draft.outcome ?? 'allowed',
      ip: ctx.ip,
      user: actor ? { id: actor.id, login: actor.login, code: actor.code } : null,
      affectedUser: draft.affectedUser ?? null,
      affectedGroup: draft.affectedGroup ?? null,
      permission: draft.permission ?? null,
      code: draft.code ?? null,
      comment,
      changes,
      prevHash: last?.hash ?? GENESIS_HASH,
    });
    await this.#repo.claimHead(fields.seq, session);
    await this.#repo.insert({ ...fields, hash: hashEntry(fields) }, session);
  }
}
