// What the library page's "⋯" menus open: the rename, move and share dialogs, and deleting with
// Undo. The menus offer only what the server's abilities allow for each item.
import type { Folder, LibraryDocument } from '@crewdeck/shared/library';
import { deleteDocument, deleteFolder } from './manage.ts';
import { m } from '../paraglide/messages.js';

/** One action of an item's "⋯" menu. */
export type MenuEntry = { label: string; onSelect: () => void; danger?: boolean };

export type ManageTarget = { kind: 'document'; doc: LibraryDocument } | { kind: 'folder'; folder: Folder };

/** Name and id of a target, whichever kind it is. */
export function targetInfo(target: ManageTarget): { id: string; name: string; parentId: string | null } {
  return target.kind === 'document'
    ? { id: target.doc.id, name: target.doc.title, parentId: target.doc.folderId }
    : { id: target.folder.id, name: target.folder.name, parentId: target.folder.parentId };
}

export class LibraryManager {
  renaming = $state<ManageTarget | null>(null);
  moving = $state<ManageTarget | null>(null);
  sharing = $state<ManageTarget | null>(null);
  readonly #folders: () => Folder[];
  readonly #refresh: () => Promise<void>;
  readonly #afterRemove: () => Promise<void>;

  /**
   * `refresh` shows the change after a rename, move or Undo; `afterRemove` (default: `refresh`)
   * runs once an item is deleted, e.g. to leave the page of a document that is now in the trash.
   */
  constructor(folders: () => Folder[], refresh: () => Promise<void>, afterRemove?: () => Promise<void>) {
    this.#folders = folders;
    this.#refresh = refresh;
    this.#afterRemove = afterRemove ?? refresh;
  }

  /** Closes whichever dialog is open. */
  close(): void {
    this.renaming = null;
    this.moving = null;
    this.sharing = null;
  }

  /** The dialog saved: close it and show the fresh list. */
  async saved(): Promise<void> {
    this.close();
    await this.#refresh();
  }

  /** `withShare: false` where the page shows Share as its own button (the document page). */
  documentEntries(doc: LibraryDocument, { withShare = true } = {}): MenuEntry[] {
    const target: ManageTarget = { kind: 'document', doc };
    const can = doc.abilities;
    return this.#entries(target, {
      share: withShare && can['doc.manage'] === true,
      rename: can['doc.edit'] === true,
      move: can['doc.manage'] === true,
      remove: can['doc.manage'] === true,
    });
  }

  folderEntries(folder: Folder): MenuEntry[] {
    const target: ManageTarget = { kind: 'folder', folder };
    const can = folder.abilities;
    return this.#entries(target, {
      share: can['folder.manage'] === true,
      rename: can['folder.edit'] === true || can['folder.manage'] === true,
      move: can['folder.manage'] === true,
      remove: can['folder.manage'] === true,
    });
  }

  #entries(
    target: ManageTarget,
    allowed: { share: boolean; rename: boolean; move: boolean; remove: boolean },
  ): MenuEntry[] {
    const entries: MenuEntry[] = [];
    if (allowed.share) entries.push({ label: m.lib_share(), onSelect: () => (this.sharing = target) });
    if (allowed.rename) entries.push({ label: m.lib_rename(), onSelect: () => (this.renaming = target) });
    if (allowed.move) entries.push({ label: m.lib_move(), onSelect: () => (this.moving = target) });
    if (allowed.remove) entries.push({ label: m.delete(), danger: true, onSelect: () => void this.#remove(target) });
    return entries;
  }

  #remove(target: ManageTarget): Promise<boolean> {
    const refresh = () => this.#afterRemove();
    return target.kind === 'document'
      ? deleteDocument(target.doc, refresh)
      : deleteFolder(this.#folders(), target.folder, refresh);
  }
}
