import type { AccessLevel, AccessReason, Grant } from '@crewdeck/shared/library';
import { levelRank } from '@crewdeck/shared/library';
import type { Action, Role } from '@crewdeck/shared/permissions';
import type { Actor } from '../http/context.ts';

/** Where a grant applies from: the resource itself or a folder it inherits from. */
export interface GrantSource {
  kind: 'document' | 'folder';
  id: string;
  name: string;
}

/** A grant together with where it came from (for the effective-access view). */
export interface EffectiveGrant {
  grant: Grant;
  source: GrantSource;
}

/**
 * A library document or folder as `can()` sees it: its owner and every grant that applies
 * (its own, plus the folder chain's while it inherits). Built by the library service, so the
 * decision itself stays synchronous.
 */
interface LibraryResourceBase {
  id: string;
  ownerId: string | null;
  grants: EffectiveGrant[];
}
export interface DocumentResource extends LibraryResourceBase {
  kind: 'document';
}
export interface FolderResource extends LibraryResourceBase {
  kind: 'folder';
}
export type LibraryResource = DocumentResource | FolderResource;

/** Who a level is computed for: an actor, or any user in the effective-access view. */
export type Subject = Pick<Actor, 'id' | 'role' | 'groups'>;

const requiredLevel: Partial<Record<Action, AccessLevel>> = {
  'doc.view': 'view',
  'doc.comment': 'comment',
  'doc.edit': 'edit',
  'doc.manage': 'manage',
  // Creating inside a folder is editing the folder's contents.
  'doc.create': 'edit',
  'folder.create': 'edit',
  'folder.view': 'view',
  'folder.edit': 'edit',
  'folder.manage': 'manage',
};

const managingRoles: ReadonlySet<Role> = new Set(['Owner', 'Admin']);

function grantMatches(grant: Grant, subject: Subject): boolean {
  if ('role' in grant) return grant.role === subject.role;
  if ('group' in grant) return subject.groups.includes(grant.group);
  return grant.user === subject.id;
}

function describe(grant: Grant, source: GrantSource): string {
  const who = 'role' in grant ? `${grant.role} role` : 'group' in grant ? 'Group member' : 'Shared with them';
  const where = source.kind === 'document' ? 'on the document' : `on folder ${source.name}`;
  return `${who}: ${grant.level} ${where}`;
}

/** Every reason `subject` has access, strongest first (empty: no access). Ignores the role table. */
export function accessReasons(subject: Subject, resource: LibraryResource): AccessReason[] {
  const reasons: AccessReason[] = [];
  if (resource.ownerId !== null && resource.ownerId === subject.id) {
    reasons.push({ kind: 'owner', level: 'manage', source: null, text: 'Owner: manages it' });
  }
  if (managingRoles.has(subject.role)) {
    reasons.push({ kind: 'admin', level: 'manage', source: null, text: `${subject.role}: manages every document` });
  }
  for (const { grant, source } of resource.grants) {
    if (!grantMatches(grant, subject)) continue;
    const kind = 'role' in grant ? 'role' : 'group' in grant ? 'group' : 'user';
    reasons.push({ kind, level: grant.level, source, text: describe(grant, source) });
  }
  return reasons.sort((a, b) => levelRank[b.level] - levelRank[a.level]);
}

/** The strongest level the grants give `subject`, or null (before the role table's ceiling). */
function grantedLevel(subject: Subject, resource: LibraryResource): AccessLevel | null {
  return accessReasons(subject, resource)[0]?.level ?? null;
}

/** Document and folder rules on top of the role table: the granted level must reach the action's. */
export function libraryPolicy(actor: Actor, action: Action, resource: LibraryResource): boolean {
  const needed = requiredLevel[action];
  if (!needed) return false;
  const level = grantedLevel(actor, resource);
  return level !== null && levelRank[level] >= levelRank[needed];
}
