import {
  actions,
  defaultPermissionMatrix,
  roles,
  type PermissionMatrix,
  type PermissionTable as PermissionTableDto,
} from '@crewdeck/shared/permissions';
import type { AuditChange } from '@crewdeck/shared/audit';
import type { AuditWriter } from '../audit/audit.writer.ts';
import type { EventBus } from '../events/event-bus.ts';
import { systemContext, type AuthedContext } from '../http/context.ts';
import { ValidationError } from '../http/errors.ts';
import type { AccessControl } from './access-control.ts';
import { actionsNewerThan, withDefaultGrants } from './permission-defaults.ts';
import type { PermissionTable } from './permission-table.ts';
import type { PermissionsRepository } from './permissions.repository.ts';

function roleChanges(before: PermissionMatrix, after: PermissionMatrix): AuditChange[] {
  const changes: AuditChange[] = [];
  for (const role of roles) {
    const from = actions.filter((a) => before[role].includes(a));
    const to = actions.filter((a) => after[role].includes(a));
    if (from.join() !== to.join()) changes.push({ field: role, from, to });
  }
  return changes;
}

/** Reads and edits the stored action × role table and keeps the in-memory copy current. */
export class PermissionsService {
  readonly #repo: PermissionsRepository;
  readonly #table: PermissionTable;
  readonly #access: AccessControl;
  readonly #audit: AuditWriter;
  readonly #events: EventBus;

  constructor(deps: {
    repo: PermissionsRepository;
    table: PermissionTable;
    access: AccessControl;
    audit: AuditWriter;
    events: EventBus;
  }) {
    this.#repo = deps.repo;
    this.#table = deps.table;
    this.#access = deps.access;
    this.#audit = deps.audit;
    this.#events = deps.events;
  }

  /**
   * Loads the stored table into memory, storing the defaults on first start. A table stored
   * before newer actions existed gets their default grants first (`#addNewActions`).
   */
  async load(): Promise<void> {
    const stored = await this.#repo.load();
    if (stored) {
      this.#table.replace(actionsNewerThan(stored).length === 0 ? stored : await this.#addNewActions(stored));
      return;
    }
    await this.#repo.save(defaultPermissionMatrix);
    this.#table.replace(defaultPermissionMatrix);
  }

  /**
   * Stores the default grants of the actions the table predates, leaving every stored grant
   * and revocation as it is; journaled as a system change of the table.
   */
  async #addNewActions(loaded: PermissionMatrix): Promise<PermissionMatrix> {
    return this.#audit.write(systemContext, async (session) => {
      // Read again in the transaction: another instance starting at once may have done it.
      const stored = (await this.#repo.load(session)) ?? loaded;
      const added = actionsNewerThan(stored);
      if (added.length === 0) return { result: stored, audit: null };
      const matrix = withDefaultGrants(stored, added);
      await this.#repo.save(matrix, session);
      const note = `Actions added since the table was stored got their default grants: ${added.join(', ')}`;
      return { result: matrix, audit: { action: 'permissions.update', changes: roleChanges(stored, matrix), note } };
    });
  }

  async get(ctx: AuthedContext): Promise<PermissionTableDto> {
    await this.#access.authorize(ctx, 'permission.read');
    return this.#present(ctx);
  }

  async update(ctx: AuthedContext, matrix: PermissionMatrix): Promise<PermissionTableDto> {
    await this.#access.authorize(ctx, 'permission.update');
    const missing = actions.filter((a) => !matrix.Owner.includes(a));
    if (missing.length > 0) {
      throw new ValidationError({ 'matrix.Owner': 'The Owner keeps every permission' });
    }
    const before = this.#table.snapshot();
    const changes = roleChanges(before, matrix);
    await this.#audit.write(ctx, async (session) => {
      await this.#repo.save(matrix, session);
      return { result: undefined, audit: { action: 'permissions.update', permission: 'permission.update', changes } };
    });
    this.#table.replace(matrix);
    if (changes.length > 0) this.#events.emit('permissions.changed', {});
    return this.#present(ctx);
  }

  #present(ctx: AuthedContext): PermissionTableDto {
    return {
      roles: [...roles],
      actions: [...actions],
      matrix: this.#table.snapshot(),
      abilities: this.#access.abilities(ctx.actor, ['permission.read', 'permission.update']),
    };
  }
}
