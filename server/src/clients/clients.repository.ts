import mongoose, { type ClientSession, type QueryFilter } from 'mongoose';
import { ClientModel, ContactModel, type ClientDoc, type ContactDoc } from './clients.model.ts';

const oid = (id: string) => new mongoose.Types.ObjectId(id);
export const isObjectId = (id: string) => mongoose.isValidObjectId(id) && /^[0-9a-f]{24}$/i.test(id);

export type NewClient = Omit<ClientDoc, '_id' | 'createdAt' | 'updatedAt'>;

/** The only code touching the clients and contacts collections. */
export class ClientsRepository {
  async count(): Promise<number> {
    return ClientModel.estimatedDocumentCount();
  }

  async findById(id: string, session?: ClientSession): Promise<ClientDoc | null> {
    if (!isObjectId(id)) return null;
    return ClientModel.findById(id, null, { session }).lean<ClientDoc>();
  }

  async findByIds(ids: string[], session?: ClientSession): Promise<ClientDoc[]> {
    const valid = ids.filter(isObjectId);
    if (!valid.length) return [];
    return ClientModel.find({ _id: { $in: valid.map(oid) } }, null, { session }).lean<ClientDoc[]>();
  }

  async create(data: NewClient, session: ClientSession): Promise<ClientDoc> {
    const [doc] = await ClientModel.create([data], { session });
    return doc.toObject<ClientDoc>();
  }

  async insertMany(data: NewClient[], session: ClientSession): Promise<ClientDoc[]> {
    const docs = await ClientModel.insertMany(data, { session });
    return docs.map((d) => d.toObject<ClientDoc>());
  }

  async update(id: string, set: Partial<ClientDoc>, session: ClientSession): Promise<ClientDoc | null> {
    return ClientModel.findByIdAndUpdate(id, { $set: set }, { returnDocument: 'after', session }).lean<ClientDoc>();
  }

  /**
   * Live clients sharing one of `keys` (the duplicate lookup, by the multikey index). Exact keys
   * (phone, email, name key, domain) are selective and fetched whole; the name blocking keys
   * (`w:`, `np:`, `ns:`) can be common words, so each brings at most `perWeakKey` clients.
   */
  async withDupKeys(keys: string[], excludeIds: string[], session?: ClientSession, perWeakKey = 50) {
    const exclude = { mergedInto: null, _id: { $nin: excludeIds.filter(isObjectId).map(oid) } };
    // Only what the rules compare and the candidate shows: a check reads up to hundreds of them.
    const fields = 'kind name legalName phones emails website managerId groupIds code';
    const weak = (key: string) => /^(w|np|ns):/.test(key);
    const strong = keys.filter((k) => !weak(k));
    const queries = [
      ...(strong.length
        ? [ClientModel.find({ dupKeys: { $in: strong }, ...exclude }, fields, { session }).limit(500)]
        : []),
      ...keys
        .filter(weak)
        .map((key) => ClientModel.find({ dupKeys: key, ...exclude }, fields, { session }).limit(perWeakKey)),
    ];
    const found = new Map<string, ClientDoc>();
    for (const query of queries) for (const doc of await query.lean<ClientDoc[]>()) found.set(String(doc._id), doc);
    return [...found.values()];
  }

  /**
   * The duplicate lookup for many records at once (bulk creation): one query for all their exact
   * keys and one for all their blocking keys, at most `weakCap` clients for the latter.
   */
  async withAnyDupKeys(keys: string[], session?: ClientSession, weakCap = 5000): Promise<ClientDoc[]> {
    const fields = 'kind name legalName phones emails website managerId groupIds code dupKeys';
    const weak = (key: string) => /^(w|np|ns):/.test(key);
    const unique = [...new Set(keys)];
    const strong = unique.filter((k) => !weak(k));
    const blocking = unique.filter(weak);
    const found = new Map<string, ClientDoc>();
    const add = (docs: ClientDoc[]) => docs.forEach((d) => found.set(String(d._id), d));
    if (strong.length)
      add(
        await ClientModel.find({ dupKeys: { $in: strong }, mergedInto: null }, fields, { session }).lean<ClientDoc[]>(),
      );
    if (blocking.length)
      add(
        await ClientModel.find({ dupKeys: { $in: blocking }, mergedInto: null }, fields, { session })
          .limit(weakCap)
          .lean<ClientDoc[]>(),
      );
    return [...found.values()];
  }

  async list(filter: QueryFilter<ClientDoc>, sort: Record<string, 1 | -1>, offset: number, limit: number) {
    const [docs, total] = await Promise.all([
      ClientModel.find(filter).sort(sort).skip(offset).limit(limit).lean<ClientDoc[]>(),
      ClientModel.countDocuments(filter),
    ]);
    return { docs, total };
  }

  /** Every live client in batches (sweeps and reports). */
  async *all(filter: QueryFilter<ClientDoc> = {}, batch = 1000): AsyncGenerator<ClientDoc[]> {
    let after: mongoose.Types.ObjectId | null = null;
    for (;;) {
      const query: QueryFilter<ClientDoc> = { ...filter, mergedInto: null, ...(after ? { _id: { $gt: after } } : {}) };
      const docs: ClientDoc[] = await ClientModel.find(query).sort({ _id: 1 }).limit(batch).lean<ClientDoc[]>();
      if (!docs.length) return;
      yield docs;
      after = docs[docs.length - 1]._id;
    }
  }

  async contacts(clientId: string, session?: ClientSession): Promise<ContactDoc[]> {
    return ContactModel.find({ clientId: oid(clientId) }, null, { session })
      .sort({ name: 1 })
      .lean<ContactDoc[]>();
  }

  async contact(clientId: string, contactId: string): Promise<ContactDoc | null> {
    if (!isObjectId(contactId)) return null;
    return ContactModel.findOne({ _id: oid(contactId), clientId: oid(clientId) }).lean<ContactDoc>();
  }

  async createContact(data: Omit<ContactDoc, '_id' | 'createdAt' | 'updatedAt'>, session: ClientSession) {
    const [doc] = await ContactModel.create([data], { session });
    await this.recountContacts(String(data.clientId), session);
    return doc.toObject<ContactDoc>();
  }

  async updateContact(id: string, set: Partial<ContactDoc>, session: ClientSession): Promise<ContactDoc | null> {
    return ContactModel.findByIdAndUpdate(id, { $set: set }, { returnDocument: 'after', session }).lean<ContactDoc>();
  }

  async deleteContact(id: string, clientId: string, session: ClientSession): Promise<void> {
    await ContactModel.deleteOne({ _id: oid(id) }, { session });
    await this.recountContacts(clientId, session);
  }

  async recountContacts(clientId: string, session: ClientSession): Promise<void> {
    const count = await ContactModel.countDocuments({ clientId: oid(clientId) }, { session });
    await ClientModel.updateOne({ _id: oid(clientId) }, { $set: { contactCount: count } }, { session });
  }

  /** Moves contacts between clients (merge), remembering where they came from; returns their ids. */
  async moveContacts(fromId: string, toId: string, session: ClientSession): Promise<string[]> {
    const docs = await ContactModel.find({ clientId: oid(fromId) }, { _id: 1 }, { session }).lean<ContactDoc[]>();
    const ids = docs.map((d) => d._id);
    if (ids.length)
      await ContactModel.updateMany(
        { _id: { $in: ids } },
        { $set: { clientId: oid(toId), movedFrom: oid(fromId) } },
        { session },
      );
    await this.recountContacts(toId, session);
    await this.recountContacts(fromId, session);
    return ids.map(String);
  }

  async restoreContacts(ids: string[], toId: string, fromId: string, session: ClientSession): Promise<void> {
    if (ids.length)
      await ContactModel.updateMany(
        { _id: { $in: ids.map(oid) } },
        { $set: { clientId: oid(toId), movedFrom: null } },
        { session },
      );
    await this.recountContacts(toId, session);
    await this.recountContacts(fromId, session);
  }
}
