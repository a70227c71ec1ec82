// The duplicates review queue (filled by the nightly sweep) and the merges list with Undo.
import { clientEndpoints, type DuplicatePair, type MergeRecord } from '@crewdeck/shared/clients';
import { call } from '../api.ts';
import { handleError } from '../errors.ts';
import { m } from '../paraglide/messages.js';
import { notify } from '../ui/confirm.svelte.ts';

export class DuplicatesState {
  pairs = $state<DuplicatePair[]>([]);
  error = $state('');
  loading = $state(true);
  working = $state<string | null>(null);

  async load(): Promise<void> {
    try {
      this.pairs = (await call(clientEndpoints.duplicates)).pairs;
      this.error = '';
    } catch (err) {
      this.error = handleError(err).message;
    } finally {
      this.loading = false;
    }
  }

  async dismiss(pair: DuplicatePair): Promise<void> {
    this.working = pair.id;
    try {
      await call(clientEndpoints.dismissDuplicate, { params: { id: pair.id } });
      this.pairs = this.pairs.filter((p) => p.id !== pair.id);
      notify(m.cli_dup_dismissed());
    } catch (err) {
      notify(handleError(err).message, { tone: 'error' });
    } finally {
      this.working = null;
    }
  }
}

/** Whether a merge can still be undone at `now`. */
export const undoable = (merge: MergeRecord, now = Date.now()) =>
  merge.undoneAt === null && Date.parse(merge.undoUntil) > now;

export class MergesState {
  merges = $state<MergeRecord[]>([]);
  error = $state('');
  loading = $state(true);
  working = $state<string | null>(null);

  async load(): Promise<void> {
    try {
      this.merges = (await call(clientEndpoints.listMerges)).merges;
      this.error = '';
    } catch (err) {
      this.error = handleError(err).message;
    } finally {
      this.loading = false;
    }
  }

  async undo(merge: MergeRecord): Promise<boolean> {
    this.working = merge.id;
    try {
      const undone = (await call(clientEndpoints.undoMerge, { params: { id: merge.id } })).merge;
      this.merges = this.merges.map((item) => (item.id === undone.id ? undone : item));
      notify(m.cli_merge_undone({ name: undone.mergedName }));
      return true;
    } catch (err) {
      notify(handleError(err).message, { tone: 'error' });
      return false;
    } finally {
      this.working = null;
    }
  }
}
