import mongoose, { type ClientSession, type QueryFilter } from 'mongoose';
import type { DocumentKind } from '@crewdeck/shared/library';
import { oid, oids } from '../db/ids.ts';
import {
  DocumentModel,
  FolderModel,
  type DocumentDoc,
  type FileDoc,
  type FolderDoc,
  type GrantDoc,
} from './library.model.ts';

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Filters of the document list; visibility is decided afterwards by `can()`. */
export interface DocumentFilter {
  folderId?: string | null;
  q?: string;
  tag?: string;
  kind?: DocumentKind;
}

export interface NewDocument {
  code: string;
  title: string;
  kind: DocumentKind;
  folderId: string | null;
  tags: string[];
  ownerId: string;
  file: FileDoc | null;
}

export interface DocumentChanges {
  title?: string;
  tags?: string[];
  folderId?: string | null;
  grants?: GrantDoc[];
  inherit?: boolean;
  updatedBy?: string;
}

export interface FolderChanges {
  name?: string;
  parentId?: string | null;
  grants?: GrantDoc[];
  inherit?: boolean;
  updatedBy?: string;
}

/** Not in the trash (documents from before soft deletion have no `deletedAt`). */
const live = { deletedAt: null } as const;

/** Fields the list needs; the plain text can be large and stays in the database. */
const listProjection = { plainText: 0 } as const;

function toSet(changes: DocumentChanges | FolderChanges): Record<string, unknown> {
  const set: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    const isRef = key === 'folderId' || key === 'parentId' || key === 'updatedBy';
    set[key] = isRef && typeof value === 'string' ? oid(value) : value;
  }
  return set;
}

/** The only code touching the library's folders and documents collections. */
export class LibraryRepository {
  async listFolders(): Promise<FolderDoc[]> {
    return FolderModel.find(live).sort({ name: 1, _id: 1 }).lean<FolderDoc[]>();
  }

  async findFolder(id: string, session?: ClientSession): Promise<FolderDoc | null> {
    return FolderModel.findOne({ _id: oid(id), ...live }, null, { session }).lean<FolderDoc>();
  }

  async createFolder(
    data: { name: string; parentId: string | null; ownerId: string },
    session: ClientSession,
  ): Promise<FolderDoc> {
    const owner = oid(data.ownerId);
    const parentId = data.parentId ? oid(data.parentId) : null;
    const [doc] = await FolderModel.create(
      [{ name: data.name, parentId, ownerId: owner, createdBy: owner, updatedBy: owner }],
      { session },
    );
    return doc.toObject<FolderDoc>();
  }

  async updateFolder(id: string, changes: FolderChanges, session: ClientSession): Promise<FolderDoc | null> {
    return FolderModel.findOneAndUpdate(
      { _id: oid(id), ...live },
      { $set: toSet(changes) },
      { returnDocument: 'after', session },
    ).lean<FolderDoc>();
  }

  async listDocuments(filter: DocumentFilter): Promise<DocumentDoc[]> {
    const query: QueryFilter<DocumentDoc> = { ...live };
    if (filter.folderId !== undefined) query.folderId = filter.folderId === null ? null : oid(filter.folderId);
    if (filter.tag) query.tags = filter.tag;
    if (filter.kind) query.kind = filter.kind;
    if (filter.q) {
      const pattern = new RegExp(escapeRegex(filter.q), 'i');
      query.$or = [{ title: pattern }, { tags: pattern }, { plainText: pattern }];
    }
    const docs = await DocumentModel.find(query, listProjection).sort({ updatedAt: -1, _id: -1 }).lean<DocumentDoc[]>();
    return docs.map((d) => ({ ...d, plainText: '' }));
  }

  async findDocument(id: string, session?: ClientSession): Promise<DocumentDoc | null> {
    return DocumentModel.findOne({ _id: oid(id), ...live }, listProjection, { session }).lean<DocumentDoc>();
  }

  async createDocument(data: NewDocument, session: ClientSession): Promise<DocumentDoc> {
    const owner = oid(data.ownerId);
    const folderId = data.folderId ? oid(data.folderId) : null;
    const [doc] = await DocumentModel.create(
      [{ ...data, folderId, ownerId: owner, createdBy: owner, updatedBy: owner }],
      { session },
    );
    return doc.toObject<DocumentDoc>();
  }

  async updateDocument(id: string, changes: DocumentChanges, session?: ClientSession): Promise<DocumentDoc | null> {
    return DocumentModel.findOneAndUpdate(
      { _id: oid(id), ...live },
      { $set: toSet(changes) },
      { returnDocument: 'after', session, projection: listProjection },
    ).lean<DocumentDoc>();
  }

  /** Saves the searchable text of co-edited content and who changed it last. */
  async saveContentInfo(
    id: string,
    info: { plainText: string; updatedBy: string | null; updatedAt: Date },
  ): Promise<void> {
    const set: Record<string, unknown> = { plainText: info.plainText, updatedAt: info.updatedAt };
    if (info.updatedBy) set.updatedBy = oid(info.updatedBy);
    // `timestamps: false`: updatedAt is the content's time, not this write's.
    await DocumentModel.updateOne({ _id: oid(id) }, { $set: set }, { timestamps: false });
  }

  /** Documents in any of the folders (for access changes that reach many documents). */
  async documentIdsInFolders(folderIds: string[]): Promise<string[]> {
    if (folderIds.length === 0) return [];
    const docs = await DocumentModel.find({ folderId: { $in: oids(folderIds) }, ...live }, { _id: 1 }).lean<
      Array<{ _id: mongoose.Types.ObjectId }>
    >();
    return docs.map((d) => String(d._id));
  }
}
