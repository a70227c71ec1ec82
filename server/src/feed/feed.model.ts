import mongoose from 'mongoose';
import { feedTypes, type FeedResource, type FeedType } from '@crewdeck/shared/feed';

export interface FeedEntryDoc {
  _id: mongoose.Types.ObjectId;
  /** Workspace-wide, strictly increasing; unique so a second writer fails instead of forking. */
  seq: number;
  type: FeedType;
  at: Date;
  actor: { id: string; name: string } | null;
  projectId: string;
  resource: FeedResource;
  data: Record<string, unknown>;
  /** Users the entry concerns (assignees, mentioned): the "My assignments" filter. */
  audience: string[];
}

const feedSchema = new mongoose.Schema<FeedEntryDoc>(
  {
    seq: { type: Number, required: true, unique: true },
    type: { type: String, enum: feedTypes, required: true },
    at: { type: Date, required: true },
    actor: { type: new mongoose.Schema({ id: String, name: String }, { _id: false }), default: null },
    projectId: { type: String, required: true, index: true },
    resource: { type: new mongoose.Schema({ kind: String, id: String, code: String }, { _id: false }), required: true },
    data: { type: mongoose.Schema.Types.Mixed, default: {} },
    audience: { type: [String], default: [] },
  },
  { versionKey: false, collection: 'feed', minimize: false },
);

export const FeedEntryModel = mongoose.model<FeedEntryDoc>('FeedEntry', feedSchema);

/** The workspace's feed head; incremented inside each publishing transaction. */
interface FeedCounterDoc {
  _id: string;
  seq: number;
}

const counterSchema = new mongoose.Schema<FeedCounterDoc>(
  { _id: { type: String, required: true }, seq: { type: Number, required: true, default: 0 } },
  { versionKey: false },
);

export const FeedCounterModel = mongoose.model<FeedCounterDoc>('FeedCounter', counterSchema, 'feed_counters');
