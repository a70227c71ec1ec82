import mongoose from 'mongoose';

export interface GroupDoc {
  _id: mongoose.Types.ObjectId;
  code: string;
  name: string;
  /** Lower-cased name; unique, so "Dev" and "dev" cannot both exist. */
  nameKey: string;
  description: string;
  createdAt: Date;
  updatedAt: Date;
}

const groupSchema = new mongoose.Schema<GroupDoc>(
  {
    code: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    nameKey: { type: String, required: true, unique: true },
    description: { type: String, default: '' },
  },
  { timestamps: true, versionKey: false, collection: 'groups' },
);

export const GroupModel = mongoose.model<GroupDoc>('Group', groupSchema);
