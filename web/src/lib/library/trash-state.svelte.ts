// The library trash page's state: the list, and restoring one entry from it.
import type { LibraryTrashItem } from '@crewdeck/shared/library';
import { handleError } from '../errors.ts';
import { notify } from '../ui/confirm.svelte.ts';
import { loadTrash, restoreTrashItem } from './manage.ts';
import { m } from '../paraglide/messages.js';

export class LibraryTrashState {
  items = $state<LibraryTrashItem[]>([]);
  loading = $state(true);
  error = $state('');
  /** Id of the entry being restored. */
  restoring = $state<string | null>(null);

  constructor(items: LibraryTrashItem[] | null = null) {
    if (items) {
      this.items = items;
      this.loading = false;
    }
  }

  async load(): Promise<void> {
    try {
      this.items = await loadTrash();
      this.error = '';
    } catch (err) {
      this.error = handleError(err).message;
    } finally {
      this.loading = false;
    }
  }

  async restore(item: LibraryTrashItem): Promise<void> {
    this.restoring = item.id;
    try {
      await restoreTrashItem(item);
      this.items = this.items.filter((entry) => entry.id !== item.id);
      notify(m.lib_restored_notice({ name: item.title }));
    } catch (err) {
      // E.g. its folder is in the trash too: the server says to restore that first.
      notify(handleError(err).message, { tone: 'error' });
    } finally {
      this.restoring = null;
    }
  }
}
