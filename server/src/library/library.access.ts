import type { Grant } from '@crewdeck/shared/library';
import type { DocumentDoc, FolderDoc, GrantDoc } from './library.model.ts';
import type { EffectiveGrant, GrantSource, LibraryResource } from './library.policy.ts';
import type { LibraryRepository } from './library.repository.ts';

/** Folders by id: one read per request, then every resource is built in memory. */
export type FolderIndex = ReadonlyMap<string, FolderDoc>;

export function toGrant(g: GrantDoc): Grant {
  if (g.role) return { role: g.role, level: g.level };
  if (g.group) return { group: String(g.group), level: g.level };
  return { user: String(g.user), level: g.level };
}

function withSource(grants: GrantDoc[], source: GrantSource): EffectiveGrant[] {
  return grants.map((g) => ({ grant: toGrant(g), source }));
}

/** The grants a folder passes down: its own, then its parents' while each inherits. */
function folderChain(folderId: string | null, folders: FolderIndex): EffectiveGrant[] {
  const result: EffectiveGrant[] = [];
  const seen = new Set<string>();
  let current = folderId ? folders.get(folderId) : undefined;
  // `seen` guards against a cycle a concurrent move could leave behind.
  while (current && !seen.has(String(current._id))) {
    const id = String(current._id);
    seen.add(id);
    result.push(...withSource(current.grants, { kind: 'folder', id, name: current.name }));
    if (!current.inherit || !current.parentId) break;
    current = folders.get(String(current.parentId));
  }
  return result;
}

export function documentResource(doc: DocumentDoc, folders: FolderIndex): LibraryResource {
  const id = String(doc._id);
  const own = withSource(doc.grants, { kind: 'document', id, name: doc.title });
  const inherited = doc.inherit && doc.folderId ? folderChain(String(doc.folderId), folders) : [];
  return { kind: 'document', id, ownerId: doc.ownerId ? String(doc.ownerId) : null, grants: [...own, ...inherited] };
}

export function folderResource(folder: FolderDoc, folders: FolderIndex): LibraryResource {
  const id = String(folder._id);
  const own = withSource(folder.grants, { kind: 'folder', id, name: folder.name });
  const inherited = folder.inherit && folder.parentId ? folderChain(String(folder.parentId), folders) : [];
  return {
    kind: 'folder',
    id,
    ownerId: folder.ownerId ? String(folder.ownerId) : null,
    grants: [...own, ...inherited],
  };
}

/** Folder ids at and below `rootId` (for access changes reaching every document inside). */
export function subtree(rootId: string, folders: FolderIndex): string[] {
  const result = [rootId];
  for (let i = 0; i < result.length; i += 1) {
    for (const folder of folders.values()) {
      if (folder.parentId && String(folder.parentId) === result[i]) result.push(String(folder._id));
    }
  }
  return result;
}

/** Loads what `can()` needs about library resources. */
export class LibraryAccessLoader {
  readonly #repo: LibraryRepository;

  constructor(repo: LibraryRepository) {
    this.#repo = repo;
  }

  async folders(): Promise<FolderIndex> {
    const list = await this.#repo.listFolders();
    return new Map(list.map((f) => [String(f._id), f]));
  }

  /** The document and its resource, or null when it does not exist. */
  async document(id: string): Promise<{ doc: DocumentDoc; resource: LibraryResource } | null> {
    const doc = await this.#repo.findDocument(id);
    if (!doc) return null;
    return { doc, resource: documentResource(doc, await this.folders()) };
  }
}
