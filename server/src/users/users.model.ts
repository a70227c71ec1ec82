import mongoose from 'mongoose';
import { roles, type Role } from '@crewdeck/shared/permissions';
import type { NotificationKind } from '@crewdeck/shared/notifications';
import { languages, themes, type Language, type Theme } from '@crewdeck/shared/users';

/** The avatar's metadata; the image itself is in `user_avatars`. */
export interface AvatarInfo {
  contentType: string;
  size: number;
  updatedAt: Date;
}

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
  /** Profile: IANA time zone (null: the browser's). Absent on users from before profiles. */
  timeZone?: string | null;
  language?: Language | null;
  theme?: Theme;
  /** Notification kinds the user turned off. */
  notificationsOff?: NotificationKind[];
  phone?: string;
  email?: string;
  avatar?: AvatarInfo | null;
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
    timeZone: { type: String, default: null },
    language: { type: String, enum: [...languages, null], default: null },
    theme: { type: String, enum: themes, default: 'system' },
    notificationsOff: { type: [String], default: [] },
    phone: { type: String, default: '' },
    email: { type: String, default: '' },
    avatar: {
      type: new mongoose.Schema<AvatarInfo>(
        { contentType: String, size: Number, updatedAt: Date },
        { _id: false, versionKey: false },
      ),
      default: null,
    },
  },
  { timestamps: true, versionKey: false, collection: 'users' },
);

export const UserModel = mongoose.model<UserDoc>('User', userSchema);
