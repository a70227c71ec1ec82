import type { Absence, calendarEndpoints } from '@crewdeck/shared/calendar';
import type { BodyOf, QueryOf } from '@crewdeck/shared/endpoint';
import type { Abilities } from '@crewdeck/shared/permissions';
import type { AuditDraft } from '../audit/audit.writer.ts';
import { diffFields } from '../audit/changes.ts';
import type { LibraryFeedDraft } from '../feed/feed.drafts.ts';
import type { FeedPublisher } from '../feed/feed.publisher.ts';
import type { AuthedContext } from '../http/context.ts';
import { ConflictError, NotFoundError } from '../http/errors.ts';
import type { RaiseInput } from '../notifications/notifications.service.ts';
import type { AccessControl } from '../permissions/access-control.ts';
import type { UserDoc } from '../users/users.model.ts';
import type { UsersRepository } from '../users/users.repository.ts';
import { auditPerson, inactiveReason, toActor } from '../users/user-status.ts';
import type { AbsenceDoc, AbsenceStatus } from './absences.model.ts';
import type { AbsencesRepository, AbsenceFilter } from './absences.repository.ts';
import { presentAbsence } from './schedules.presenter.ts';
import { personResource } from './schedules.service.ts';

export type CreateAbsence = BodyOf<typeof calendarEndpoints.createAbsence>;
export type AbsenceListQuery = QueryOf<typeof calendarEndpoints.listAbsences>;
type Decision = BodyOf<typeof calendarEndpoints.decideAbsence>['decision'];

export interface AbsencesServiceDeps {
  access: AccessControl;
  publisher: FeedPublisher;
  users: UsersRepository;
  absences: AbsencesRepository;
  /** Notifications for the approvers and the person (after the commit). */
  notifications?: { raise(input: RaiseInput): Promise<boolean> };
}

const auditedFields: (keyof AbsenceDoc)[] = ['kind', 'startDay', 'endDay', 'note', 'status'];

/**
 * Absence requests: the person asks (pending), a lead with `absence.approve` over them (or an
 * Owner or Admin) decides, the person or an approver cancels. A lead booking one for someone
 * else books it approved. Every step is journaled and sent to the person and their approvers.
 */
export class AbsencesService {
  readonly #d: AbsencesServiceDeps;

  constructor(deps: AbsencesServiceDeps) {
    this.#d = deps;
  }

  async list(ctx: AuthedContext, query: AbsenceListQuery): Promise<{ items: Absence[]; abilities: Abilities }> {
    const filter: AbsenceFilter = { status: query.status, fromDay: query.from, toDay: query.to };
    const scope = await this.#visibleUsers(ctx);
    if (query.userId) {
      if (scope !== 'all' && !scope.has(query.userId)) return { items: [], abilities: this.#listAbilities(ctx) };
      filter.userIds = [query.userId];
    } else if (scope !== 'all') filter.userIds = [...scope];
    const docs = await this.#d.absences.list(filter);
    const people = await this.#people(docs.map((d) => String(d.userId)));
    return {
      items: docs.map((doc) => this.#present(ctx, doc, people.get(String(doc.userId)))),
      abilities: this.#listAbilities(ctx),
    };
  }

  async create(ctx: AuthedContext, input: CreateAbsence): Promise<{ absence: Absence }> {
    const userId = input.userId ?? ctx.actor.id;
    const person = await this.#user(userId);
    const forSomeoneElse = userId !== ctx.actor.id;
    if (forSomeoneElse) await this.#authorizeApprove(ctx, person);
    const status = forSomeoneElse ? 'approved' : 'pending';
    const approvers = await this.#approversOf(person);
    const created = await this.#d.publisher.publish(ctx, async (session) => {
      const clash = await this.#d.absences.overlapping(userId, input.startDay, input.endDay, session);
      if (clash.length > 0) {
        throw new ConflictError('These days overlap another absence', {
          startDay: `Overlaps ${clash[0].startDay} – ${clash[0].endDay} (${clash[0].status})`,
        });
      }
      const now = new Date();
      const doc = await this.#d.absences.create(
        {
          userId,
          kind: input.kind,
          startDay: input.startDay,
          endDay: input.endDay,
          note: input.note ?? '',
          status,
          requestedBy: ctx.actor.id,
          decidedBy: forSomeoneElse ? ctx.actor.id : null,
          decidedAt: forSomeoneElse ? now : null,
        },
        session,
      );
      const audit = this.#audit('absence.request', person, diffFields({}, doc, auditedFields), forSomeoneElse);
      const type = status === 'pending' ? 'absence.requested' : 'absence.decided';
      return { result: doc, audit, feed: [this.#feed(type, doc, approvers)] };
    });
    if (status === 'pending') await this.#notify(ctx, 'absenceRequested', created, approvers, person);
    else await this.#notify(ctx, 'absenceDecided', created, [userId], person);
    return { absence: this.#present(ctx, created, person) };
  }

  async decide(ctx: AuthedContext, id: string, decision: Decision): Promise<{ absence: Absence }> {
    // Without the role's permission the answer is 403 whatever the absence: nothing to hide.
    await this.#d.access.authorize(ctx, 'absence.approve');
    const { doc, person } = await this.#load(ctx, id);
    await this.#authorizeApprove(ctx, person);
    return this.#move(ctx, doc, person, ['pending'], decision, 'absence.decide');
  }

  async cancel(ctx: AuthedContext, id: string): Promise<{ absence: Absence }> {
    const { doc, person } = await this.#load(ctx, id);
    const mine = String(doc.userId) === ctx.actor.id || String(doc.requestedBy) === ctx.actor.id;
    if (!mine) await this.#authorizeApprove(ctx, person);
    return this.#move(ctx, doc, person, ['pending', 'approved'], 'cancelled', 'absence.cancel');
  }

  /** Moves the absence on from one of `from` (409 when someone else moved it first), journaled and announced. */
  async #move(
    ctx: AuthedContext,
    doc: AbsenceDoc,
    person: UserDoc,
    from: AbsenceStatus[],
    status: AbsenceStatus,
    action: 'absence.decide' | 'absence.cancel',
  ): Promise<{ absence: Absence }> {
    if (!from.includes(doc.status)) throw new ConflictError(`This absence is already ${doc.status}`);
    const approvers = await this.#approversOf(person);
    const decided = action === 'absence.decide';
    const updated = await this.#d.publisher.publish(ctx, async (session) => {
      const next = await this.#d.absences.setStatus(
        String(doc._id),
        from,
        decided ? { status, decidedBy: ctx.actor.id, decidedAt: new Date() } : { status },
        session,
      );
      if (!next) throw new ConflictError('Someone else changed this absence first; reload it');
      const audit = this.#audit(action, person, diffFields(doc, next, ['status']), true);
      return { result: next, audit, feed: [this.#feed('absence.decided', next, approvers)] };
    });
    if (String(updated.userId) !== ctx.actor.id)
      await this.#notify(ctx, 'absenceDecided', updated, [String(updated.userId)], person);
    return { absence: this.#present(ctx, updated, person) };
  }

  /** The absence and its person, or 404 when the caller may not see it (neither theirs nor an approver's). */
  async #load(ctx: AuthedContext, id: string): Promise<{ doc: AbsenceDoc; person: UserDoc }> {
    const doc = await this.#d.absences.findById(id);
    const person = doc ? await this.#d.users.findById(String(doc.userId)) : null;
    if (!doc || !person) throw new NotFoundError('Absence');
    const own = String(doc.userId) === ctx.actor.id || String(doc.requestedBy) === ctx.actor.id;
    if (!own && !this.#mayApprove(ctx, person)) throw new NotFoundError('Absence');
    return { doc, person };
  }

  #mayApprove(ctx: AuthedContext, person: UserDoc): boolean {
    return this.#d.access.can(ctx.actor, 'absence.approve', personResource(person));
  }

  /** 403 (journaled) unless the caller may decide `person`'s absences; never their own, unless Owner. */
  async #authorizeApprove(ctx: AuthedContext, person: UserDoc): Promise<void> {
    await this.#d.access.authorize(ctx, 'absence.approve', personResource(person), {
      affectedUser: auditPerson(person),
      code: person.code,
    });
  }

  /**
   * Who decides `person`'s requests: the leads of their groups who may (one query per group), or
   * the workspace's Owners and Admins when no lead of theirs may.
   */
  async #approversOf(person: UserDoc): Promise<string[]> {
    const resource = personResource(person);
    const now = new Date();
    const may = (u: UserDoc) => !inactiveReason(u, now) && this.#d.access.can(toActor(u), 'absence.approve', resource);
    const inGroups = (await Promise.all(resource.groups.map((g) => this.#d.users.listByGroup(g)))).flat();
    const leads = inGroups.filter((u) => u.role !== 'Owner' && u.role !== 'Admin' && may(u));
    const chosen = leads.length > 0 ? leads : (await this.#admins()).filter(may);
    return [...new Set(chosen.map((u) => String(u._id)))];
  }

  async #admins(): Promise<UserDoc[]> {
    const [owners, admins] = await Promise.all([
      this.#d.users.list({ role: 'Owner', includeDisabled: false }),
      this.#d.users.list({ role: 'Admin', includeDisabled: false }),
    ]);
    return [...owners, ...admins];
  }

  /** 'all' for Owners and Admins who approve; otherwise the caller and the people they approve for. */
  async #visibleUsers(ctx: AuthedContext): Promise<'all' | Set<string>> {
    const actor = ctx.actor;
    if (!this.#d.access.can(actor, 'absence.approve')) return new Set([actor.id]);
    if (actor.role === 'Owner' || actor.role === 'Admin') return 'all';
    const members = (await Promise.all(actor.groups.map((g) => this.#d.users.listByGroup(g)))).flat();
    const ids = members.filter((u) => this.#mayApprove(ctx, u)).map((u) => String(u._id));
    return new Set([actor.id, ...ids]);
  }

  async #user(id: string): Promise<UserDoc> {
    const user = await this.#d.users.findById(id);
    if (!user) throw new NotFoundError('User');
    return user;
  }

  async #people(ids: string[]): Promise<Map<string, UserDoc>> {
    const unique = [...new Set(ids)];
    const docs = unique.length === 0 ? [] : await this.#d.users.findByIds(unique);
    return new Map(docs.map((u) => [String(u._id), u]));
  }

  #present(ctx: AuthedContext, doc: AbsenceDoc, person: UserDoc | undefined): Absence {
    const decidable = doc.status === 'pending' && person !== undefined && this.#mayApprove(ctx, person);
    return presentAbsence(doc, person?.name ?? '', { 'absence.approve': decidable });
  }

  #listAbilities(ctx: AuthedContext): Abilities {
    return { 'absence.approve': this.#d.access.can(ctx.actor, 'absence.approve') };
  }

  #audit(
    action: 'absence.request' | 'absence.decide' | 'absence.cancel',
    person: UserDoc,
    changes: ReturnType<typeof diffFields>,
    asApprover: boolean,
  ): AuditDraft {
    return {
      action,
      permission: asApprover ? 'absence.approve' : null,
      affectedUser: auditPerson(person),
      code: person.code,
      changes,
    };
  }

  /** Viewer-scoped entry: the person and their approvers, nobody else, ever. */
  #feed(type: 'absence.requested' | 'absence.decided', doc: AbsenceDoc, approvers: string[]): LibraryFeedDraft {
    return {
      type,
      projectId: null,
      resource: { kind: 'absence', id: String(doc._id), code: '' },
      data: {
        userId: String(doc.userId),
        kind: doc.kind,
        startDay: doc.startDay,
        endDay: doc.endDay,
        status: doc.status,
      },
      viewers: [String(doc.userId), ...approvers],
    };
  }

  async #notify(
    ctx: AuthedContext,
    kind: 'absenceRequested' | 'absenceDecided',
    doc: AbsenceDoc,
    recipients: string[],
    person: UserDoc,
  ): Promise<void> {
    const notifications = this.#d.notifications;
    if (!notifications) return;
    const title = `${person.name}: ${doc.startDay} – ${doc.endDay}`;
    for (const userId of new Set(recipients)) {
      if (userId === ctx.actor.id) continue;
      await notifications.raise({
        kind,
        userId,
        actor: { id: ctx.actor.id, name: ctx.actor.name },
        projectId: null,
        task: null,
        subject: { kind: 'absence', id: String(doc._id), title },
        data: { kind: doc.kind, startDay: doc.startDay, endDay: doc.endDay, status: doc.status },
      });
    }
  }
}
