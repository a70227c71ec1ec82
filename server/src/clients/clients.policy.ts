import type { Action } from '@crewdeck/shared/permissions';
import type { ClientVisibility } from '@crewdeck/shared/clients';
import type { Actor } from '../http/context.ts';

/**
 * A CRM client as `can()` sees it. Deals, contacts and interactions are decided about their
 * client: whoever may see the client sees them, whoever may write it writes them.
 */
export interface ClientResource {
  kind: 'client';
  id: string;
  managerId: string | null;
  groupIds: readonly string[];
}

/** The visibility setting per role, read synchronously (the CRM settings keep it in memory). */
export interface ClientVisibilitySource {
  visibilityOf(role: Actor['role']): ClientVisibility;
}

const clientActions: ReadonlySet<Action> = new Set([
  'client.read',
  'client.write',
  'client.assign',
  'client.merge',
  'client.export',
  'deal.write',
  'interaction.log',
  'mailing.manage',
]);

/**
 * Whether the actor sees the client under their role's visibility: `all`; `group` — clients of
 * managers in one of their groups, their own, and unassigned ones (so a lead can hand them out);
 * `own` — only those they are responsible for. Every CRM action needs the client to be visible.
 */
export function seesClient(actor: Actor, client: ClientResource, visibility: ClientVisibility): boolean {
  if (client.managerId === actor.id) return true;
  if (visibility === 'all') return true;
  if (visibility === 'own') return false;
  return client.managerId === null || client.groupIds.some((g) => actor.groups.includes(g));
}

export function clientPolicy(
  actor: Actor,
  action: Action,
  client: ClientResource,
  source: ClientVisibilitySource,
): boolean {
  if (!clientActions.has(action)) return false;
  return seesClient(actor, client, source.visibilityOf(actor.role));
}

/**
 * The same rule as a database filter over the access fields (`managerId`, `groupIds`) of clients
 * or of anything carrying a copy of them (`prefix` names the embedded object, e.g. `access`).
 * `null` means no restriction.
 */
export function visibilityFilter(
  actor: Actor,
  visibility: ClientVisibility,
  prefix = '',
): Record<string, unknown> | null {
  const field = (name: string) => (prefix ? `${prefix}.${name}` : name);
  if (visibility === 'all') return null;
  if (visibility === 'own') return { [field('managerId')]: actor.id };
  return {
    $or: [
      { [field('managerId')]: actor.id },
      { [field('managerId')]: null },
      ...(actor.groups.length ? [{ [field('groupIds')]: { $in: actor.groups } }] : []),
    ],
  };
}
