import { actions, type Abilities, type Action } from '@crewdeck/shared/permissions';
import type { AuditWriter } from '../audit/audit.writer.ts';
import { ForbiddenError, NotFoundError } from '../http/errors.ts';
import type { Actor, AuthedContext } from '../http/context.ts';
import { userPolicy, type UserResource } from '../users/users.policy.ts';
import { projectPolicy, type ProjectResource } from '../projects/projects.policy.ts';
import { taskPolicy, type TaskResource } from '../tasks/tasks.policy.ts';
import { libraryPolicy, type LibraryResource } from '../library/library.policy.ts';
import { calendarPolicy, type CalendarResource } from '../calendar/calendar.policy.ts';
import { personPolicy, type PersonResource } from '../schedules/schedules.policy.ts';
import { clientPolicy, type ClientResource, type ClientVisibilitySource } from '../clients/clients.policy.ts';
import type { PermissionTable } from './permission-table.ts';

/** Anything `can()` may be asked about; each kind has its policy in `can()`'s switch. */
export type Resource =
  UserResource | ProjectResource | TaskResource | LibraryResource | CalendarResource | PersonResource | ClientResource;

/** A resource kind without a policy is a compile error here, and never an allow at run time. */
function unknownKind(resource: never): never {
  throw new Error(`can(): no policy for resource ${JSON.stringify(resource)}`);
}

/** How a denial is described in the journal. */
export interface DenialDetails {
  affectedUser?: { id: string; login: string; code: string } | null;
  affectedGroup?: { id: string; name: string } | null;
  code?: string | null;
}

/**
 * The one access decision for REST routes, socket handlers and co-editing connections: the
 * role table first, then the resource's own policy.
 */
export class AccessControl {
  readonly #table: PermissionTable;
  readonly #audit: AuditWriter;
  readonly #clients: ClientVisibilitySource;

  /** `clients`: the CRM visibility per role (the CRM settings, kept in memory). */
  constructor(table: PermissionTable, audit: AuditWriter, clients: ClientVisibilitySource) {
    this.#table = table;
    this.#audit = audit;
    this.#clients = clients;
  }

  can(actor: Actor | null, action: Action, resource?: Resource): boolean {
    if (!actor) return false;
    if (!this.#table.allows(actor.role, action)) return false;
    if (!resource) return true;
    switch (resource.kind) {
      case 'user':
        return userPolicy(actor, action, resource);
      case 'project':
        return projectPolicy(actor, action, resource);
      case 'task':
        return taskPolicy(actor, action, resource);
      case 'document':
      case 'folder':
        return libraryPolicy(actor, action, resource);
      case 'calendar':
        return calendarPolicy(actor, action, resource);
      case 'person':
        return personPolicy(actor, action, resource);
      case 'client':
        return clientPolicy(actor, action, resource, this.#clients);
      default:
        return unknownKind(resource);
    }
  }

  /** `action → can()` for the given actions (default: every action, no resource). */
  abilities(actor: Actor, list: readonly Action[] = actions, resource?: Resource): Abilities {
    const result: Abilities = {};
    for (const action of list) result[action] = this.can(actor, action, resource);
    return result;
  }

  /** Every action → allowed for the actor's role: the effective permissions in `/api/me`. */
  effective(actor: Actor): Record<Action, boolean> {
    const result = {} as Record<Action, boolean>;
    for (const action of actions) result[action] = this.can(actor, action);
    return result;
  }

  /**
   * Throws 403 (after journaling the denial) unless `can()` allows. Asynchronous because the
   * journal entry is written before the 403, so TypeScript cannot give it an `asserts` signature.
   */
  async authorize(ctx: AuthedContext, action: Action, resource?: Resource, details: DenialDetails = {}): Promise<void> {
    if (this.can(ctx.actor, action, resource)) return;
    await this.#journalDenial(ctx, action, details);
    throw new ForbiddenError();
  }

  /**
   * Like `authorize`, for the check that decides whether the caller may know the thing exists:
   * a refusal is journaled the same way but answers 404, exactly as a made-up id does.
   */
  async authorizeVisible(
    ctx: AuthedContext,
    action: Action,
    resource: Resource,
    what: string,
    details: DenialDetails = {},
  ): Promise<void> {
    if (this.can(ctx.actor, action, resource)) return;
    await this.#journalDenial(ctx, action, details);
    throw new NotFoundError(what);
  }

  async #journalDenial(ctx: AuthedContext, action: Action, details: DenialDetails): Promise<void> {
    await this.#audit.record(ctx, {
      action: 'access.denied',
      outcome: 'denied',
      permission: action,
      affectedUser: details.affectedUser ?? null,
      affectedGroup: details.affectedGroup ?? null,
      code: details.code ?? null,
    });
  }
}
