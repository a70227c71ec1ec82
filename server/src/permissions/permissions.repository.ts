import type { ClientSession } from 'mongoose';
import { roles, type PermissionMatrix } from '@crewdeck/shared/permissions';
import { PermissionRowModel, type PermissionRowDoc } from './permissions.model.ts';

/** The only code touching the permission table collection. */
export class PermissionsRepository {
  /** The stored table, or null when it was never written. */
  async load(session?: ClientSession): Promise<PermissionMatrix | null> {
    const rows = await PermissionRowModel.find({}, null, { session }).lean<PermissionRowDoc[]>();
    if (rows.length === 0) return null;
    const matrix = Object.fromEntries(roles.map((role) => [role, []])) as unknown as PermissionMatrix;
    for (const row of rows) matrix[row._id] = row.actions;
    return matrix;
  }

  async save(matrix: PermissionMatrix, session?: ClientSession): Promise<void> {
    const now = new Date();
    for (const role of roles) {
      await PermissionRowModel.updateOne(
        { _id: role },
        { $set: { actions: matrix[role], updatedAt: now } },
        { upsert: true, session },
      );
    }
  }
}
