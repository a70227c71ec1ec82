import type { CrmSettings } from '@crewdeck/shared/clients';
import { directedKinds, type InteractionDirection, type InteractionKind } from '@crewdeck/shared/interactions';
import type { ClientsRepository } from '../clients/clients.repository.ts';
import type { AuthedContext } from '../http/context.ts';
import { AppError, ValidationError } from '../http/errors.ts';
import type { AccessControl } from '../permissions/access-control.ts';
import type { TasksService } from '../tasks/tasks.service.ts';
import type { UsersRepository } from '../users/users.repository.ts';
import { inactiveReason, toActor } from '../users/user-status.ts';

/** How the journal learns that a deal exists and the caller sees it (wired by the deals feature). */
export interface DealLookup {
  /** The deal's client id; throws NotFoundError when it does not exist or is not visible. */
  visibleClientOf(ctx: AuthedContext, dealId: string): Promise<string>;
}

export interface RefChecksDeps {
  clientsRepo: ClientsRepository;
  access: AccessControl;
  users: UsersRepository;
  tasks: TasksService;
  deals?: DealLookup;
}

/** The fields of a log or an edit whose values point elsewhere, after defaults. */
export interface RefFields {
  clientId: string;
  kind: InteractionKind;
  direction: InteractionDirection | null;
  result: string | null;
  managerId: string;
  contactId: string | null;
  dealId: string | null;
  taskId: string | null;
}

/** A 404 from a lookup becomes a 400 on the field: the caller named something they cannot use. */
async function exists(check: () => Promise<unknown>): Promise<boolean> {
  try {
    await check();
    return true;
  } catch (err) {
    if (err instanceof AppError && (err.code === 'not_found' || err.code === 'forbidden')) return false;
    throw err;
  }
}

/**
 * Every rule on what an interaction points to: a configured result, a contact of the same client,
 * a deal and a task the caller sees, and a manager other than the caller only for those who
 * may assign (or Owners and Admins). Collects all field errors into one 400.
 */
export async function checkRefs(
  d: RefChecksDeps,
  ctx: AuthedContext,
  settings: CrmSettings,
  fields: RefFields,
  changed: (field: keyof RefFields) => boolean,
): Promise<void> {
  const errors: Record<string, string> = {};
  if (fields.direction && !directedKinds.includes(fields.kind))
    errors.direction = 'Only calls, emails and messages have a direction';
  if (changed('result') && fields.result !== null && !settings.interactionResults.some((r) => r.key === fields.result))
    errors.result = 'Not one of the configured results';
  if (changed('contactId') && fields.contactId && !(await d.clientsRepo.contact(fields.clientId, fields.contactId)))
    errors.contactId = 'Not a contact of this client';
  if (changed('dealId') && fields.dealId) {
    const deals = d.deals;
    const dealId = fields.dealId;
    if (!deals || !(await exists(() => deals.visibleClientOf(ctx, dealId)))) errors.dealId = 'No such deal';
  }
  if (changed('taskId') && fields.taskId) {
    const taskId = fields.taskId;
    if (!(await exists(() => d.tasks.get(ctx, taskId)))) errors.taskId = 'No such task';
  }
  if (changed('managerId') && fields.managerId !== ctx.actor.id) {
    const error = await managerError(d, ctx, fields.managerId);
    if (error) errors.managerId = error;
  }
  if (Object.keys(errors).length) throw new ValidationError(errors, 'Some fields are invalid');
}

async function managerError(d: RefChecksDeps, ctx: AuthedContext, managerId: string): Promise<string | null> {
  const mayChoose =
    ctx.actor.role === 'Owner' || ctx.actor.role === 'Admin' || d.access.can(ctx.actor, 'client.assign');
  if (!mayChoose) await d.access.authorize(ctx, 'client.assign');
  const user = await d.users.findById(managerId);
  if (!user || inactiveReason(user, new Date())) return 'No such active user';
  if (!d.access.can(toActor(user), 'interaction.log')) return 'This person cannot log interactions';
  return null;
}
