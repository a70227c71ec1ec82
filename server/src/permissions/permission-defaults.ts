import {
  actions,
  defaultPermissionMatrix,
  roles,
  type Action,
  type PermissionMatrix,
  type Role,
} from '@crewdeck/shared/permissions';

/**
 * Actions a stored table predates. Every action there was when the table was saved is in it
 * (the Owner row always holds every action), so an action no row mentions was added since.
 * One missing only from other rows was revoked by an Owner or Admin, and stays revoked.
 */
export function actionsNewerThan(stored: PermissionMatrix): Action[] {
  const known = new Set<Action>(roles.flatMap((role) => stored[role]));
  return actions.filter((action) => !known.has(action));
}

/** The stored table plus the default grants of `added`; every stored grant and revocation stays. */
export function withDefaultGrants(stored: PermissionMatrix, added: readonly Action[]): PermissionMatrix {
  const matrix = {} as Record<Role, Action[]>;
  for (const role of roles) {
    matrix[role] = [...stored[role], ...added.filter((action) => defaultPermissionMatrix[role].includes(action))];
  }
  return matrix;
}
