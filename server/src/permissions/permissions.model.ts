import mongoose from 'mongoose';
import { actions, roles, type Action, type Role } from '@crewdeck/shared/permissions';

/** One row of the permission table: a role and the actions it is allowed. */
export interface PermissionRowDoc {
  _id: Role;
  actions: Action[];
  updatedAt: Date;
}

const permissionRowSchema = new mongoose.Schema<PermissionRowDoc>(
  {
    _id: { type: String, enum: roles, required: true },
    actions: { type: [{ type: String, enum: actions }], default: [] },
    updatedAt: { type: Date, default: () => new Date() },
  },
  { versionKey: false, collection: 'permissions' },
);

export const PermissionRowModel = mongoose.model<PermissionRowDoc>('PermissionRow', permissionRowSchema);
