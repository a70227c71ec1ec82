// The Roles & permissions page: an editable copy of the permission table, saved as a whole.
// Saving refreshes every load, so the new table (and the caller's own abilities) show at once.
import { untrack } from 'svelte';
import { refreshAll } from '$app/navigation';
import {
  permissionEndpoints,
  type Action,
  type PermissionMatrix,
  type PermissionTable,
  type Role,
} from '@crewdeck/shared/permissions';
import { call } from '../api.ts';
import { FormState } from '../form.svelte.ts';
import { isFixed, sameMatrix, toggle } from './permissions.ts';
import { m } from '../paraglide/messages.js';

export class PermissionEditor {
  /** `busy` while saving; the error or the success notice of the last save. */
  readonly form = new FormState();
  /** The table as edited (not saved yet). */
  matrix = $state<PermissionMatrix>() as PermissionMatrix;
  readonly #table: () => PermissionTable;

  /** `table`: the table as loaded (it changes after a save). */
  constructor(table: () => PermissionTable) {
    this.#table = table;
    this.matrix = untrack(() => table().matrix);
  }

  /** The caller may change the table (the server decides). */
  editable = $derived.by(() => this.#table().abilities['permission.update'] === true);

  /** The edited table differs from the loaded one. */
  dirty = $derived.by(() => !sameMatrix(this.matrix, this.#table().matrix));

  allows(role: Role, action: Action): boolean {
    return this.matrix[role].includes(action);
  }

  /** The checkbox of `role` cannot change: read-only table, the Owner row, or a save running. */
  locked(role: Role): boolean {
    return !this.editable || isFixed(role) || this.form.busy;
  }

  set(role: Role, action: Action, allowed: boolean): void {
    this.matrix = toggle(this.matrix, role, action, allowed);
    this.form.notice = '';
  }

  discard(): void {
    this.matrix = this.#table().matrix;
  }

  async save(): Promise<void> {
    await this.form.run(async () => {
      const table = await call(permissionEndpoints.update, { body: { matrix: this.matrix } });
      this.matrix = table.matrix;
      await refreshAll();
      return m.roles_saved();
    });
  }
}
