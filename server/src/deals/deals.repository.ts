import mongoose, { type ClientSession, type QueryFilter } from 'mongoose';
import type { CurrencyTotal } from '@crewdeck/shared/deals';
import type { ClientAccess } from '../clients/clients.model.ts';
import { isObjectId } from '../clients/clients.repository.ts';
import { DealModel, type DealDoc } from './deals.model.ts';

const oid = (id: string) => new mongoose.Types.ObjectId(id);

export type NewDeal = Omit<DealDoc, '_id' | 'createdAt' | 'updatedAt' | 'version'>;

/** What the KPIs count: deals closed as won in `[from, to)`, optionally of one manager and visible ones only. */
export interface WonFilter {
  from: Date;
  to: Date;
  managerId?: string;
  /** A visibility filter over `access` (from `ClientsService.visibleFilter(actor, 'access')`); null = all. */
  visible?: Record<string, unknown> | null;
}

/** Room left between neighbours before a stage is renumbered. */
const POSITION_STEP = 1024;
const MIN_GAP = 1e-6;

/** The only code touching the deals collection. */
export class DealsRepository {
  async findById(id: string, session?: ClientSession): Promise<DealDoc | null> {
    if (!isObjectId(id)) return null;
    return DealModel.findById(id, null, { session }).lean<DealDoc>();
  }

  async list(filter: QueryFilter<DealDoc>, limit: number): Promise<DealDoc[]> {
    return DealModel.find(filter).sort({ stage: 1, position: 1, _id: 1 }).limit(limit).lean<DealDoc[]>();
  }

  async create(data: NewDeal, session: ClientSession): Promise<DealDoc> {
    const [doc] = await DealModel.create([{ ...data, version: 0 }], { session });
    return doc.toObject<DealDoc>();
  }

  /** Saves a change if the deal is still at `version` (null when stale or gone). */
  async updateAt(id: string, version: number, set: Partial<DealDoc>, session: ClientSession): Promise<DealDoc | null> {
    return DealModel.findOneAndUpdate(
      { _id: oid(id), version },
      { $set: set, $inc: { version: 1 } },
      { returnDocument: 'after', session, runValidators: true },
    ).lean<DealDoc>();
  }

  async delete(id: string, session: ClientSession): Promise<void> {
    await DealModel.deleteOne({ _id: oid(id) }, { session });
  }

  /** A position at the end of `stage`. */
  async endOf(stage: string, session: ClientSession): Promise<number> {
    const last = await DealModel.findOne({ stage }, { position: 1 }, { session }).sort({ position: -1 }).lean();
    return (last?.position ?? 0) + POSITION_STEP;
  }

  /**
   * A position just before `beforeId` in `stage` (the end when it is not in that stage), between
   * it and its predecessor; renumbers the stage when the two have grown too close.
   */
  async before(stage: string, beforeId: string, movingId: string | null, session: ClientSession): Promise<number> {
    const next = await this.findById(beforeId, session);
    if (!next || next.stage !== stage || String(next._id) === movingId) return this.endOf(stage, session);
    const prev = await DealModel.findOne(
      { stage, position: { $lt: next.position }, ...(movingId ? { _id: { $ne: oid(movingId) } } : {}) },
      { position: 1 },
      { session },
    )
      .sort({ position: -1 })
      .lean();
    const low = prev?.position ?? next.position - POSITION_STEP;
    if (next.position - low > MIN_GAP) return (low + next.position) / 2;
    await this.renumber(stage, session);
    return this.before(stage, beforeId, movingId, session);
  }

  /** The id of the deal at `index` in `stage` (without the moving one), or null past the end. */
  async idAt(stage: string, index: number, movingId: string, session: ClientSession): Promise<string | null> {
    const doc = await DealModel.findOne({ stage, _id: { $ne: oid(movingId) } }, { _id: 1 }, { session })
      .sort({ position: 1, _id: 1 })
      .skip(index)
      .lean();
    return doc ? String(doc._id) : null;
  }

  async renumber(stage: string, session: ClientSession): Promise<void> {
    const docs = await DealModel.find({ stage }, { _id: 1 }, { session }).sort({ position: 1, _id: 1 }).lean();
    await DealModel.bulkWrite(
      docs.map((d, i) => ({
        updateOne: { filter: { _id: d._id }, update: { $set: { position: (i + 1) * POSITION_STEP } } },
      })),
      { session },
    );
  }

  /** Deals won in the period, counted and summed per currency (the KPIs of issue 14 read this). */
  async wonBetween(filter: WonFilter): Promise<CurrencyTotal[]> {
    const and: Record<string, unknown>[] = [{ outcome: 'won', closedAt: { $gte: filter.from, $lt: filter.to } }];
    if (filter.managerId) and.push({ managerId: oid(filter.managerId) });
    if (filter.visible) and.push(castAccess(filter.visible) as Record<string, unknown>);
    const rows = await DealModel.aggregate<{ _id: string; count: number; amount: number }>([
      { $match: { $and: and } },
      { $group: { _id: '$currency', count: { $sum: 1 }, amount: { $sum: '$amount' } } },
      { $sort: { _id: 1 } },
    ]);
    return rows.map((r) => ({ currency: r._id, count: r.count, amount: r.amount }));
  }

  async lostBetween(filter: WonFilter): Promise<number> {
    const and: Record<string, unknown>[] = [{ outcome: 'lost', closedAt: { $gte: filter.from, $lt: filter.to } }];
    if (filter.managerId) and.push({ managerId: oid(filter.managerId) });
    if (filter.visible) and.push(filter.visible);
    return DealModel.countDocuments({ $and: and });
  }

  // ——— the `deals` client link ———

  async moveClient(fromId: string, toId: string, access: ClientAccess, session: ClientSession): Promise<string[]> {
    const docs = await DealModel.find({ clientId: oid(fromId) }, { _id: 1 }, { session }).lean();
    const ids = docs.map((d) => d._id);
    if (ids.length)
      await DealModel.updateMany(
        { _id: { $in: ids } },
        { $set: { clientId: oid(toId), movedFrom: oid(fromId), access }, $inc: { version: 1 } },
        { session },
      );
    return ids.map(String);
  }

  async restoreClient(ids: string[], toId: string, access: ClientAccess, session: ClientSession): Promise<void> {
    const valid = ids.filter(isObjectId).map(oid);
    if (!valid.length) return;
    await DealModel.updateMany(
      { _id: { $in: valid } },
      { $set: { clientId: oid(toId), movedFrom: null, access }, $inc: { version: 1 } },
      { session },
    );
  }

  async reaccess(clientId: string, access: ClientAccess, session: ClientSession): Promise<void> {
    await DealModel.updateMany({ clientId: oid(clientId) }, { $set: { access } }, { session });
  }
}

/**
 * Aggregation `$match` does not cast like `find`: the visibility filter's ids arrive as strings
 * and must become ObjectIds to match the stored ones.
 */
function castAccess(value: unknown): unknown {
  if (typeof value === 'string') return isObjectId(value) ? oid(value) : value;
  if (Array.isArray(value)) return value.map(castAccess);
  if (value && typeof value === 'object' && !(value instanceof mongoose.Types.ObjectId))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, castAccess(v)]));
  return value;
}
