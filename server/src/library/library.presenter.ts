import type { AccessLevel, FileInfo, Folder, LibraryDocument, PersonRef } from '@crewdeck/shared/library';
import type { Abilities } from '@crewdeck/shared/permissions';
import type { PersonRefs } from '../users/people.ts';
import { toGrant } from './library.access.ts';
import type { DocumentDoc, FolderDoc } from './library.model.ts';

const person = (people: PersonRefs, id: unknown): PersonRef | null => (id ? (people.get(String(id)) ?? null) : null);

/** What the caller may see of a resource besides its fields. */
export interface Viewpoint {
  level: AccessLevel;
  abilities: Abilities;
  /** Grants are shown only to those who manage the resource. */
  showGrants: boolean;
}

/** Whitelist of public folder fields. */
export function presentFolder(folder: FolderDoc, people: PersonRefs, view: Viewpoint): Folder {
  return {
    id: String(folder._id),
    name: folder.name,
    parentId: folder.parentId ? String(folder.parentId) : null,
    owner: person(people, folder.ownerId),
    inherit: folder.inherit,
    grants: view.showGrants ? folder.grants.map(toGrant) : null,
    level: view.level,
    createdAt: folder.createdAt.toISOString(),
    updatedAt: folder.updatedAt.toISOString(),
    abilities: view.abilities,
  };
}

function presentFile(doc: DocumentDoc): FileInfo | null {
  if (!doc.file) return null;
  return { filename: doc.file.filename, size: doc.file.size, contentType: doc.file.contentType };
}

/** Whitelist of public document fields. */
export function presentDocument(
  doc: DocumentDoc,
  people: PersonRefs,
  view: Viewpoint,
  editing: PersonRef[],
): LibraryDocument {
  return {
    id: String(doc._id),
    code: doc.code,
    title: doc.title,
    kind: doc.kind,
    folderId: doc.folderId ? String(doc.folderId) : null,
    tags: doc.tags,
    owner: person(people, doc.ownerId),
    createdBy: person(people, doc.createdBy),
    updatedBy: person(people, doc.updatedBy),
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
    inherit: doc.inherit,
    grants: view.showGrants ? doc.grants.map(toGrant) : null,
    level: view.level,
    file: presentFile(doc),
    editing,
    abilities: view.abilities,
  };
}

/** People ids a document or folder mentions. */
export function mentionedPeople(items: Array<DocumentDoc | FolderDoc>): string[] {
  const ids = new Set<string>();
  for (const item of items) {
    for (const id of [item.ownerId, item.createdBy, item.updatedBy]) if (id) ids.add(String(id));
  }
  return [...ids];
}
