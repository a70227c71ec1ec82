// Correcting the library's documents and folders: delete with the app's confirmation and an Undo
// toast that restores from the trash, and restoring a trash entry. Each helper asks, calls the
// API and announces; the caller refreshes what it shows.
import type { Folder, LibraryDocument, LibraryTrashItem } from '@crewdeck/shared/library';
import { libraryEndpoints } from '@crewdeck/shared/library';
import { limits } from '@crewdeck/shared/limits';
import { call } from '../api.ts';
import { handleError } from '../errors.ts';
import { confirmAction, notify } from '../ui/confirm.svelte.ts';
import { m } from '../paraglide/messages.js';

type Refresh = () => Promise<void> | void;

const DAY_MS = 86_400_000;

/** Whole days (rounded up) until `iso`, never below zero. */
export function daysLeft(iso: string, now = Date.now()): number {
  return Math.max(0, Math.ceil((new Date(iso).getTime() - now) / DAY_MS));
}

/** How long the trash keeps what is deleted. */
export const trashDays = limits.trashDays;

/** Ids of `id` and every folder below it. */
export function subtreeIds(folders: readonly Folder[], id: string): Set<string> {
  const ids = new Set([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const folder of folders)
      if (folder.parentId && ids.has(folder.parentId) && !ids.has(folder.id)) {
        ids.add(folder.id);
        grew = true;
      }
  }
  return ids;
}

/** How many folders and documents (that the caller sees) go along when `folder` is deleted. */
export async function folderContents(folders: readonly Folder[], folder: Folder): Promise<number> {
  const ids = [...subtreeIds(folders, folder.id)];
  const lists = await Promise.all(
    ids.map((folderId) => call(libraryEndpoints.list, { query: { folderId, limit: limits.pageMax } })),
  );
  return ids.length - 1 + lists.reduce((sum, list) => sum + list.items.length, 0);
}

async function undoWith(restore: () => Promise<unknown>, refresh: Refresh): Promise<void> {
  try {
    await restore();
    await refresh();
  } catch {
    notify(m.undo_failed(), { tone: 'error' });
  }
}

async function deleteWithUndo(options: {
  title: string;
  message: string;
  name: string;
  remove: () => Promise<unknown>;
  restore: () => Promise<unknown>;
  refresh: Refresh;
}): Promise<boolean> {
  const ok = await confirmAction({
    title: options.title,
    message: options.message,
    confirmLabel: m.delete(),
    danger: true,
  });
  if (!ok) return false;
  try {
    await options.remove();
  } catch (err) {
    notify(handleError(err).message, { tone: 'error' });
    return false;
  }
  await options.refresh();
  notify(m.lib_deleted_notice({ name: options.name }), {
    undo: () => undoWith(options.restore, options.refresh),
  });
  return true;
}

export function deleteDocument(doc: LibraryDocument, refresh: Refresh): Promise<boolean> {
  const params = { id: doc.id };
  return deleteWithUndo({
    title: m.lib_delete_doc(),
    message: m.lib_delete_doc_message({ name: doc.title }),
    name: doc.title,
    remove: () => call(libraryEndpoints.removeDocument, { params }),
    restore: () => call(libraryEndpoints.restoreDocument, { params }),
    refresh,
  });
}

/** A folder with something inside says how many items go along, and takes them with it. */
export async function deleteFolder(folders: readonly Folder[], folder: Folder, refresh: Refresh): Promise<boolean> {
  let contents: number;
  try {
    contents = await folderContents(folders, folder);
  } catch (err) {
    notify(handleError(err).message, { tone: 'error' });
    return false;
  }
  const params = { id: folder.id };
  return deleteWithUndo({
    title: m.lib_delete_folder(),
    message:
      contents > 0
        ? m.lib_delete_folder_with({ name: folder.name, count: contents })
        : m.lib_delete_folder_message({ name: folder.name }),
    name: folder.name,
    // Always with its contents: the count above may miss what the caller cannot see, and the
    // server refuses (403) when any of that is not theirs to delete.
    remove: () => call(libraryEndpoints.removeFolder, { params, query: { withContents: 'true' } }),
    restore: () => call(libraryEndpoints.restoreFolder, { params }),
    refresh,
  });
}

export function loadTrash(): Promise<LibraryTrashItem[]> {
  return call(libraryEndpoints.trash).then((list) => list.items);
}

export function restoreTrashItem(item: LibraryTrashItem): Promise<unknown> {
  const params = { id: item.id };
  return item.kind === 'document'
    ? call(libraryEndpoints.restoreDocument, { params })
    : call(libraryEndpoints.restoreFolder, { params });
}
