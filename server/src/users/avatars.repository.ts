import mongoose, { type ClientSession } from 'mongoose';
import { oid } from '../db/ids.ts';
import { AvatarModel, type AvatarDoc } from './avatars.model.ts';

/** The only code touching the avatars collection. */
export class AvatarsRepository {
  async find(userId: string): Promise<AvatarDoc | null> {
    const doc = await AvatarModel.findOne({ userId: oid(userId) }).lean<AvatarDoc>();
    if (!doc) return null;
    // A lean read hands binary data back as BSON `Binary`, not as a Buffer.
    const raw: unknown = doc.data;
    const data = raw instanceof mongoose.mongo.Binary ? Buffer.from(raw.buffer) : Buffer.from(doc.data);
    return { ...doc, data };
  }

  async put(
    userId: string,
    image: { contentType: string; data: Buffer; updatedAt: Date },
    session: ClientSession,
  ): Promise<void> {
    await AvatarModel.updateOne({ userId: oid(userId) }, { $set: image }, { upsert: true, session });
  }

  async remove(userId: string, session: ClientSession): Promise<void> {
    await AvatarModel.deleteOne({ userId: oid(userId) }, { session });
  }
}
