import mongoose, { type ClientSession, type QueryFilter } from 'mongoose';
import type {
  Client,
  ClientListQuery,
  Contact,
  ContactInput,
  CreateClient,
  CrmSettings,
  DuplicateCandidate,
  UpdateClient,
} from '@crewdeck/shared/clients';
import type { Action } from '@crewdeck/shared/permissions';
import type { AuditDraft } from '../audit/audit.writer.ts';
import { diffFields } from '../audit/changes.ts';
import type { LibraryFeedDraft } from '../feed/feed.drafts.ts';
import type { FeedPublisher } from '../feed/feed.publisher.ts';
import type { Actor, AuthedContext } from '../http/context.ts';
import { AppError, DuplicateClientError, NotFoundError, ValidationError } from '../http/errors.ts';
import { duplicateReasons } from '@crewdeck/shared/duplicate-rules';
import type { RaiseInput } from '../notifications/notifications.service.ts';
import type { AccessControl } from '../permissions/access-control.ts';
import type { People } from '../users/people.ts';
import type { UserDoc } from '../users/users.model.ts';
import type { UsersRepository } from '../users/users.repository.ts';
import { inactiveReason, toActor } from '../users/user-status.ts';
import type { CountersRepository } from '../counters/counters.repository.ts';
import type { ClientLinks } from './client-links.ts';
import type { SearchIndexWriter } from '../search/search-index.ts';
import { clientSearchDocument, contactSearchDocument } from '../search/search-documents.ts';
import {
  clientFieldsFrom,
  customFieldErrors,
  duplicateRecord,
  type ClientFields,
  listValueErrors,
  missingRequired,
  storeConsents,
  storeEmails,
  storePhones,
} from './client-fields.ts';
import type { ClientAccess, ClientDoc, ContactDoc } from './clients.model.ts';
import { visibilityFilter, type ClientResource } from './clients.policy.ts';
import { presentClient, presentContact } from './clients.presenter.ts';
import type { ClientsRepository } from './clients.repository.ts';
import type { CrmSettingsStore } from './crm-settings.ts';
import {
  exactMatches,
  findForBatch,
  presentCandidate,
  type DuplicateFinder,
  type DuplicateMatch,
} from './duplicates.ts';

export interface ClientsServiceDeps {
  clients: ClientsRepository;
  settings: CrmSettingsStore;
  access: AccessControl;
  publisher: FeedPublisher;
  users: UsersRepository;
  people: People;
  duplicates: DuplicateFinder;
  links: ClientLinks;
  counters: CountersRepository;
  notifications?: { raise(input: RaiseInput): Promise<boolean> };
  /** The one search box's index: clients and contacts are re-indexed in the transaction that changes them. */
  search?: SearchIndexWriter;
}

/** One row of a bulk creation: the stored client, or why it was refused. */
export type BatchOutcome = { doc: ClientDoc } | { error: AppError };

/** Where a create or update came from (journaled with a forced duplicate). */
export type WritePath = 'form' | 'quick' | 'import' | 'api';

const auditedFields: (keyof ClientDoc & string)[] = [
  'kind',
  'name',
  'legalName',
  'legalForm',
  'phones',
  'emails',
  'website',
  'address',
  'tags',
  'status',
  'source',
  'custom',
  'consent',
];

const oid = (id: string) => new mongoose.Types.ObjectId(id);

export const clientResource = (doc: Pick<ClientDoc, '_id' | 'managerId' | 'groupIds'>): ClientResource => ({
  kind: 'client',
  id: String(doc._id),
  managerId: doc.managerId ? String(doc.managerId) : null,
  groupIds: (doc.groupIds ?? []).map(String),
});

const sortFields = {
  name: 'name',
  createdAt: 'createdAt',
  updatedAt: 'updatedAt',
  lastInteractionAt: 'lastInteractionAt',
};

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Clients and their contacts: the required fields and the duplicate check on every write, the
 * visibility per role on every read (one `can()`), reassignment journaled and notified to both
 * managers. Other CRM features (deals, interactions, search, import) reach clients only through
 * `readable`/`writable`, `visibleFilter` and `audienceOf`, so the rules live here once.
 */
export class ClientsService {
  readonly #d: ClientsServiceDeps;

  constructor(deps: ClientsServiceDeps) {
    this.#d = deps;
  }

  // ——— for other CRM features ———

  /** The client if the caller may see it; 404 (journaled when it exists) otherwise. */
  async readable(ctx: AuthedContext, id: string, session?: ClientSession): Promise<ClientDoc> {
    await this.#d.settings.fresh();
    await this.#d.access.authorize(ctx, 'client.read');
    const doc = await this.#d.clients.findById(id, session);
    if (!doc || doc.mergedInto) throw new NotFoundError('Client');
    await this.#d.access.authorizeVisible(ctx, 'client.read', clientResource(doc), 'Client');
    return doc;
  }

  /** The client if the caller may see it and do `action` on it (403 when visible but not allowed). */
  async writable(ctx: AuthedContext, id: string, action: Action = 'client.write', session?: ClientSession) {
    const doc = await this.readable(ctx, id, session);
    await this.#d.access.authorize(ctx, action, clientResource(doc));
    return doc;
  }

  /** A database filter restricting clients (or records carrying their access under `prefix`) to those visible. */
  visibleFilter(actor: Actor, prefix = ''): Record<string, unknown> | null {
    if (!this.#d.access.can(actor, 'client.read')) return { _id: null };
    return visibilityFilter(actor, this.#d.settings.visibilityOf(actor.role), prefix);
  }

  /** Whether the actor sees the client (for lists already loaded). */
  sees(actor: Actor, doc: Pick<ClientDoc, '_id' | 'managerId' | 'groupIds'>): boolean {
    return this.#d.access.can(actor, 'client.read', clientResource(doc));
  }

  accessOf(doc: Pick<ClientDoc, 'managerId' | 'groupIds'>): ClientAccess {
    return { managerId: doc.managerId, groupIds: doc.groupIds ?? [] };
  }

  /**
   * Who receives a feed entry about the client: the responsible manager and every Lead, Admin and
   * Owner who may see it under the visibility setting.
   */
  async audienceOf(doc: Pick<ClientDoc, '_id' | 'managerId' | 'groupIds'>): Promise<string[]> {
    return (await this.#audiences())(doc);
  }

  /** Loads the leads once; the returned function gives each client's audience (bulk paths). */
  async #audiences(): Promise<(doc: Pick<ClientDoc, '_id' | 'managerId' | 'groupIds'>) => string[]> {
    await this.#d.settings.fresh();
    const leads = (
      await Promise.all(
        (['Owner', 'Admin', 'Lead'] as const).map((role) => this.#d.users.list({ role, includeDisabled: false })),
      )
    )
      .flat()
      .map(toActor);
    return (doc) => {
      const resource = clientResource(doc);
      const viewers = leads.filter((actor) => this.#d.access.can(actor, 'client.read', resource)).map((a) => a.id);
      return [...new Set([...(resource.managerId ? [resource.managerId] : []), ...viewers])];
    };
  }

  /** The feed draft about a client, to its audience. */
  async feedDraft(
    type: LibraryFeedDraft['type'],
    doc: ClientDoc,
    data: Record<string, unknown> = {},
  ): Promise<LibraryFeedDraft> {
    return {
      type,
      projectId: null,
      resource: { kind: 'client', id: String(doc._id), code: doc.code },
      data: { name: doc.name, clientId: String(doc._id), ...data },
      viewers: await this.audienceOf(doc),
    };
  }

  async present(actor: Actor, docs: ClientDoc[]): Promise<Client[]> {
    const people = await this.#d.people.refs(docs.flatMap((d) => (d.managerId ? [String(d.managerId)] : [])));
    return docs.map((doc) => {
      const resource = clientResource(doc);
      return presentClient(doc, people, {
        update: this.#d.access.can(actor, 'client.write', resource),
        assign: this.#d.access.can(actor, 'client.assign', resource),
        merge: this.#d.access.can(actor, 'client.merge', resource),
      });
    });
  }

  /** The journal's view of clients: all of them (`CLI` prefix) under `all` visibility, else the visible ones' codes. */
  async auditCodes(ctx: AuthedContext): Promise<'all' | string[]> {
    if (!this.#d.access.can(ctx.actor, 'client.read')) return [];
    await this.#d.settings.fresh();
    const visible = this.visibleFilter(ctx.actor);
    if (!visible) return 'all';
    const codes: string[] = [];
    for await (const batch of this.#d.clients.all(visible)) codes.push(...batch.map((c) => c.code));
    return codes;
  }

  // ——— endpoints ———

  async list(ctx: AuthedContext, query: ClientListQuery): Promise<{ clients: Client[]; total: number }> {
    const filter = await this.listFilter(ctx, query);
    const sort = { [sortFields[query.sort]]: query.order === 'asc' ? 1 : -1, _id: 1 } as Record<string, 1 | -1>;
    const { docs, total } = await this.#d.clients.list(filter, sort, query.offset, query.limit);
    return { clients: await this.present(ctx.actor, docs), total };
  }

  /** The list's filter: visibility first, then the caller's filters (shared with export and segments). */
  async listFilter(ctx: AuthedContext, query: Partial<ClientListQuery>): Promise<QueryFilter<ClientDoc>> {
    await this.#d.settings.fresh();
    await this.#d.access.authorize(ctx, 'client.read');
    const and: Record<string, unknown>[] = [{ mergedInto: null }];
    const visible = this.visibleFilter(ctx.actor);
    if (visible) and.push(visible);
    if (query.kind) and.push({ kind: query.kind });
    if (query.status) and.push({ status: query.status });
    if (query.source) and.push({ source: query.source });
    if (query.tag) and.push({ tags: query.tag });
    if (query.managerId) {
      const id = query.managerId === 'me' ? ctx.actor.id : query.managerId;
      and.push({ managerId: oid(id) });
    }
    if (query.q) and.push({ name: { $regex: escapeRegex(query.q), $options: 'i' } });
    return { $and: and } as QueryFilter<ClientDoc>;
  }

  async get(ctx: AuthedContext, id: string): Promise<{ client: Client }> {
    const doc = await this.readable(ctx, id);
    const [client] = await this.present(ctx.actor, [doc]);
    return { client };
  }

  async create(ctx: AuthedContext, input: CreateClient, path: WritePath = 'api'): Promise<{ client: Client }> {
    const doc = await this.createDoc(ctx, input, path);
    const [client] = await this.present(ctx.actor, [doc]);
    return { client };
  }

  /** Creates a client (the import and quick-create call this too): every rule, one transaction. */
  async createDoc(ctx: AuthedContext, input: CreateClient, path: WritePath): Promise<ClientDoc> {
    const settings = await this.#d.settings.fresh();
    await this.#d.access.authorize(ctx, 'client.write');
    const managerId = input.managerId === undefined ? ctx.actor.id : input.managerId;
    if (managerId !== ctx.actor.id) await this.#d.access.authorize(ctx, 'client.assign');
    const manager = managerId ? await this.#activeUser(managerId, 'managerId') : null;
    const fields = clientFieldsFrom(settings, input);
    this.#check(settings, fields);
    const early = input.force ? [] : await this.#d.duplicates.find(fields, null);
    const created = await this.#d.publisher.publish(ctx, async (session) => {
      await this.#assertNoDuplicates(ctx, fields, null, input, early, session);
      const doc = await this.#d.clients.create(
        {
          code: await this.#d.counters.nextCode('CLI', session),
          ...fields,
          managerId: manager ? manager._id : null,
          groupIds: manager ? manager.groups : [],
          attachments: [],
          contactCount: 0,
          lastInteractionAt: null,
          mergedInto: null,
          createdBy: oid(ctx.actor.id),
        },
        session,
      );
      await this.#d.search?.put(clientSearchDocument(doc), session);
      const audit: AuditDraft = {
        action: 'client.create',
        code: doc.code,
        changes: diffFields({}, doc, [...auditedFields, 'managerId']),
        note: this.#forcedNote(input, path),
      };
      return { result: doc, audit, feed: [await this.feedDraft('client.created', doc, this.#managerData(manager))] };
    });
    if (manager && String(manager._id) !== ctx.actor.id) await this.#notifyAssigned(ctx, created, manager, null);
    return created;
  }

  /**
   * Creates many clients in one transaction with one journal entry and one feed entry (imports):
   * each row passes exactly the checks of `createDoc` — required and custom fields, list values,
   * the duplicate check against stored clients and against the rows before it — and gets back
   * its client or its error; one bad row never stops the others.
   */
  async createBatch(ctx: AuthedContext, rows: CreateClient[], path: WritePath): Promise<BatchOutcome[]> {
    const settings = await this.#d.settings.fresh();
    await this.#d.access.authorize(ctx, 'client.write');
    const outcomes: BatchOutcome[] = rows.map(() => ({ error: new ValidationError({}, 'Not processed') }));
    const managers = new Map<string, UserDoc>();
    const prepared: { index: number; input: CreateClient; fields: ClientFields; manager: UserDoc | null }[] = [];
    for (const [index, input] of rows.entries()) {
      try {
        const managerId = input.managerId === undefined ? ctx.actor.id : input.managerId;
        if (managerId !== ctx.actor.id) await this.#d.access.authorize(ctx, 'client.assign');
        if (managerId && !managers.has(managerId))
          managers.set(managerId, await this.#activeUser(managerId, 'managerId'));
        const fields = clientFieldsFrom(settings, input);
        this.#check(settings, fields);
        prepared.push({ index, input, fields, manager: managerId ? (managers.get(managerId) ?? null) : null });
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        outcomes[index] = { error };
      }
    }
    if (!prepared.length) return outcomes;
    const audienceOf = await this.#audiences();
    // The full check (similar names too) before the transaction, so a large base never holds the
    // writers' lock for it; inside, the exact keys are looked up again, which catches a client
    // created meanwhile by someone else with the same phone, email, name or website.
    const checked = prepared.filter((row) => !row.input.force);
    const before = await findForBatch(
      this.#d.clients,
      checked.map((row) => row.fields),
    );
    const beforeOf = new Map(checked.map((row, i) => [row, before[i]]));
    await this.#d.publisher.publish(ctx, async (session) => {
      const accepted: ((typeof prepared)[number] & { record: ReturnType<typeof duplicateRecord> })[] = [];
      const fresh = await exactMatches(
        this.#d.clients,
        checked.flatMap((row) => row.fields.dupKeys),
        session,
      );
      const matchesOf = (row: (typeof prepared)[number]): DuplicateMatch[] => {
        const found = beforeOf.get(row) ?? [];
        const seen = new Set(found.map((m) => String(m.doc._id)));
        const record = duplicateRecord(row.fields);
        const later = fresh
          .filter((doc) => !seen.has(String(doc._id)) && doc.dupKeys.some((k) => row.fields.dupKeys.includes(k)))
          .map((doc) => ({ doc, reasons: duplicateReasons(record, duplicateRecord(doc)) }))
          .filter((m) => m.reasons.length > 0);
        return [...found, ...later];
      };
      const stored = new Map(checked.map((row) => [row, matchesOf(row)]));
      const names = await this.#d.people.names(
        [...stored.values()].flat().flatMap((m) => (m.doc.managerId ? [String(m.doc.managerId)] : [])),
      );
      for (const row of prepared) {
        const candidates = row.input.force
          ? []
          : this.#batchDuplicates(ctx, row.fields, stored.get(row) ?? [], accepted, names);
        if (candidates.length) outcomes[row.index] = { error: new DuplicateClientError(candidates) };
        else accepted.push({ ...row, record: duplicateRecord(row.fields) });
      }
      if (!accepted.length) return { result: undefined, audit: null, feed: [] };
      const codes = await this.#d.counters.nextCodes('CLI', accepted.length, session);
      const docs = await this.#d.clients.insertMany(
        accepted.map((row, i) => ({
          code: codes[i],
          ...row.fields,
          managerId: row.manager ? row.manager._id : null,
          groupIds: row.manager ? row.manager.groups : [],
          attachments: [],
          contactCount: 0,
          lastInteractionAt: null,
          mergedInto: null,
          createdBy: oid(ctx.actor.id),
        })),
        session,
      );
      docs.forEach((doc, i) => (outcomes[accepted[i].index] = { doc }));
      await this.#d.search?.putNew(docs.map(clientSearchDocument), session);
      const forced = accepted.filter((r) => r.input.force).length;
      const range = `${codes[0]}…${codes[codes.length - 1]}`;
      return {
        result: undefined,
        audit: {
          action: 'client.import',
          code: null,
          note: `${docs.length} clients created (${path}): ${range}${forced ? `; ${forced} despite likely duplicates` : ''}`,
        },
        feed: [
          {
            type: 'client.created',
            projectId: null,
            resource: { kind: 'client', id: String(docs[0]._id), code: docs[0].code },
            data: { name: docs[0].name, clientId: String(docs[0]._id), count: docs.length },
            viewers: [...new Set(docs.flatMap((doc) => audienceOf(doc)))],
          },
        ],
      };
    });
    return outcomes;
  }

  /** A batch row's likely duplicates: among stored clients, and among the rows accepted before it. */
  #batchDuplicates(
    ctx: AuthedContext,
    fields: ClientFields,
    stored: DuplicateMatch[],
    earlier: { fields: ClientFields; record: ReturnType<typeof duplicateRecord> }[],
    names: ReadonlyMap<string, string>,
  ): DuplicateCandidate[] {
    const candidates = stored.map((m) => presentCandidate(m, this.sees(ctx.actor, m.doc), (id) => names.get(id) ?? ''));
    const record = duplicateRecord(fields);
    const keys = new Set(fields.dupKeys);
    for (const other of earlier) {
      if (!other.fields.dupKeys.some((k) => keys.has(k))) continue;
      const reasons = duplicateReasons(record, other.record);
      // A row of the same file: it has no id yet, so the candidate names it without one.
      if (reasons.length)
        candidates.push({
          id: '0'.repeat(24),
          name: other.fields.name,
          hidden: false,
          kind: other.fields.kind,
          reasons,
          manager: null,
        });
    }
    return candidates;
  }

  async update(
    ctx: AuthedContext,
    id: string,
    input: UpdateClient,
    path: WritePath = 'api',
  ): Promise<{ client: Client }> {
    const settings = await this.#d.settings.fresh();
    const before = await this.writable(ctx, id);
    const { status, source, ...rest } = input;
    const merged: CreateClient = {
      ...this.#inputOf(before),
      ...(Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Partial<CreateClient>),
      ...(status !== undefined ? { status: status ?? undefined } : {}),
      ...(source !== undefined ? { source: source ?? undefined } : {}),
    };
    const fields = clientFieldsFrom(settings, merged, before);
    this.#check(settings, fields);
    const keysChanged = fields.dupKeys.some((key) => !before.dupKeys.includes(key));
    const early = keysChanged && !input.force ? await this.#d.duplicates.find(fields, id) : [];
    const updated = await this.#d.publisher.publish(ctx, async (session) => {
      if (keysChanged) await this.#assertNoDuplicates(ctx, fields, id, input, early, session);
      const doc = await this.#d.clients.update(id, fields, session);
      if (!doc) throw new NotFoundError('Client');
      await this.#d.search?.put(clientSearchDocument(doc), session);
      const changes = diffFields(before, doc, auditedFields);
      const audit: AuditDraft | null = changes.length
        ? { action: 'client.update', code: doc.code, changes, note: this.#forcedNote(input, path) }
        : null;
      return { result: doc, audit, feed: [] };
    });
    const [client] = await this.present(ctx.actor, [updated]);
    return { client };
  }

  /** Hands clients to another manager: journaled per client, both managers notified. */
  async assign(ctx: AuthedContext, clientIds: string[], managerId: string): Promise<{ clients: Client[] }> {
    await this.#d.access.authorize(ctx, 'client.assign');
    const manager = await this.#activeUser(managerId, 'managerId');
    const docs: ClientDoc[] = [];
    for (const id of [...new Set(clientIds)]) {
      const before = await this.writable(ctx, id, 'client.assign');
      if (String(before.managerId) === managerId) {
        docs.push(before);
        continue;
      }
      const previous = before.managerId ? await this.#d.users.findById(String(before.managerId)) : null;
      const access: ClientAccess = { managerId: manager._id, groupIds: manager.groups };
      const doc = await this.#d.publisher.publish(ctx, async (session) => {
        const next = await this.#d.clients.update(id, access, session);
        if (!next) throw new NotFoundError('Client');
        for (const link of this.#d.links.all) await link.reaccess(id, access, session);
        const audit: AuditDraft = {
          action: 'client.assign',
          code: next.code,
          changes: [{ field: 'manager', from: previous?.name ?? null, to: manager.name }],
        };
        // The previous manager hears of it too, although they may no longer see the client.
        const draft = await this.feedDraft('client.assigned', next, {
          ...this.#managerData(manager),
          previousManagerName: previous?.name ?? null,
        });
        if (previous) draft.viewers = [...new Set([...draft.viewers, String(previous._id)])];
        return { result: next, audit, feed: [draft] };
      });
      await this.#notifyAssigned(ctx, doc, manager, previous);
      docs.push(doc);
    }
    return { clients: await this.present(ctx.actor, docs) };
  }

  // ——— contacts ———

  async listContacts(ctx: AuthedContext, clientId: string): Promise<{ contacts: Contact[] }> {
    await this.readable(ctx, clientId);
    return { contacts: (await this.#d.clients.contacts(clientId)).map(presentContact) };
  }

  async createContact(ctx: AuthedContext, clientId: string, input: ContactInput): Promise<{ contact: Contact }> {
    const client = await this.writable(ctx, clientId);
    const doc = await this.#d.publisher.publish(ctx, async (session) => {
      const contact = await this.#d.clients.createContact(
        { clientId: client._id, movedFrom: null, ...this.#contactFields(input) },
        session,
      );
      await this.#d.search?.put(contactSearchDocument(contact, client.name), session);
      return {
        result: contact,
        audit: {
          action: 'contact.create',
          code: client.code,
          changes: [{ field: 'contact', from: null, to: contact.name }],
        },
        feed: [],
      };
    });
    return { contact: presentContact(doc) };
  }

  async updateContact(ctx: AuthedContext, clientId: string, contactId: string, input: Partial<ContactInput>) {
    const client = await this.writable(ctx, clientId);
    const before = await this.#d.clients.contact(clientId, contactId);
    if (!before) throw new NotFoundError('Contact');
    const set = this.#contactFields({ ...this.#contactInputOf(before), ...input }, before);
    const doc = await this.#d.publisher.publish(ctx, async (session) => {
      const next = await this.#d.clients.updateContact(contactId, set, session);
      if (!next) throw new NotFoundError('Contact');
      await this.#d.search?.put(contactSearchDocument(next, client.name), session);
      const changes = diffFields(before, next, ['name', 'position', 'phones', 'emails', 'note', 'consent']);
      return {
        result: next,
        audit: changes.length ? { action: 'contact.update' as const, code: client.code, changes } : null,
        feed: [],
      };
    });
    return { contact: presentContact(doc) };
  }

  async deleteContact(ctx: AuthedContext, clientId: string, contactId: string): Promise<{ ok: true }> {
    const client = await this.writable(ctx, clientId);
    const before = await this.#d.clients.contact(clientId, contactId);
    if (!before) throw new NotFoundError('Contact');
    await this.#d.publisher.publish(ctx, async (session) => {
      await this.#d.clients.deleteContact(contactId, clientId, session);
      await this.#d.search?.remove('contact', contactId, session);
      return {
        result: undefined,
        audit: {
          action: 'contact.delete',
          code: client.code,
          changes: [{ field: 'contact', from: before.name, to: null }],
        },
        feed: [],
      };
    });
    return { ok: true };
  }

  // ——— internals ———

  #check(settings: CrmSettings, fields: ClientFields): void {
    const errors = {
      ...missingRequired(settings, fields.kind, { ...fields, managerId: 'set' }),
      ...customFieldErrors(settings, fields.kind, fields.custom),
      ...listValueErrors(settings, fields),
    };
    if (Object.keys(errors).length) throw new ValidationError(errors, 'Some fields are missing or invalid');
  }

  async #assertNoDuplicates(
    ctx: AuthedContext,
    fields: ClientFields,
    excludeId: string | null,
    input: { force?: boolean },
    early: DuplicateMatch[],
    session: ClientSession,
  ): Promise<void> {
    if (input.force) return;
    // `early` is the full check, run before the transaction (similar names are costly at scale and
    // must not hold the writers' lock); here the exact keys are read again, so a client created
    // meanwhile with the same phone, email, name or website is caught too.
    const seen = new Set(early.map((m) => String(m.doc._id)));
    const record = duplicateRecord(fields);
    const fresh = (await exactMatches(this.#d.clients, fields.dupKeys, session))
      .filter((doc) => !seen.has(String(doc._id)) && String(doc._id) !== excludeId)
      .map((doc) => ({ doc, reasons: duplicateReasons(record, duplicateRecord(doc)) }))
      .filter((m) => m.reasons.length > 0);
    const matches = [...early, ...(excludeId ? await this.#d.duplicates.withoutDismissed(excludeId, fresh) : fresh)];
    if (!matches.length) return;
    const names = await this.#d.people.names(
      matches.flatMap((m) => (m.doc.managerId ? [String(m.doc.managerId)] : [])),
    );
    throw new DuplicateClientError(
      matches.map((m) => presentCandidate(m, this.sees(ctx.actor, m.doc), (id) => names.get(id) ?? '')),
    );
  }

  #forcedNote(input: { force?: boolean; forceReason?: string }, path: WritePath): string | undefined {
    if (!input.force) return undefined;
    return `Created despite likely duplicates (${path})${input.forceReason ? `: ${input.forceReason}` : ''}`;
  }

  #inputOf(doc: ClientDoc): CreateClient {
    return {
      kind: doc.kind,
      name: doc.name,
      legalName: doc.legalName,
      legalForm: doc.legalForm,
      phones: doc.phones.map((p) => ({ value: p.value, kind: p.kind as 'work' })),
      emails: doc.emails.map((e) => ({ value: e.value, kind: e.kind as 'work' })),
      website: doc.website,
      address: doc.address,
      tags: doc.tags,
      status: doc.status,
      source: doc.source,
      custom: doc.custom,
    };
  }

  #contactFields(input: ContactInput, before?: ContactDoc) {
    return {
      name: input.name.trim(),
      position: input.position?.trim() ?? '',
      phones: storePhones(input.phones ?? []),
      emails: storeEmails(input.emails ?? []),
      note: input.note ?? '',
      consent: storeConsents(input.consent, before?.consent),
    };
  }

  #contactInputOf(doc: ContactDoc): ContactInput {
    return {
      name: doc.name,
      position: doc.position,
      phones: doc.phones.map((p) => ({ value: p.value, kind: p.kind as 'work' })),
      emails: doc.emails.map((e) => ({ value: e.value, kind: e.kind as 'work' })),
      note: doc.note,
    };
  }

  async #activeUser(id: string, field: string): Promise<UserDoc> {
    const user = await this.#d.users.findById(id);
    if (!user || inactiveReason(user, new Date())) throw new ValidationError({ [field]: 'No such active user' });
    if (!this.#d.access.can(toActor(user), 'client.read')) {
      throw new ValidationError({ [field]: 'This person cannot work with clients' });
    }
    return user;
  }

  #managerData(manager: UserDoc | null) {
    return { managerId: manager ? String(manager._id) : null, managerName: manager?.name ?? null };
  }

  async #notifyAssigned(ctx: AuthedContext, doc: ClientDoc, manager: UserDoc, previous: UserDoc | null): Promise<void> {
    const notifications = this.#d.notifications;
    if (!notifications) return;
    const common = {
      actor: { id: ctx.actor.id, name: ctx.actor.name },
      projectId: null,
      task: null,
      subject: { kind: 'client' as const, id: String(doc._id), title: doc.name },
      data: { managerName: manager.name },
    };
    if (String(manager._id) !== ctx.actor.id)
      await notifications.raise({ ...common, kind: 'clientAssigned', userId: String(manager._id) });
    if (previous && String(previous._id) !== ctx.actor.id && String(previous._id) !== String(manager._id))
      await notifications.raise({ ...common, kind: 'clientUnassigned', userId: String(previous._id) });
  }
}
