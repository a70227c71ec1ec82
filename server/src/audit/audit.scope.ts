import type { AuthedContext } from '../http/context.ts';
import type { AccessControl } from '../permissions/access-control.ts';

/**
 * Which journal entries a reader may see. Owner and Admin see everything; anyone else sees
 * their own actions plus entries about resources they may read now (by the entry's document
 * code), so the journal never shows what the resource itself would answer 403 or 404 for.
 */
export type AuditScope =
  | { everything: true }
  | {
      everything: false;
      /** Entries this user acted in. */
      actorId: string;
      /** Exact document codes: readable projects (`WEB`) and documents (`DOC-7`). */
      codes: string[];
      /** Code prefixes: readable projects' tasks and milestones (`WEB-42`, `WEB-M3`), `USR`, `GRP`. */
      prefixes: string[];
    };

/** Where the scope's facts come from; wired in services.ts (audit/ imports no other feature). */
export interface AuditScopeSources {
  access: AccessControl;
  projectCodes(ctx: AuthedContext): Promise<string[]>;
  documentCodes(ctx: AuthedContext): Promise<string[]>;
  /** CRM clients the reader sees: all of them (`CLI` prefix), or these codes. */
  clientCodes(ctx: AuthedContext): Promise<'all' | string[]>;
}

export async function auditScopeOf(ctx: AuthedContext, sources: AuditScopeSources): Promise<AuditScope> {
  const { actor } = ctx;
  if (actor.role === 'Owner' || actor.role === 'Admin') return { everything: true };
  const [projects, documents, clients] = await Promise.all([
    sources.projectCodes(ctx),
    sources.documentCodes(ctx),
    sources.clientCodes(ctx),
  ]);
  const prefixes = [...projects];
  if (sources.access.can(actor, 'user.read')) prefixes.push('USR');
  if (sources.access.can(actor, 'group.read')) prefixes.push('GRP');
  if (clients === 'all') prefixes.push('CLI');
  const clientCodes = clients === 'all' ? [] : clients;
  return { everything: false, actorId: actor.id, codes: [...projects, ...documents, ...clientCodes], prefixes };
}
