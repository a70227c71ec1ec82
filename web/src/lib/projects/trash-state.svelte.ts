// The project trash page's state: the list and restoring one item (then the project refreshes).
import type { TrashItem } from '@crewdeck/shared/projects';
import { handleError } from '../errors.ts';
import { notify } from '../ui/confirm.svelte.ts';
import { loadTrash, restoreItem } from './manage.ts';
import type { ProjectState } from './project-state.svelte.ts';
import { m } from '../paraglide/messages.js';

export class TrashState {
  items = $state<TrashItem[]>([]);
  loading = $state(true);
  error = $state('');
  /** Id of the item being restored. */
  restoring = $state<string | null>(null);
  readonly #project: ProjectState;

  constructor(project: ProjectState) {
    this.#project = project;
  }

  async load(): Promise<void> {
    try {
      this.items = await loadTrash(this.#project.id);
      this.error = '';
    } catch (err) {
      this.error = handleError(err).message;
    } finally {
      this.loading = false;
    }
  }

  async restore(item: TrashItem): Promise<void> {
    this.restoring = item.id;
    try {
      await restoreItem(item);
      this.items = this.items.filter((entry) => entry.id !== item.id);
      notify(m.prj_restored_notice({ title: item.title || item.code }));
      await this.#project.reload();
    } catch (err) {
      notify(handleError(err).message, { tone: 'error' });
    } finally {
      this.restoring = null;
    }
  }
}
