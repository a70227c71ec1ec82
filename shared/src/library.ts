import { z } from 'zod';
import { lineText, queryText } from './text.ts';
import { dateTimeSchema, docCodeSchema, idParamsSchema, idSchema } from './common.ts';
import { defineEndpoints } from './endpoint.ts';
import { limits } from './limits.ts';
import { abilitiesSchema, roleSchema } from './permissions.ts';

/** Access levels, weakest first: each level includes the ones before it. */
export const accessLevels = ['view', 'comment', 'edit', 'manage'] as const;
export const accessLevelSchema = z.enum(accessLevels);
export type AccessLevel = z.infer<typeof accessLevelSchema>;

/** Rank of a level (view 1 … manage 4); 0 means no access. */
export const levelRank: Record<AccessLevel, number> = { view: 1, comment: 2, edit: 3, manage: 4 };

/** One access grant: exactly one of `role`, `group` or `user`, with a level. */
export const grantSchema = z.union([
  z.strictObject({
    /** Everyone with this workspace role. */
    role: roleSchema,
    /** Level granted. */
    level: accessLevelSchema,
  }),
  z.strictObject({
    /** Members of this group. */
    group: idSchema,
    /** Level granted. */
    level: accessLevelSchema,
  }),
  z.strictObject({
    /** This one user. */
    user: idSchema,
    /** Level granted. */
    level: accessLevelSchema,
  }),
]);
export type Grant = z.infer<typeof grantSchema>;

const grantsSchema = z.array(grantSchema).max(limits.libraryGrantsMax);
const titleSchema = lineText({ min: 1, max: limits.libraryTitleMax });
const tagSchema = lineText({ min: 1, max: limits.libraryTagMax });
const tagsSchema = z.array(tagSchema).max(limits.libraryTagsMax);

/** A person as shown next to a document (creator, editor, collaborator). */
export const personRefSchema = z.object({
  /** User id. */
  id: idSchema,
  /** Display name. */
  name: z.string(),
});
export type PersonRef = z.infer<typeof personRefSchema>;

/** Document kinds: co-edited rich text, or an uploaded file. */
export const documentKindSchema = z.enum(['rich-text', 'file']);
export type DocumentKind = z.infer<typeof documentKindSchema>;

/** A folder of the library. */
export const folderSchema = z.object({
  /** Folder id. */
  id: idSchema,
  /** Folder name. */
  name: z.string(),
  /** Parent folder, or null at the top level. */
  parentId: idSchema.nullable(),
  /** Who owns (and always manages) the folder. */
  owner: personRefSchema.nullable(),
  /** True: the parent folder's grants apply too. */
  inherit: z.boolean(),
  /** The folder's own grants (only sent to those who may manage it). */
  grants: z.array(grantSchema).nullable(),
  /** The caller's effective level on the folder. */
  level: accessLevelSchema,
  /** Creation time. */
  createdAt: dateTimeSchema,
  /** Last change time. */
  updatedAt: dateTimeSchema,
  /** What the caller may do with the folder. */
  abilities: abilitiesSchema,
});
export type Folder = z.infer<typeof folderSchema>;

/** Metadata of an uploaded file. */
export const fileInfoSchema = z.object({
  /** Sanitized original file name. */
  filename: z.string(),
  /** Size in bytes. */
  size: z.number().int().nonnegative(),
  /** Content type sniffed from the bytes (never from the extension). */
  contentType: z.string(),
});
export type FileInfo = z.infer<typeof fileInfoSchema>;

/** A library document (rich text or file). */
export const documentSchema = z.object({
  /** Document id (also the co-editing room: `/yjs/<id>`). */
  id: idSchema,
  /** Human code, e.g. `DOC-17`. */
  code: docCodeSchema,
  /** Title. */
  title: z.string(),
  /** Kind. */
  kind: documentKindSchema,
  /** Containing folder, or null at the top level. */
  folderId: idSchema.nullable(),
  /** Tags for filtering. */
  tags: z.array(z.string()),
  /** Owner (always manages). */
  owner: personRefSchema.nullable(),
  /** Who created it. */
  createdBy: personRefSchema.nullable(),
  /** Who changed it last. */
  updatedBy: personRefSchema.nullable(),
  /** Creation time. */
  createdAt: dateTimeSchema,
  /** Last change time (content or metadata). */
  updatedAt: dateTimeSchema,
  /** True: the folder's grants apply too. */
  inherit: z.boolean(),
  /** The document's own grants (only sent to those who may manage it). */
  grants: z.array(grantSchema).nullable(),
  /** The caller's effective level. */
  level: accessLevelSchema,
  /** File metadata for `file` documents. */
  file: fileInfoSchema.nullable(),
  /** People connected to the co-editing session right now. */
  editing: z.array(personRefSchema),
  /** What the caller may do with the document. */
  abilities: abilitiesSchema,
});
export type LibraryDocument = z.infer<typeof documentSchema>;

/** `GET /api/library` query: list and search. */
export const libraryQuerySchema = z.strictObject({
  /** Only documents directly in this folder (`root` for the top level). */
  folderId: z.union([idSchema, z.literal('root')]).optional(),
  /** Case-insensitive search in title, tags and text content. */
  q: queryText(limits.librarySearchMax).optional(),
  /** Only documents with this tag. */
  tag: tagSchema.optional(),
  /** Only this kind. */
  kind: documentKindSchema.optional(),
  /** Page size. */
  limit: z.coerce.number().int().min(1).max(limits.pageMax).optional(),
});
export type LibraryQuery = z.infer<typeof libraryQuerySchema>;

/** `GET /api/library` response. */
export const libraryListSchema = z.object({
  /** Folders the caller may view. */
  folders: z.array(folderSchema),
  /** Documents the caller may view, most recently updated first. */
  items: z.array(documentSchema),
  /** What the caller may do at the top level (`doc.create`, `folder.create`). */
  abilities: abilitiesSchema,
});
export type LibraryList = z.infer<typeof libraryListSchema>;

/** `POST /api/library/folders` body. */
export const createFolderSchema = z.strictObject({
  /** Folder name. */
  name: titleSchema,
  /** Parent folder (top level when absent). */
  parentId: idSchema.optional(),
});
export type CreateFolder = z.infer<typeof createFolderSchema>;

/** `PATCH /api/library/folders/:id` body. */
export const updateFolderSchema = z.strictObject({
  /** New name. */
  name: titleSchema.optional(),
  /** New parent (null: top level). */
  parentId: idSchema.nullable().optional(),
});
export type UpdateFolder = z.infer<typeof updateFolderSchema>;

/** `{ folder }` response. */
export const folderResponseSchema = z.object({ folder: folderSchema });

/** `POST /api/library/documents` body. */
export const createDocumentSchema = z.strictObject({
  /** Title. */
  title: titleSchema,
  /** Folder (top level when absent). */
  folderId: idSchema.optional(),
  /** Tags. */
  tags: tagsSchema.optional(),
});
export type CreateDocument = z.infer<typeof createDocumentSchema>;

/** `POST /api/library/documents` response. */
export const createdDocumentSchema = z.object({
  /** New document id. */
  id: idSchema,
  /** Its human code. */
  code: docCodeSchema,
});
export type CreatedDocument = z.infer<typeof createdDocumentSchema>;

/** `PATCH /api/library/documents/:id` body. */
export const updateDocumentSchema = z.strictObject({
  /** New title. */
  title: titleSchema.optional(),
  /** New tags (replaces the list). */
  tags: tagsSchema.optional(),
  /** Move to a folder (null: top level). */
  folderId: idSchema.nullable().optional(),
});
export type UpdateDocument = z.infer<typeof updateDocumentSchema>;

/** `{ document }` response. */
export const documentResponseSchema = z.object({ document: documentSchema });

/** `PUT /api/library/documents/:id/access` and `/folders/:id/access` body. */
export const updateAccessSchema = z.strictObject({
  /** The resource's own grants (replaces the list). */
  grants: grantsSchema,
  /** Whether the parent folder's grants apply too (unchanged when absent). */
  inherit: z.boolean().optional(),
});
export type UpdateAccess = z.infer<typeof updateAccessSchema>;

/** Upload query (`POST /api/library/files`): the file itself is the multipart body's `file` part. */
export const uploadQuerySchema = z.strictObject({
  /** Folder (top level when absent). */
  folderId: idSchema.optional(),
  /** Title (the file name when absent). */
  title: titleSchema.optional(),
});
export type UploadQuery = z.infer<typeof uploadQuerySchema>;

/** What deleting a document or folder answers: it is in the trash until `restoreUntil`. */
export const libraryTrashedSchema = z.object({
  /** Always true. */
  ok: z.literal(true),
  /** Until when it can be restored; afterwards it is purged with its content and versions. */
  restoreUntil: dateTimeSchema,
});
export type LibraryTrashed = z.infer<typeof libraryTrashedSchema>;

/** `DELETE /api/library/folders/:id` query. */
export const removeFolderQuerySchema = z.strictObject({
  /** `true`: delete what is inside too (restored together); without it a non-empty folder answers 409. */
  withContents: z.enum(['true', 'false']).optional(),
});

/** One entry of the library trash: a document or folder the caller may restore. */
export const libraryTrashItemSchema = z.object({
  /** Document or folder. */
  kind: z.enum(['document', 'folder']),
  /** Its id (restore with `POST /api/library/trash/<kind>s/:id/restore`). */
  id: idSchema,
  /** Document title or folder name. */
  title: z.string(),
  /** Human code of a document (null for folders). */
  code: docCodeSchema.nullable(),
  /** Rich text or file, for documents (null for folders). */
  documentKind: documentKindSchema.nullable(),
  /** The folder it was in (null: top level). */
  folderId: idSchema.nullable(),
  /** For folders: how many documents and folders inside were deleted with it. */
  contains: z.number().int().nonnegative(),
  /** Who deleted it. */
  deletedBy: personRefSchema.nullable(),
  /** When it was deleted. */
  deletedAt: dateTimeSchema,
  /** Until when it can be restored. */
  restoreUntil: dateTimeSchema,
});
export type LibraryTrashItem = z.infer<typeof libraryTrashItemSchema>;

/** `GET /api/library/trash` response. */
export const libraryTrashListSchema = z.object({
  /** Deleted documents and folders the caller manages, most recently deleted first. */
  items: z.array(libraryTrashItemSchema),
});
export type LibraryTrashList = z.infer<typeof libraryTrashListSchema>;

/** Why a person has the level they have on a document. */
export const accessReasonSchema = z.object({
  /** What the reason is. */
  kind: z.enum(['owner', 'admin', 'user', 'role', 'group']),
  /** Level it gives. */
  level: accessLevelSchema,
  /** Where it comes from: `document`, or the folder the grant was inherited from. */
  source: z
    .object({
      /** Document or folder. */
      kind: z.enum(['document', 'folder']),
      /** Its id. */
      id: idSchema,
      /** Its title or name. */
      name: z.string(),
    })
    .nullable(),
  /** Human sentence, e.g. "Member role, granted edit on folder Specs". */
  text: z.string(),
});
export type AccessReason = z.infer<typeof accessReasonSchema>;

/** One row of the effective-access view: a person, their level, and why. */
export const effectiveAccessRowSchema = z.object({
  /** The person. */
  user: personRefSchema,
  /** Their workspace role. */
  role: roleSchema,
  /** Resulting level (the strongest reason, capped by the role's permissions). */
  level: accessLevelSchema,
  /** Every reason that applies, strongest first. */
  reasons: z.array(accessReasonSchema),
});

/** `GET /api/library/documents/:id/access` response. */
export const effectiveAccessSchema = z.object({
  /** The document's own grants. */
  grants: z.array(grantSchema),
  /** Whether the folder's grants apply too. */
  inherit: z.boolean(),
  /** Everyone who can do anything with the document. */
  rows: z.array(effectiveAccessRowSchema),
});
export type EffectiveAccess = z.infer<typeof effectiveAccessSchema>;

/** How a version came about. */
export const versionKindSchema = z.enum(['auto', 'named', 'restore']);

/** One saved version of a rich-text document. */
export const versionSchema = z.object({
  /** Version id. */
  id: idSchema,
  /** 1, 2, 3 … per document. */
  number: z.number().int().positive(),
  /** Name given by a person (named versions), or null. */
  name: z.string().nullable(),
  /** Automatic snapshot, named by someone, or made by a restore. */
  kind: versionKindSchema,
  /** Who saved it (null for automatic snapshots). */
  createdBy: personRefSchema.nullable(),
  /** Who edited since the previous version. */
  contributors: z.array(personRefSchema),
  /** When it was saved. */
  createdAt: dateTimeSchema,
  /** Encoded size in bytes. */
  size: z.number().int().nonnegative(),
});
export type Version = z.infer<typeof versionSchema>;

/** `GET /api/library/documents/:id/versions` response. */
export const versionListSchema = z.object({
  /** Newest first. */
  items: z.array(versionSchema),
  /** What the caller may do (`doc.edit` allows naming and restoring). */
  abilities: abilitiesSchema,
});

/** `GET /api/library/documents/:id/versions/:versionId` response: the read-only content. */
export const versionContentSchema = z.object({
  /** The version. */
  version: versionSchema,
  /** Its plain text. */
  text: z.string(),
  /** The Yjs state (`Y.encodeStateAsUpdate`), base64: apply it to an empty Y.Doc for a read-only view. */
  state: z.string(),
});

/** `POST /api/library/documents/:id/versions` body: a named version of the current content. */
export const createVersionSchema = z.strictObject({
  /** Version name. */
  name: titleSchema,
});

/** `:id/versions/:versionId` route parameters. */
export const versionParamsSchema = z.object({
  /** Document id. */
  id: idSchema,
  /** Version id. */
  versionId: idSchema,
});

/** `GET /api/library/presence` response: who is editing which document (that the caller may view). */
export const libraryPresenceSchema = z.object({
  /** Document id → people connected now. */
  documents: z.record(idSchema, z.array(personRefSchema)),
});
export type LibraryPresence = z.infer<typeof libraryPresenceSchema>;

/** `{ version }` answers of the version routes. */
export const versionResponseSchema = z.object({ version: versionSchema });

/** The Yjs shared type holding a rich-text document's content (Tiptap's default field). */
export const richTextField = 'default';

/** Prefix of the co-editing WebSocket paths: a document is edited at `/yjs/<documentId>`. */
export const collabPrefix = '/yjs/';

const tag = 'library';

export const libraryEndpoints = defineEndpoints({
  list: {
    method: 'get',
    path: '/api/library',
    tag,
    query: libraryQuerySchema,
    response: libraryListSchema,
    summary: 'Folders and documents the caller may view; search by title, tag and text',
  },
  presence: {
    method: 'get',
    path: '/api/library/presence',
    tag,
    response: libraryPresenceSchema,
    summary: 'Who is editing which document right now',
  },
  createFolder: {
    method: 'post',
    path: '/api/library/folders',
    tag,
    body: createFolderSchema,
    response: folderResponseSchema,
    status: 201,
    summary: 'Create a folder',
  },
  updateFolder: {
    method: 'patch',
    path: '/api/library/folders/:id',
    tag,
    params: idParamsSchema,
    body: updateFolderSchema,
    response: folderResponseSchema,
    summary: 'Rename or move a folder',
  },
  removeFolder: {
    method: 'delete',
    path: '/api/library/folders/:id',
    tag,
    params: idParamsSchema,
    query: removeFolderQuerySchema,
    response: libraryTrashedSchema,
    summary:
      'Move a folder to the trash; `withContents=true` takes what is inside along (409 otherwise when not empty)',
  },
  folderAccess: {
    method: 'get',
    path: '/api/library/folders/:id/access',
    tag,
    params: idParamsSchema,
    response: effectiveAccessSchema,
    summary: 'Who can do what with a folder, and why',
  },
  setFolderAccess: {
    method: 'put',
    path: '/api/library/folders/:id/access',
    tag,
    params: idParamsSchema,
    body: updateAccessSchema,
    response: effectiveAccessSchema,
    summary: 'Replace a folder’s grants (documents inside inherit them)',
  },
  createDocument: {
    method: 'post',
    path: '/api/library/documents',
    tag,
    body: createDocumentSchema,
    response: createdDocumentSchema,
    status: 201,
    summary: 'Create a rich-text document',
  },
  getDocument: {
    method: 'get',
    path: '/api/library/documents/:id',
    tag,
    params: idParamsSchema,
    response: documentResponseSchema,
    summary: 'One document with the caller’s level and abilities',
  },
  updateDocument: {
    method: 'patch',
    path: '/api/library/documents/:id',
    tag,
    params: idParamsSchema,
    body: updateDocumentSchema,
    response: documentResponseSchema,
    summary: 'Rename, retag or move a document',
  },
  removeDocument: {
    method: 'delete',
    path: '/api/library/documents/:id',
    tag,
    params: idParamsSchema,
    response: libraryTrashedSchema,
    summary: 'Move a document to the trash (its content and versions stay until the purge)',
  },
  trash: {
    method: 'get',
    path: '/api/library/trash',
    tag,
    response: libraryTrashListSchema,
    summary: 'Deleted documents and folders the caller may restore',
  },
  restoreDocument: {
    method: 'post',
    path: '/api/library/trash/documents/:id/restore',
    tag,
    params: idParamsSchema,
    response: documentResponseSchema,
    summary: 'Restore a deleted document with its content and versions',
  },
  restoreFolder: {
    method: 'post',
    path: '/api/library/trash/folders/:id/restore',
    tag,
    params: idParamsSchema,
    response: folderResponseSchema,
    summary: 'Restore a deleted folder with everything deleted along with it',
  },
  documentAccess: {
    method: 'get',
    path: '/api/library/documents/:id/access',
    tag,
    params: idParamsSchema,
    response: effectiveAccessSchema,
    summary: 'Who can do what with a document, and why',
  },
  setDocumentAccess: {
    method: 'put',
    path: '/api/library/documents/:id/access',
    tag,
    params: idParamsSchema,
    body: updateAccessSchema,
    response: effectiveAccessSchema,
    summary: 'Replace a document’s grants; live connections are re-authorized',
  },
  upload: {
    method: 'post',
    path: '/api/library/files',
    tag,
    query: uploadQuerySchema,
    response: createdDocumentSchema,
    status: 201,
    summary: 'Upload a file (multipart/form-data, one part named `file`); its type is sniffed from the bytes',
  },
  download: {
    method: 'get',
    path: '/api/library/documents/:id/file',
    tag,
    params: idParamsSchema,
    produces: 'file',
    summary: 'Download an uploaded file (always as an attachment)',
  },
  preview: {
    method: 'get',
    path: '/api/library/documents/:id/preview',
    tag,
    params: idParamsSchema,
    produces: 'file',
    summary: 'Images and PDFs inline (sandboxed, sniffed type); any other type answers as an attachment',
  },
  versions: {
    method: 'get',
    path: '/api/library/documents/:id/versions',
    tag,
    params: idParamsSchema,
    response: versionListSchema,
    summary: 'Versions of a document, newest first, with who changed it',
  },
  saveVersion: {
    method: 'post',
    path: '/api/library/documents/:id/versions',
    tag,
    params: idParamsSchema,
    body: createVersionSchema,
    response: versionResponseSchema,
    status: 201,
    summary: 'Save the current content as a named version',
  },
  version: {
    method: 'get',
    path: '/api/library/documents/:id/versions/:versionId',
    tag,
    params: versionParamsSchema,
    response: versionContentSchema,
    summary: 'A version’s content, for a read-only view',
  },
  restoreVersion: {
    method: 'post',
    path: '/api/library/documents/:id/versions/:versionId/restore',
    tag,
    params: versionParamsSchema,
    response: versionResponseSchema,
    summary: 'Restore a version as a new change (collaborators converge live)',
  },
});
