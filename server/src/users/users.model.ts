import mongoose from 'mongoose';
import { roles, type Role } from '@crewdeck/shared/permissions';

export interface UserDoc {
  _id: mongoose.Types.ObjectId;
  code: string;
  name: string;
  /** Lower case; unique. */
  login: string;
  /** argon2id PHC string. Never leaves the repository except to the password module. */
  passwordHash: string;
  role: Role;
  groups: mongoose.Types.ObjectId[];
  disabled: boolean;
  expiresAt: Date | null;
  showInEmployees: boolean;
  mustChangePassword: boolean;
  createdAt: Date;
  updatedAt: Date;
}

const userSchema = new mongoose.Schema<UserDoc>(
  {
    code: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    login: { type: String, required: true, unique: true },
    passwordHash: { type: String, required: true },
    role: { type: String, enum: roles, required: true },
    groups: { type: [mongoose.Schema.Types.ObjectId], default: [], index: true },
    disabled: { type: Boolean, default: false },
    expiresAt: { type: Date, default: null },
    showInEmployees: { type: Boolean, default: true },
    mustChangePassword: { type: Boolean, default: true },
  },
  { timestamps: true, versionKey: false, collection: 'users' },
);

export const UserModel = mongoose.model<UserDoc>('User', userSchema);
