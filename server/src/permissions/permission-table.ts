import {
  actions,
  defaultPermissionMatrix,
  roles,
  type Action,
  type PermissionMatrix,
  type Role,
} from '@crewdeck/shared/permissions';

/**
 * In-memory copy of the stored table so `can()` stays synchronous and cheap on every
 * request and socket event. The server process owns the table: every write goes through
 * `replace()` right after it commits.
 */
export class PermissionTable {
  #allowed = new Map<Role, ReadonlySet<Action>>();

  constructor(matrix: PermissionMatrix = defaultPermissionMatrix) {
    this.replace(matrix);
  }

  replace(matrix: PermissionMatrix): void {
    const next = new Map<Role, ReadonlySet<Action>>();
    for (const role of roles) next.set(role, new Set(matrix[role]));
    // The Owner can never be locked out, whatever the stored table says.
    next.set('Owner', new Set(actions));
    this.#allowed = next;
  }

  allows(role: Role, action: Action): boolean {
    return this.#allowed.get(role)?.has(action) ?? false;
  }

  snapshot(): PermissionMatrix {
    const matrix = {} as Record<Role, Action[]>;
    for (const role of roles) matrix[role] = actions.filter((a) => this.allows(role, a));
    return matrix;
  }
}
