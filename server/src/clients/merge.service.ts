import mongoose from 'mongoose';
import type { MergeRecord } from '@crewdeck/shared/clients';
import type { FeedPublisher } from '../feed/feed.publisher.ts';
import type { AuthedContext } from '../http/context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../http/errors.ts';
import type { AccessControl } from '../permissions/access-control.ts';
import type { UsersRepository } from '../users/users.repository.ts';
import type { ClientLinks } from './client-links.ts';
import { dupKeysOf } from './client-fields.ts';
import {
  ClientModel,
  DuplicatePairModel,
  MergeModel,
  type ClientDoc,
  type MergeDoc,
  type StoredEmail,
  type StoredPhone,
} from './clients.model.ts';
import type { ClientsRepository } from './clients.repository.ts';
import type { ClientsService } from './clients.service.ts';
import type { SearchIndexWriter } from '../search/search-index.ts';

/** How long a merge can be undone. */
export const UNDO_DAYS = 30;

/** Fields a merge picks one side of; phones, emails and tags are united instead. */
const pickable = [
  'kind',
  'name',
  'legalName',
  'legalForm',
  'website',
  'address',
  'status',
  'source',
  'managerId',
] as const;
type Pickable = (typeof pickable)[number];

/** What a merge may change on the kept client, saved whole for the undo. */
const restorable = [
  ...pickable,
  'groupIds',
  'phones',
  'emails',
  'tags',
  'custom',
  'consent',
  'lastInteractionAt',
  'attachments',
] as const;

const oid = (id: string) => new mongoose.Types.ObjectId(id);

function unitePhones(a: StoredPhone[], b: StoredPhone[]): StoredPhone[] {
  const seen = new Set(a.map((p) => p.e164 ?? p.value));
  return [...a, ...b.filter((p) => !seen.has(p.e164 ?? p.value))];
}
function uniteEmails(a: StoredEmail[], b: StoredEmail[]): StoredEmail[] {
  const seen = new Set(a.map((e) => e.value.toLowerCase()));
  return [...a, ...b.filter((e) => !seen.has(e.value.toLowerCase()))];
}
const later = (a: Date | null, b: Date | null) => (!a ? b : !b ? a : a > b ? a : b);

export function presentMerge(doc: MergeDoc): MergeRecord {
  return {
    id: String(doc._id),
    keptId: String(doc.keptId),
    mergedId: String(doc.mergedId),
    keptName: doc.keptName,
    mergedName: doc.mergedName,
    at: doc.createdAt.toISOString(),
    by: doc.byId ? { id: String(doc.byId), name: doc.byName } : null,
    undoUntil: doc.undoUntil.toISOString(),
    undoneAt: doc.undoneAt ? doc.undoneAt.toISOString() : null,
    moved: Object.fromEntries(Object.entries(doc.moved).map(([k, ids]) => [k, ids.length])),
  };
}

export interface MergeServiceDeps {
  clients: ClientsService;
  repo: ClientsRepository;
  links: ClientLinks;
  publisher: FeedPublisher;
  access: AccessControl;
  users: UsersRepository;
  search?: SearchIndexWriter;
  /** Re-indexes a client for the search box after its fields changed (set once search is wired). */
  reindex?: (doc: ClientDoc, session: mongoose.ClientSession) => Promise<void>;
}

/**
 * Merging two clients into one: the user picks each field's value, phones, emails and tags are
 * united, and contacts, deals, interactions and everything else registered as a client link
 * move to the kept client — all in one transaction with one journal entry (old → new). The
 * merged client stays stored, marked `mergedInto`, so the undo (within 30 days) restores both
 * clients and moves back exactly what moved.
 */
export class MergeService {
  readonly #d: MergeServiceDeps;

  constructor(deps: MergeServiceDeps) {
    this.#d = deps;
  }

  async merge(
    ctx: AuthedContext,
    input: { keepId: string; mergeId: string; pick: Record<string, 'keep' | 'merge'> },
  ): Promise<{ client: Awaited<ReturnType<ClientsService['present']>>[number]; merge: MergeRecord }> {
    if (input.keepId === input.mergeId) throw new ValidationError({ mergeId: 'Pick two different clients' });
    const keep = await this.#d.clients.writable(ctx, input.keepId, 'client.merge');
    const absorbed = await this.#d.clients.writable(ctx, input.mergeId, 'client.merge');
    const unknown = Object.keys(input.pick).find((f) => !pickable.includes(f as Pickable) && !f.startsWith('custom.'));
    if (unknown) throw new ValidationError({ [`pick.${unknown}`]: 'This field cannot be picked' });
    const take = (field: string) => input.pick[field] === 'merge';
    const next: Partial<ClientDoc> = {};
    for (const field of pickable) if (take(field)) Object.assign(next, { [field]: absorbed[field] });
    if (take('managerId')) next.groupIds = absorbed.groupIds;
    next.phones = unitePhones(
      take('phones') ? absorbed.phones : keep.phones,
      take('phones') ? keep.phones : absorbed.phones,
    );
    next.emails = uniteEmails(keep.emails, absorbed.emails);
    next.tags = [...new Set([...keep.tags, ...absorbed.tags])];
    const linked = new Set(keep.attachments.map((a) => `${a.kind}:${String(a.refId)}`));
    next.attachments = [
      ...keep.attachments,
      ...absorbed.attachments.filter((a) => !linked.has(`${a.kind}:${String(a.refId)}`)),
    ];
    next.custom = { ...absorbed.custom, ...keep.custom };
    for (const key of Object.keys(absorbed.custom ?? {}))
      if (take(`custom.${key}`)) next.custom[key] = absorbed.custom[key];
    next.consent = {
      email: keep.consent?.email ?? absorbed.consent?.email ?? null,
      sms: keep.consent?.sms ?? absorbed.consent?.sms ?? null,
    };
    next.lastInteractionAt = later(keep.lastInteractionAt, absorbed.lastInteractionAt);
    const merged = { ...keep, ...next };
    next.dupKeys = dupKeysOf(merged);
    if (next.managerId !== undefined && next.managerId !== null) {
      const manager = await this.#d.users.findById(String(next.managerId));
      if (!manager) throw new ValidationError({ 'pick.managerId': 'That manager no longer exists' });
      next.groupIds = manager.groups;
    }
    const keptBefore = Object.fromEntries(restorable.map((f) => [f, keep[f]]));

    const result = await this.#d.publisher.publish(ctx, async (session) => {
      // Both still live: a concurrent merge of either one loses here instead of half-applying.
      const claimed = await ClientModel.updateOne(
        { _id: absorbed._id, mergedInto: null },
        { $set: { mergedInto: keep._id } },
        { session },
      );
      if (claimed.modifiedCount !== 1) throw new ConflictError('That client was merged already');
      const kept = await this.#d.repo.update(input.keepId, next, session);
      if (!kept || kept.mergedInto) throw new ConflictError('The client to keep was merged already');
      const access = this.#d.clients.accessOf(kept);
      const moved: Record<string, string[]> = {
        contacts: await this.#d.repo.moveContacts(input.mergeId, input.keepId, session),
      };
      for (const link of this.#d.links.all) {
        moved[link.name] = await link.move(input.mergeId, input.keepId, access, session);
        if (next.managerId !== undefined) await link.reaccess(input.keepId, access, session);
      }
      await DuplicatePairModel.deleteMany({ $or: [{ aId: absorbed._id }, { bId: absorbed._id }] }, { session });
      const final = (await this.#d.repo.findById(input.keepId, session)) ?? kept;
      const [record] = await MergeModel.create(
        [
          {
            keptId: keep._id,
            mergedId: absorbed._id,
            keptName: keep.name,
            mergedName: absorbed.name,
            keptBefore,
            moved,
            byId: oid(ctx.actor.id),
            byName: ctx.actor.name,
            undoUntil: new Date(Date.now() + UNDO_DAYS * 86_400_000),
          },
        ],
        { session },
      );
      await this.#d.search?.remove('client', input.mergeId, session);
      await this.#d.reindex?.(kept, session);
      const changes = [
        { field: 'merged', from: absorbed.name, to: kept.name },
        ...restorable
          .filter((f) => JSON.stringify(keep[f]) !== JSON.stringify(kept[f]))
          .map((field) => ({ field, from: keep[field] ?? null, to: kept[field] ?? null })),
      ];
      const counts = Object.entries(moved)
        .map(([name, ids]) => `${name} ${ids.length}`)
        .join(', ');
      return {
        result: { kept: final, record: record.toObject<MergeDoc>() },
        audit: { action: 'client.merge', code: kept.code, changes, note: `Moved: ${counts}` },
        feed: [],
      };
    });
    const [client] = await this.#d.clients.present(ctx.actor, [result.kept]);
    return { client, merge: presentMerge(result.record) };
  }

  async list(ctx: AuthedContext): Promise<{ merges: MergeRecord[] }> {
    await this.#d.access.authorize(ctx, 'client.merge');
    const docs = await MergeModel.find({}).sort({ createdAt: -1 }).limit(100).lean<MergeDoc[]>();
    const kept = await this.#d.repo.findByIds(docs.map((d) => String(d.keptId)));
    const visible = new Set(kept.filter((c) => this.#d.clients.sees(ctx.actor, c)).map((c) => String(c._id)));
    return { merges: docs.filter((d) => visible.has(String(d.keptId))).map(presentMerge) };
  }

  async undo(ctx: AuthedContext, id: string): Promise<{ merge: MergeRecord }> {
    await this.#d.access.authorize(ctx, 'client.merge');
    const record = mongoose.isValidObjectId(id) ? await MergeModel.findById(id).lean<MergeDoc>() : null;
    if (!record) throw new NotFoundError('Merge');
    await this.#d.clients.writable(ctx, String(record.keptId), 'client.merge');
    if (record.undoneAt) throw new ConflictError('This merge was undone already');
    if (record.undoUntil.getTime() < Date.now()) throw new ConflictError('Merges can be undone for 30 days only');
    const mergedId = String(record.mergedId);
    const keptId = String(record.keptId);
    const done = await this.#d.publisher.publish(ctx, async (session) => {
      const claimed = await MergeModel.updateOne(
        { _id: record._id, undoneAt: null },
        { $set: { undoneAt: new Date() } },
        { session },
      );
      if (claimed.modifiedCount !== 1) throw new ConflictError('This merge was undone already');
      const before = record.keptBefore as Partial<ClientDoc>;
      const restoredKept = await this.#d.repo.update(
        keptId,
        { ...before, dupKeys: dupKeysOf({ ...(await this.#mustFind(keptId, session)), ...before }) },
        session,
      );
      const restoredMerged = await ClientModel.findByIdAndUpdate(
        mergedId,
        { $set: { mergedInto: null } },
        { returnDocument: 'after', session },
      ).lean<ClientDoc>();
      if (!restoredKept || !restoredMerged) throw new NotFoundError('Client');
      await this.#d.repo.restoreContacts(record.moved.contacts ?? [], mergedId, keptId, session);
      const mergedAccess = this.#d.clients.accessOf(restoredMerged);
      for (const link of this.#d.links.all) {
        await link.restore(record.moved[link.name] ?? [], mergedId, mergedAccess, session);
        await link.reaccess(keptId, this.#d.clients.accessOf(restoredKept), session);
      }
      await this.#d.reindex?.(restoredKept, session);
      await this.#d.reindex?.(restoredMerged, session);
      const after = await MergeModel.findById(record._id, null, { session }).lean<MergeDoc>();
      return {
        result: after ?? record,
        audit: {
          action: 'client.unmerge',
          code: restoredKept.code,
          changes: [{ field: 'merged', from: restoredKept.name, to: restoredMerged.name }],
        },
        feed: [],
      };
    });
    return { merge: presentMerge(done) };
  }

  async #mustFind(id: string, session: mongoose.ClientSession): Promise<ClientDoc> {
    const doc = await this.#d.repo.findById(id, session);
    if (!doc) throw new NotFoundError('Client');
    return doc;
  }
}
