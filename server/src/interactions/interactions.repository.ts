import mongoose, { type ClientSession, type QueryFilter } from 'mongoose';
import { ClientModel, ContactModel, type ClientAccess, type ContactDoc } from '../clients/clients.model.ts';
import { isObjectId } from '../clients/clients.repository.ts';
import { InteractionModel, type InteractionDoc } from './interactions.model.ts';

const oid = (id: string) => new mongoose.Types.ObjectId(id);

export type NewInteraction = Omit<InteractionDoc, '_id' | 'createdAt' | 'updatedAt'>;

/** The only code touching the interactions collection (and the client's `lastInteractionAt`). */
export class InteractionsRepository {
  async findById(id: string, session?: ClientSession): Promise<InteractionDoc | null> {
    if (!isObjectId(id)) return null;
    return InteractionModel.findById(id, null, { session }).lean<InteractionDoc>();
  }

  async create(data: NewInteraction, session: ClientSession): Promise<InteractionDoc> {
    const [doc] = await InteractionModel.create([data], { session });
    return doc.toObject<InteractionDoc>();
  }

  async update(id: string, set: Partial<InteractionDoc>, session: ClientSession): Promise<InteractionDoc | null> {
    return InteractionModel.findByIdAndUpdate(
      id,
      { $set: set },
      { returnDocument: 'after', session },
    ).lean<InteractionDoc>();
  }

  async delete(id: string, session: ClientSession): Promise<void> {
    await InteractionModel.deleteOne({ _id: oid(id) }, { session });
  }

  /** The client's latest interaction moves forward only (a back-dated log keeps a later one). */
  async touchClient(clientId: string, at: Date, session: ClientSession): Promise<void> {
    await ClientModel.updateOne({ _id: oid(clientId) }, { $max: { lastInteractionAt: at } }, { session });
  }

  /** Recomputes the client's latest interaction (after a delete, a move or a back-dated edit). */
  async recomputeClient(clientId: string, session: ClientSession): Promise<void> {
    const [latest] = await InteractionModel.find({ clientId: oid(clientId) }, { occurredAt: 1 }, { session })
      .sort({ occurredAt: -1 })
      .limit(1)
      .lean<Pick<InteractionDoc, 'occurredAt'>[]>();
    await ClientModel.updateOne(
      { _id: oid(clientId) },
      { $set: { lastInteractionAt: latest?.occurredAt ?? null } },
      { session },
    );
  }

  async list(filter: QueryFilter<InteractionDoc>, offset: number, limit: number) {
    const [docs, total] = await Promise.all([
      InteractionModel.find(filter)
        .sort({ occurredAt: -1, _id: -1 })
        .skip(offset)
        .limit(limit)
        .lean<InteractionDoc[]>(),
      InteractionModel.countDocuments(filter),
    ]);
    return { docs, total };
  }

  /** Counts per kind and per result over `filter`. */
  async counts(filter: QueryFilter<InteractionDoc>) {
    // Aggregation does not cast: the visibility filter holds ids as strings.
    const match: Record<string, unknown> = InteractionModel.find().cast(InteractionModel, filter);
    const [byKind, byResult] = await Promise.all([
      InteractionModel.aggregate<{ _id: string; count: number }>([
        { $match: match },
        { $group: { _id: '$kind', count: { $sum: 1 } } },
      ]),
      InteractionModel.aggregate<{ _id: string | null; count: number }>([
        { $match: match },
        { $group: { _id: '$result', count: { $sum: 1 } } },
      ]),
    ]);
    return { byKind, byResult };
  }

  /** Follow-ups that fell due and were not sent yet, oldest first. */
  async dueFollowUps(now: Date, limit = 500): Promise<InteractionDoc[]> {
    return InteractionModel.find({ 'followUp.notifiedAt': null, 'followUp.at': { $lte: now } })
      .sort({ 'followUp.at': 1 })
      .limit(limit)
      .lean<InteractionDoc[]>();
  }

  /** Marks a follow-up sent; false when another instance did it first. */
  async markNotified(id: mongoose.Types.ObjectId, at: Date): Promise<boolean> {
    const res = await InteractionModel.updateOne(
      { _id: id, 'followUp.notifiedAt': null },
      { $set: { 'followUp.notifiedAt': at } },
    );
    return res.modifiedCount === 1;
  }

  /** Contact id → name (contacts are shown by name on each interaction). */
  async contactNames(ids: string[]): Promise<Map<string, string>> {
    const valid = [...new Set(ids)].filter(isObjectId).map(oid);
    if (!valid.length) return new Map();
    const docs = await ContactModel.find({ _id: { $in: valid } }, { name: 1 }).lean<
      Pick<ContactDoc, '_id' | 'name'>[]
    >();
    return new Map(docs.map((c) => [String(c._id), c.name]));
  }

  /** Tasks the client's interactions link to or created as follow-ups. */
  async taskIdsOf(clientId: string): Promise<string[]> {
    if (!isObjectId(clientId)) return [];
    const client = oid(clientId);
    const [linked, followUps] = await Promise.all([
      InteractionModel.distinct('taskId', { clientId: client, taskId: { $ne: null } }),
      InteractionModel.distinct('followUp.taskId', { clientId: client, 'followUp.taskId': { $ne: null } }),
    ]);
    return [...new Set([...linked, ...followUps].map(String))];
  }

  // ——— the client link: merges and reassignment ———

  async moveAll(fromId: string, toId: string, access: ClientAccess, session: ClientSession): Promise<string[]> {
    const docs = await InteractionModel.find({ clientId: oid(fromId) }, { _id: 1 }, { session }).lean<
      Pick<InteractionDoc, '_id'>[]
    >();
    const ids = docs.map((d) => d._id);
    if (ids.length)
      await InteractionModel.updateMany({ _id: { $in: ids } }, { $set: { clientId: oid(toId), access } }, { session });
    return ids.map(String);
  }

  async moveIds(ids: string[], toId: string, access: ClientAccess, session: ClientSession): Promise<void> {
    const valid = ids.filter(isObjectId).map(oid);
    if (valid.length)
      await InteractionModel.updateMany(
        { _id: { $in: valid } },
        { $set: { clientId: oid(toId), access } },
        { session },
      );
  }

  async setAccess(clientId: string, access: ClientAccess, session: ClientSession): Promise<void> {
    await InteractionModel.updateMany({ clientId: oid(clientId) }, { $set: { access } }, { session });
  }

  /** The client a set of interactions belongs to, for the restore's recompute. */
  async clientIdsOf(ids: string[], session: ClientSession): Promise<string[]> {
    const valid = ids.filter(isObjectId).map(oid);
    return (await InteractionModel.distinct('clientId', { _id: { $in: valid } }, { session })).map(String);
  }
}
