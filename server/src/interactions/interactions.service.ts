import { DateTime } from 'luxon';
import mongoose, { type ClientSession, type QueryFilter } from 'mongoose';
import type { CrmSettings } from '@crewdeck/shared/clients';
import {
  interactionKinds,
  type CreateInteraction,
  type FollowUpInput,
  type Interaction,
  type InteractionList,
  type InteractionListQuery,
  type InteractionSummary,
  type InteractionSummaryQuery,
  type UpdateInteraction,
} from '@crewdeck/shared/interactions';
import type { AuditDraft } from '../audit/audit.writer.ts';
import { diffFields } from '../audit/changes.ts';
import type { ClientDoc } from '../clients/clients.model.ts';
import type { ClientsRepository } from '../clients/clients.repository.ts';
import { clientResource, type ClientsService } from '../clients/clients.service.ts';
import type { CrmSettingsStore } from '../clients/crm-settings.ts';
import type { LibraryFeedDraft } from '../feed/feed.drafts.ts';
import type { FeedPublisher } from '../feed/feed.publisher.ts';
import type { Actor, AuthedContext } from '../http/context.ts';
import { NotFoundError } from '../http/errors.ts';
import type { RaiseInput } from '../notifications/notifications.service.ts';
import type { AccessControl } from '../permissions/access-control.ts';
import type { SearchIndexWriter } from '../search/search-index.ts';
import type { TasksService } from '../tasks/tasks.service.ts';
import type { People } from '../users/people.ts';
import type { UsersRepository } from '../users/users.repository.ts';
import { sweepFollowUps } from './follow-up-sweep.ts';
import { checkRefs, type DealLookup, type RefFields } from './interaction-refs.ts';
import type { InteractionDoc } from './interactions.model.ts';
import { presentInteraction } from './interactions.presenter.ts';
import type { InteractionsRepository, NewInteraction } from './interactions.repository.ts';

/** The journal's filters without paging (the export takes them too). */
export type InteractionFilters = Omit<InteractionListQuery, 'offset' | 'limit'>;

export interface InteractionsServiceDeps {
  interactions: InteractionsRepository;
  clients: ClientsService;
  clientsRepo: ClientsRepository;
  settings: CrmSettingsStore;
  access: AccessControl;
  publisher: FeedPublisher;
  users: UsersRepository;
  people: People;
  tasks: TasksService;
  notifications?: { raise(input: RaiseInput): Promise<boolean> };
  deals?: DealLookup;
  search?: SearchIndexWriter;
}

const oid = (id: string) => new mongoose.Types.ObjectId(id);
const idOf = (id: unknown) => (id ? String(id) : null);
const audited: (keyof InteractionDoc & string)[] = [
  'kind',
  'occurredAt',
  'direction',
  'durationMinutes',
  'subject',
  'notes',
  'result',
  'managerId',
  'contactId',
  'dealId',
  'taskId',
];

/**
 * The interaction journal. Every rule about the client (visibility, who may log) is asked of
 * ClientsService; this service adds the journal's own: quick results from the settings, links
 * that must exist, the manager, follow-ups (a reminder, optionally a task), `lastInteractionAt`.
 */
export class InteractionsService {
  readonly #d: InteractionsServiceDeps;

  constructor(deps: InteractionsServiceDeps) {
    this.#d = deps;
  }

  async log(ctx: AuthedContext, input: CreateInteraction): Promise<{ interaction: Interaction }> {
    const settings = await this.#d.settings.fresh();
    const client = await this.#d.clients.writable(ctx, input.clientId, 'interaction.log');
    const fields: RefFields = {
      clientId: input.clientId,
      kind: input.kind,
      direction: input.direction ?? null,
      result: input.result ?? null,
      managerId: input.managerId ?? ctx.actor.id,
      contactId: input.contactId ?? null,
      dealId: input.dealId ?? null,
      taskId: input.taskId ?? null,
    };
    await checkRefs(this.#d, ctx, settings, fields, () => true);
    const occurredAt = input.occurredAt ? new Date(input.occurredAt) : new Date();
    // The follow-up task goes through the tasks' own rules (membership, permissions) first: if
    // they refuse, nothing is logged.
    const followUp = input.followUp ? await this.#followUp(ctx, client, fields.managerId, input.followUp) : null;
    const draft: NewInteraction = {
      ...this.#refsOf(fields),
      kind: fields.kind,
      clientId: client._id,
      access: this.#d.clients.accessOf(client),
      occurredAt,
      direction: fields.direction,
      durationMinutes: input.durationMinutes ?? null,
      subject: input.subject ?? '',
      notes: input.notes ?? '',
      result: fields.result,
      authorId: oid(ctx.actor.id),
      followUp,
    };
    const doc = await this.#d.publisher.publish(ctx, async (session) => {
      const created = await this.#d.interactions.create(draft, session);
      await this.#d.interactions.touchClient(String(client._id), occurredAt, session);
      await this.#index(created, client, session);
      const audit: AuditDraft = {
        action: 'interaction.log',
        code: client.code,
        changes: diffFields({}, created, audited),
      };
      return { result: created, audit, feed: [await this.#feedDraft(created, client, settings)] };
    });
    return { interaction: (await this.#present(ctx.actor, [doc]))[0] };
  }

  async list(ctx: AuthedContext, query: InteractionListQuery): Promise<InteractionList> {
    const filter = await this.listFilter(ctx, query);
    const { docs, total } = await this.#d.interactions.list(filter, query.offset, query.limit);
    return { interactions: await this.#present(ctx.actor, docs), total };
  }

  /** What the journal (and its export) lists: visible interactions narrowed by the filters. */
  async listFilter(ctx: AuthedContext, query: InteractionFilters): Promise<QueryFilter<InteractionDoc>> {
    const filter = await this.#filter(ctx, query);
    if (query.clientId) filter.$and.push({ clientId: oid(query.clientId) });
    if (query.kind) filter.$and.push({ kind: query.kind });
    if (query.result) filter.$and.push({ result: query.result });
    return filter;
  }

  async summary(ctx: AuthedContext, query: InteractionSummaryQuery): Promise<InteractionSummary> {
    const settings = await this.#d.settings.fresh();
    const { byKind, byResult } = await this.#d.interactions.counts(await this.#filter(ctx, query));
    const kinds = Object.fromEntries(interactionKinds.map((k) => [k, 0])) as InteractionSummary['byKind'];
    for (const row of byKind) if (row._id in kinds) kinds[row._id as keyof typeof kinds] = row.count;
    return {
      total: byKind.reduce((sum, row) => sum + row.count, 0),
      byKind: kinds,
      byResult: byResult
        .map((row) => ({
          result: row._id,
          label:
            row._id === null ? null : (settings.interactionResults.find((r) => r.key === row._id)?.label ?? row._id),
          count: row.count,
        }))
        .sort((a, b) => b.count - a.count),
    };
  }

  async update(ctx: AuthedContext, id: string, input: UpdateInteraction): Promise<{ interaction: Interaction }> {
    const settings = await this.#d.settings.fresh();
    const { before, client } = await this.#editable(ctx, id);
    const fields: RefFields = {
      clientId: String(before.clientId),
      kind: input.kind ?? before.kind,
      direction: input.direction === undefined ? before.direction : input.direction,
      result: input.result === undefined ? before.result : input.result,
      managerId: input.managerId ?? String(before.managerId),
      contactId: input.contactId === undefined ? idOf(before.contactId) : input.contactId,
      dealId: input.dealId === undefined ? idOf(before.dealId) : input.dealId,
      taskId: input.taskId === undefined ? idOf(before.taskId) : input.taskId,
    };
    // Only what changes is checked again: a result removed from the settings since stays valid.
    await checkRefs(this.#d, ctx, settings, fields, (field) => field !== 'clientId' && input[field] !== undefined);
    const set: Partial<InteractionDoc> = {
      ...this.#refsOf(fields),
      kind: fields.kind,
      direction: fields.direction,
      result: fields.result,
      ...(input.occurredAt ? { occurredAt: new Date(input.occurredAt) } : {}),
      ...(input.durationMinutes !== undefined ? { durationMinutes: input.durationMinutes } : {}),
      ...(input.subject !== undefined ? { subject: input.subject } : {}),
      ...(input.notes !== undefined ? { notes: input.notes } : {}),
    };
    if (input.followUp !== undefined)
      set.followUp = await this.#nextFollowUp(ctx, client, before, fields, input.followUp);
    const doc = await this.#d.publisher.publish(ctx, async (session) => {
      const next = await this.#d.interactions.update(id, set, session);
      if (!next) throw new NotFoundError('Interaction');
      if (set.occurredAt) await this.#d.interactions.recomputeClient(String(client._id), session);
      await this.#index(next, client, session);
      const changes = diffFields(before, next, [...audited, 'followUp']);
      const audit: AuditDraft | null = changes.length
        ? { action: 'interaction.update', code: client.code, changes }
        : null;
      return { result: next, audit, feed: [] };
    });
    return { interaction: (await this.#present(ctx.actor, [doc]))[0] };
  }

  async remove(ctx: AuthedContext, id: string): Promise<{ ok: true }> {
    const { before, client } = await this.#editable(ctx, id);
    await this.#d.publisher.publish(ctx, async (session) => {
      await this.#d.interactions.delete(id, session);
      await this.#d.interactions.recomputeClient(String(client._id), session);
      await this.#d.search?.remove('interaction', id, session);
      const audit: AuditDraft = {
        action: 'interaction.delete',
        code: client.code,
        changes: diffFields(before, {}, ['kind', 'occurredAt', 'subject', 'result']),
      };
      return { result: undefined, audit, feed: [] };
    });
    return { ok: true };
  }

  /** Task ids the client's interactions link to or created as follow-ups (the client page's tasks). */
  followUpTaskIds(clientId: string): Promise<string[]> {
    return this.#d.interactions.taskIdsOf(clientId);
  }

  /** Raises the follow-up reminders due by `now` (the app calls it every minute). */
  sweepFollowUps(now = new Date()): Promise<number> {
    const notifications = this.#d.notifications;
    if (!notifications) return Promise.resolve(0);
    return sweepFollowUps(
      { interactions: this.#d.interactions, notifications, clientNames: (ids) => this.#clientNames(ids) },
      now,
    );
  }

  // ——— internals ———

  /** Visibility (by the copied access fields) and the manager and period filters. */
  async #filter(ctx: AuthedContext, query: InteractionSummaryQuery) {
    await this.#d.settings.fresh();
    await this.#d.access.authorize(ctx, 'client.read');
    const and: QueryFilter<InteractionDoc>[] = [];
    const visible = this.#d.clients.visibleFilter(ctx.actor, 'access');
    if (visible) and.push(visible as QueryFilter<InteractionDoc>);
    if (query.managerId) and.push({ managerId: oid(query.managerId === 'me' ? ctx.actor.id : query.managerId) });
    const occurredAt: Record<string, Date> = {};
    if (query.from) occurredAt.$gte = new Date(query.from);
    if (query.to) occurredAt.$lt = new Date(query.to);
    if (query.from || query.to) and.push({ occurredAt });
    // An empty $and is refused by the database: match everything instead.
    if (!and.length) and.push({});
    return { $and: and };
  }

  /** Author, or a `client.assign` holder on a client the caller sees; 404 when invisible. */
  async #editable(ctx: AuthedContext, id: string): Promise<{ before: InteractionDoc; client: ClientDoc }> {
    const before = await this.#d.interactions.findById(id);
    if (!before) throw new NotFoundError('Interaction');
    const clientId = String(before.clientId);
    const isAuthor = String(before.authorId) === ctx.actor.id;
    const client = await this.#d.clients.writable(ctx, clientId, isAuthor ? 'interaction.log' : 'client.assign');
    return { before, client };
  }

  #refsOf(fields: RefFields) {
    const maybe = (id: string | null) => (id ? oid(id) : null);
    return {
      managerId: oid(fields.managerId),
      contactId: maybe(fields.contactId),
      dealId: maybe(fields.dealId),
      taskId: maybe(fields.taskId),
    };
  }

  async #followUp(ctx: AuthedContext, client: ClientDoc, managerId: string, input: FollowUpInput) {
    const at = new Date(input.at);
    const note = input.note ?? '';
    let taskId: mongoose.Types.ObjectId | null = null;
    if (input.projectId) {
      const { task } = await this.#d.tasks.create(ctx, input.projectId, {
        title: note || client.name,
        description: note ? client.name : '',
        assignees: [managerId],
        dueDate: await this.#dayOf(at, managerId),
        // A follow-up is a reminder: a full day must not stop the call from being logged.
        force: true,
      });
      taskId = oid(task.id);
    }
    return { at, note, projectId: input.projectId ? oid(input.projectId) : null, taskId, notifiedAt: null };
  }

  /** The calendar day of `at` where the manager lives (UTC when they set no time zone). */
  async #dayOf(at: Date, managerId: string): Promise<string> {
    const zone = (await this.#d.users.findById(managerId))?.timeZone || 'UTC';
    const local = DateTime.fromJSDate(at).setZone(zone);
    return (local.isValid ? local : DateTime.fromJSDate(at).toUTC()).toISODate() ?? at.toISOString().slice(0, 10);
  }

  /** An edited follow-up: a new time re-arms the reminder; a new project makes a new task. */
  async #nextFollowUp(
    ctx: AuthedContext,
    client: ClientDoc,
    before: InteractionDoc,
    fields: RefFields,
    input: FollowUpInput | null,
  ): Promise<InteractionDoc['followUp']> {
    if (!input) return null;
    const prev = before.followUp;
    const sameProject = idOf(prev?.projectId) === (input.projectId ?? null);
    if (prev && sameProject) {
      const at = new Date(input.at);
      const rearm = at.getTime() !== prev.at.getTime();
      return { ...prev, at, note: input.note ?? prev.note, notifiedAt: rearm ? null : prev.notifiedAt };
    }
    return this.#followUp(ctx, client, fields.managerId, input);
  }

  async #index(doc: InteractionDoc, client: ClientDoc, session: ClientSession): Promise<void> {
    await this.#d.search?.put(
      {
        kind: 'interaction',
        id: String(doc._id),
        clientId: String(client._id),
        title: doc.subject || doc.kind,
        subtitle: client.name,
        text: [doc.subject, doc.notes].filter(Boolean),
        phones: [],
        emails: [],
      },
      session,
    );
  }

  async #feedDraft(doc: InteractionDoc, client: ClientDoc, settings: CrmSettings): Promise<LibraryFeedDraft> {
    return {
      type: 'interaction.logged',
      projectId: null,
      resource: { kind: 'interaction', id: String(doc._id), code: client.name },
      data: {
        clientId: String(client._id),
        clientName: client.name,
        kind: doc.kind,
        result: doc.result,
        resultLabel: settings.interactionResults.find((r) => r.key === doc.result)?.label ?? null,
        subject: doc.subject,
        managerId: String(doc.managerId),
      },
      viewers: await this.#d.clients.audienceOf(client),
    };
  }

  async #clientNames(ids: string[]): Promise<Map<string, string>> {
    const docs = await this.#d.clientsRepo.findByIds(ids);
    return new Map(docs.map((c) => [String(c._id), c.name]));
  }

  async #present(actor: Actor, docs: InteractionDoc[]): Promise<Interaction[]> {
    const settings = await this.#d.settings.fresh();
    const clientIds = [...new Set(docs.map((d) => String(d.clientId)))];
    const clients = await this.#d.clientsRepo.findByIds(clientIds);
    const contactIds = docs.flatMap((d) => (d.contactId ? [String(d.contactId)] : []));
    const [people, contactNames] = await Promise.all([
      this.#d.people.refs(docs.flatMap((d) => [String(d.managerId), String(d.authorId)])),
      this.#d.interactions.contactNames(contactIds),
    ]);
    const byId = new Map(clients.map((c) => [String(c._id), c]));
    const lookups = {
      people,
      clientNames: new Map(clients.map((c) => [String(c._id), c.name])),
      contactNames,
      results: settings.interactionResults,
    };
    return docs.map((doc) => {
      const client = byId.get(String(doc.clientId));
      const resource = client ? clientResource(client) : undefined;
      const mayAssign = resource ? this.#d.access.can(actor, 'client.assign', resource) : false;
      const mine =
        String(doc.authorId) === actor.id &&
        (resource ? this.#d.access.can(actor, 'interaction.log', resource) : false);
      return presentInteraction(doc, lookups, { update: mine || mayAssign, delete: mine || mayAssign });
    });
  }
}
