// Editing the permission table: role → allowed actions, the Owner row fixed to everything.
import type { Action, PermissionMatrix, Role } from '@crewdeck/shared/permissions';

export function isFixed(role: Role): boolean {
  return role === 'Owner';
}

export function toggle(matrix: PermissionMatrix, role: Role, action: Action, allowed: boolean): PermissionMatrix {
  const current = matrix[role].filter((entry) => entry !== action);
  return { ...matrix, [role]: allowed ? [...current, action] : current };
}

export function sameMatrix(a: PermissionMatrix, b: PermissionMatrix): boolean {
  return (Object.keys(a) as Role[]).every((role) => {
    const left = new Set(a[role]);
    return left.size === new Set(b[role]).size && b[role].every((action) => left.has(action));
  });
}
