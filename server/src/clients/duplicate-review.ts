import mongoose from 'mongoose';
import type { DuplicatePair } from '@crewdeck/shared/clients';
import type { AuthedContext } from '../http/context.ts';
import { NotFoundError } from '../http/errors.ts';
import type { AccessControl } from '../permissions/access-control.ts';
import type { AuditWriter } from '../audit/audit.writer.ts';
import type { People } from '../users/people.ts';
import { DuplicatePairModel, pairKeyOf, type ClientDoc, type DuplicatePairDoc } from './clients.model.ts';
import type { ClientsRepository } from './clients.repository.ts';
import type { ClientsService } from './clients.service.ts';
import { presentCandidate, type DuplicateFinder } from './duplicates.ts';

export interface DuplicateReviewDeps {
  repo: ClientsRepository;
  finder: DuplicateFinder;
  clients: ClientsService;
  access: AccessControl;
  audit: AuditWriter;
  people: People;
}

/**
 * The review queue of likely duplicates: the nightly sweep runs the same rules as the check on
 * every write over all clients (records that got in by `force`, by an import's "create anyway",
 * or before a rule existed) and stores new pairs; "not a duplicate" is remembered on the pair so
 * it is never proposed again. Merging removes the pair.
 */
export class DuplicateReview {
  readonly #d: DuplicateReviewDeps;

  constructor(deps: DuplicateReviewDeps) {
    this.#d = deps;
  }

  /** Finds pairs among all live clients; returns how many new pairs entered the queue. */
  async sweep(): Promise<number> {
    let added = 0;
    for await (const batch of this.#d.repo.all()) {
      for (const client of batch) {
        const matches = await this.#d.finder.find(client, String(client._id));
        for (const match of matches) {
          const a = String(client._id);
          const b = String(match.doc._id);
          const result = await DuplicatePairModel.updateOne(
            { pairKey: pairKeyOf(a, b) },
            {
              $setOnInsert: {
                aId: new mongoose.Types.ObjectId(a < b ? a : b),
                bId: new mongoose.Types.ObjectId(a < b ? b : a),
                dismissedAt: null,
                dismissedBy: null,
              },
              $set: { reasons: match.reasons },
            },
            { upsert: true },
          );
          if (result.upsertedCount) added += 1;
        }
      }
    }
    return added;
  }

  /** Pending pairs whose two clients are live and visible to the caller. */
  async list(ctx: AuthedContext): Promise<{ pairs: DuplicatePair[] }> {
    await this.#d.access.authorize(ctx, 'client.merge');
    const docs = await DuplicatePairModel.find({ dismissedAt: null })
      .sort({ createdAt: -1 })
      .limit(500)
      .lean<DuplicatePairDoc[]>();
    const clients = new Map(
      (await this.#d.repo.findByIds(docs.flatMap((d) => [String(d.aId), String(d.bId)]))).map((c) => [
        String(c._id),
        c,
      ]),
    );
    const live = (id: unknown) => {
      const c = clients.get(String(id));
      return c && !c.mergedInto && this.#d.clients.sees(ctx.actor, c) ? c : null;
    };
    const pairs: { doc: DuplicatePairDoc; a: ClientDoc; b: ClientDoc }[] = [];
    for (const doc of docs) {
      const a = live(doc.aId);
      const b = live(doc.bId);
      if (a && b) pairs.push({ doc, a, b });
    }
    const names = await this.#d.people.names(
      pairs.flatMap((p) => [p.a.managerId, p.b.managerId]).flatMap((id) => (id ? [String(id)] : [])),
    );
    const name = (id: string) => names.get(id) ?? '';
    const reasons = (doc: DuplicatePairDoc) => doc.reasons as DuplicatePair['reasons'];
    return {
      pairs: pairs.map(({ doc, a, b }) => ({
        id: String(doc._id),
        a: presentCandidate({ doc: a, reasons: reasons(doc) }, true, name),
        b: presentCandidate({ doc: b, reasons: reasons(doc) }, true, name),
        reasons: reasons(doc),
        foundAt: doc.createdAt.toISOString(),
      })),
    };
  }

  async dismiss(ctx: AuthedContext, id: string): Promise<{ ok: true }> {
    await this.#d.access.authorize(ctx, 'client.merge');
    const pair = mongoose.isValidObjectId(id) ? await DuplicatePairModel.findById(id).lean<DuplicatePairDoc>() : null;
    if (!pair) throw new NotFoundError('Duplicate pair');
    const a = await this.#d.clients.writable(ctx, String(pair.aId), 'client.merge');
    const b = await this.#d.clients.writable(ctx, String(pair.bId), 'client.merge');
    await this.#d.audit.write(ctx, async (session) => {
      await DuplicatePairModel.updateOne(
        { _id: pair._id },
        { $set: { dismissedAt: new Date(), dismissedBy: new mongoose.Types.ObjectId(ctx.actor.id) } },
        { session },
      );
      return {
        result: undefined,
        audit: { action: 'client.duplicateDismiss', code: a.code, note: `Not a duplicate of ${b.name}` },
      };
    });
    return { ok: true };
  }

  /** Client id → pending pairs it is in (the data-quality report's count). */
  async pendingCounts(): Promise<Map<string, number>> {
    const docs = await DuplicatePairModel.find({ dismissedAt: null }, { aId: 1, bId: 1 }).lean<DuplicatePairDoc[]>();
    const counts = new Map<string, number>();
    for (const d of docs) for (const id of [String(d.aId), String(d.bId)]) counts.set(id, (counts.get(id) ?? 0) + 1);
    return counts;
  }
}
