import mongoose from 'mongoose';

/** One user's avatar image (small: the web crops and scales it, the server caps it at `avatarMaxBytes`). */
export interface AvatarDoc {
  _id: mongoose.Types.ObjectId;
  userId: mongoose.Types.ObjectId;
  contentType: string;
  data: Buffer;
  updatedAt: Date;
}

const avatarSchema = new mongoose.Schema<AvatarDoc>(
  {
    userId: { type: mongoose.Schema.Types.ObjectId, required: true, unique: true },
    contentType: { type: String, required: true },
    data: { type: Buffer, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'user_avatars' },
);

export const AvatarModel = mongoose.model<AvatarDoc>('UserAvatar', avatarSchema);
