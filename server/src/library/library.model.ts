import mongoose from 'mongoose';
import type { AccessLevel, DocumentKind } from '@crewdeck/shared/library';
import type { Role } from '@crewdeck/shared/permissions';

/** A stored grant: exactly one of role, group or user is set. */
export interface GrantDoc {
  role?: Role;
  group?: mongoose.Types.ObjectId;
  user?: mongoose.Types.ObjectId;
  level: AccessLevel;
}

/**
 * Soft deletion: a deleted folder or document stays restorable from the trash for
 * `limits.trashDays`, then the library's purge removes it with its content.
 */
export interface LibraryTrashFields {
  /** Set while in the trash. */
  deletedAt?: Date | null;
  deletedBy?: mongoose.Types.ObjectId | null;
  /** The folder whose deletion took this along (restored with it, not listed apart). */
  trashedWith?: mongoose.Types.ObjectId | null;
}

const trashPaths = {
  deletedAt: { type: Date, default: null, index: true },
  deletedBy: { type: mongoose.Schema.Types.ObjectId, default: null },
  trashedWith: { type: mongoose.Schema.Types.ObjectId, default: null, index: true },
} as const;

export interface FolderDoc extends LibraryTrashFields {
  _id: mongoose.Types.ObjectId;
  name: string;
  parentId: mongoose.Types.ObjectId | null;
  ownerId: mongoose.Types.ObjectId | null;
  grants: GrantDoc[];
  inherit: boolean;
  createdBy: mongoose.Types.ObjectId | null;
  updatedBy: mongoose.Types.ObjectId | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface FileDoc {
  /** GridFS file id in the `library` bucket. */
  fileId: mongoose.Types.ObjectId;
  filename: string;
  size: number;
  contentType: string;
}

export interface DocumentDoc extends LibraryTrashFields {
  _id: mongoose.Types.ObjectId;
  code: string;
  title: string;
  kind: DocumentKind;
  folderId: mongoose.Types.ObjectId | null;
  tags: string[];
  ownerId: mongoose.Types.ObjectId | null;
  grants: GrantDoc[];
  inherit: boolean;
  file: FileDoc | null;
  /** Plain text of rich-text content (search), refreshed when the content is saved. */
  plainText: string;
  createdBy: mongoose.Types.ObjectId | null;
  updatedBy: mongoose.Types.ObjectId | null;
  createdAt: Date;
  updatedAt: Date;
}

const grantSchema = new mongoose.Schema<GrantDoc>(
  {
    role: { type: String },
    group: { type: mongoose.Schema.Types.ObjectId },
    user: { type: mongoose.Schema.Types.ObjectId },
    level: { type: String, required: true },
  },
  { _id: false },
);

const folderSchema = new mongoose.Schema<FolderDoc>(
  {
    name: { type: String, required: true },
    parentId: { type: mongoose.Schema.Types.ObjectId, default: null, index: true },
    ownerId: { type: mongoose.Schema.Types.ObjectId, default: null },
    grants: { type: [grantSchema], default: [] },
    inherit: { type: Boolean, default: true },
    createdBy: { type: mongoose.Schema.Types.ObjectId, default: null },
    updatedBy: { type: mongoose.Schema.Types.ObjectId, default: null },
    ...trashPaths,
  },
  { timestamps: true, versionKey: false, collection: 'library_folders' },
);

const fileSchema = new mongoose.Schema<FileDoc>(
  {
    fileId: { type: mongoose.Schema.Types.ObjectId, required: true },
    filename: { type: String, required: true },
    size: { type: Number, required: true },
    contentType: { type: String, required: true },
  },
  { _id: false },
);

const documentSchema = new mongoose.Schema<DocumentDoc>(
  {
    code: { type: String, required: true, unique: true },
    title: { type: String, required: true },
    kind: { type: String, required: true },
    folderId: { type: mongoose.Schema.Types.ObjectId, default: null, index: true },
    tags: { type: [String], default: [] },
    ownerId: { type: mongoose.Schema.Types.ObjectId, default: null },
    grants: { type: [grantSchema], default: [] },
    inherit: { type: Boolean, default: true },
    file: { type: fileSchema, default: null },
    plainText: { type: String, default: '' },
    createdBy: { type: mongoose.Schema.Types.ObjectId, default: null },
    updatedBy: { type: mongoose.Schema.Types.ObjectId, default: null },
    ...trashPaths,
  },
  { timestamps: true, versionKey: false, collection: 'library_documents' },
);

export const FolderModel = mongoose.model<FolderDoc>('LibraryFolder', folderSchema);
export const DocumentModel = mongoose.model<DocumentDoc>('LibraryDocument', documentSchema);
