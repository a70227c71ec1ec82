import type { ClientSession } from 'mongoose';
import { oid, oids } from '../db/ids.ts';
import { DocumentModel, FolderModel, type DocumentDoc, type FolderDoc } from './library.model.ts';

const live = { deletedAt: null } as const;
const trashed = { deletedAt: { $ne: null } } as const;
const noText = { plainText: 0 } as const;
const restoreSet = { $set: { deletedAt: null, deletedBy: null, trashedWith: null } } as const;

function trashSet(by: string, at: Date, withId: string | null) {
  return { $set: { deletedAt: at, deletedBy: oid(by), trashedWith: withId ? oid(withId) : null } };
}

/** The library's trash: soft deletion, restore and the final purge. The only other code touching its models. */
export class LibraryTrashRepository {
  /** Every folder, trashed ones too: a trashed document's grants come from its folder chain as it was. */
  async allFolders(): Promise<FolderDoc[]> {
    return FolderModel.find({}).lean<FolderDoc[]>();
  }

  async trashDocument(id: string, by: string, at: Date, session: ClientSession): Promise<boolean> {
    const result = await DocumentModel.updateOne({ _id: oid(id), ...live }, trashSet(by, at, null), { session });
    return result.modifiedCount === 1;
  }

  /** Trashes the folders (the first is the root) and the live documents in them, all restorable with the root. */
  async trashFolders(folderIds: string[], by: string, at: Date, session: ClientSession): Promise<boolean> {
    const [rootId, ...below] = folderIds;
    const root = await FolderModel.updateOne({ _id: oid(rootId), ...live }, trashSet(by, at, null), { session });
    if (root.modifiedCount !== 1) return false;
    if (below.length > 0)
      await FolderModel.updateMany({ _id: { $in: oids(below) }, ...live }, trashSet(by, at, rootId), { session });
    await DocumentModel.updateMany({ folderId: { $in: oids(folderIds) }, ...live }, trashSet(by, at, rootId), {
      session,
    });
    return true;
  }

  /** Live documents in the folders (what deleting them would take along). */
  async documentsIn(folderIds: string[]): Promise<DocumentDoc[]> {
    return DocumentModel.find({ folderId: { $in: oids(folderIds) }, ...live }, noText).lean<DocumentDoc[]>();
  }

  /** Documents and folders deleted on their own or as the root of a folder deletion. */
  async listRoots(): Promise<{ documents: DocumentDoc[]; folders: FolderDoc[] }> {
    const filter = { ...trashed, trashedWith: null };
    const [documents, folders] = await Promise.all([
      DocumentModel.find(filter, noText).sort({ deletedAt: -1 }).lean<DocumentDoc[]>(),
      FolderModel.find(filter).sort({ deletedAt: -1 }).lean<FolderDoc[]>(),
    ]);
    return { documents, folders };
  }

  /** How many documents and folders each root took along. */
  async countTakenAlong(rootIds: string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    if (rootIds.length === 0) return counts;
    const filter = { trashedWith: { $in: oids(rootIds) } };
    const [documents, folders] = await Promise.all([
      DocumentModel.find(filter, { trashedWith: 1 }).lean<DocumentDoc[]>(),
      FolderModel.find(filter, { trashedWith: 1 }).lean<FolderDoc[]>(),
    ]);
    for (const item of [...documents, ...folders]) {
      const key = String(item.trashedWith);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
  }

  async findTrashedDocument(id: string): Promise<DocumentDoc | null> {
    return DocumentModel.findOne({ _id: oid(id), ...trashed, trashedWith: null }, noText).lean<DocumentDoc>();
  }

  async findTrashedFolder(id: string): Promise<FolderDoc | null> {
    return FolderModel.findOne({ _id: oid(id), ...trashed, trashedWith: null }).lean<FolderDoc>();
  }

  async restoreDocument(id: string, session: ClientSession): Promise<boolean> {
    const result = await DocumentModel.updateOne({ _id: oid(id), ...trashed }, restoreSet, { session });
    return result.modifiedCount === 1;
  }

  /** Restores the root folder and everything its deletion took along; answers the restored document ids. */
  async restoreFolder(id: string, session: ClientSession): Promise<string[] | null> {
    const root = await FolderModel.updateOne({ _id: oid(id), ...trashed }, restoreSet, { session });
    if (root.modifiedCount !== 1) return null;
    const along = { trashedWith: oid(id) };
    const documents = await DocumentModel.find(along, { _id: 1 }, { session }).lean<DocumentDoc[]>();
    await FolderModel.updateMany(along, restoreSet, { session });
    await DocumentModel.updateMany(along, restoreSet, { session });
    return documents.map((d) => String(d._id));
  }

  /** Documents deleted at or before `cutoff` (roots and taken along alike). */
  async documentsDeletedBefore(cutoff: Date): Promise<DocumentDoc[]> {
    return DocumentModel.find({ deletedAt: { $ne: null, $lte: cutoff } }, noText).lean<DocumentDoc[]>();
  }

  async deleteDocument(id: string): Promise<void> {
    await DocumentModel.deleteOne({ _id: oid(id), ...trashed });
  }

  /** Removes folders deleted at or before `cutoff`; answers how many. */
  async deleteFoldersBefore(cutoff: Date): Promise<number> {
    const result = await FolderModel.deleteMany({ deletedAt: { $ne: null, $lte: cutoff } });
    return result.deletedCount;
  }
}
