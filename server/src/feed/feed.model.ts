import mongoose from 'mongoose';
import {
  feedTypes,
  type FeedResource,
  type FeedType,
  type LibraryFeedResource,
  type LibraryFeedType,
  type ProjectFeedResource,
  type ProjectFeedType,
} from '@crewdeck/shared/feed';

/** Fields of every stored entry. */
interface FeedEntryBaseDoc {
  _id: mongoose.Types.ObjectId;
  /** Workspace-wide, strictly increasing; unique so a second writer fails instead of forking. */
  seq: number;
  at: Date;
  actor: { id: string; name: string } | null;
  data: Record<string, unknown>;
  /** Users the entry concerns (assignees, mentioned): the "My assignments" filter. Not a visibility rule. */
  audience: string[];
  /**
   * Library entries: the users who could view the document when the entry was published, the
   * only ones who ever receive it. Empty for project entries, whose visibility follows project
   * membership at read time. Kept apart from `audience`, which means "concerns", not "may see".
   */
  viewers: string[];
}

/** An entry about a project, milestone or task. */
export interface ProjectFeedEntryDoc extends FeedEntryBaseDoc {
  type: ProjectFeedType;
  projectId: string;
  resource: ProjectFeedResource;
}

/** An entry about a library document: no project, delivered to `viewers` only. */
export interface LibraryFeedEntryDoc extends FeedEntryBaseDoc {
  type: LibraryFeedType;
  projectId: null;
  resource: LibraryFeedResource;
}

export type FeedEntryDoc = ProjectFeedEntryDoc | LibraryFeedEntryDoc;
/** An entry before it is stored (`Omit` over each member, so the union stays narrowable). */
export type NewFeedEntry = Omit<ProjectFeedEntryDoc, '_id'> | Omit<LibraryFeedEntryDoc, '_id'>;

/** The stored shape as mongoose sees it (one flat schema for both kinds of entry). */
interface FeedEntryRecord extends FeedEntryBaseDoc {
  type: FeedType;
  projectId: string | null;
  resource: FeedResource;
}

const feedSchema = new mongoose.Schema<FeedEntryRecord>(
  {
    seq: { type: Number, required: true, unique: true },
    type: { type: String, enum: feedTypes, required: true },
    at: { type: Date, required: true },
    actor: { type: new mongoose.Schema({ id: String, name: String }, { _id: false }), default: null },
    // Null for library entries; `required` would reject null.
    projectId: { type: String, default: null, index: true },
    resource: { type: new mongoose.Schema({ kind: String, id: String, code: String }, { _id: false }), required: true },
    data: { type: mongoose.Schema.Types.Mixed, default: {} },
    audience: { type: [String], default: [] },
    viewers: { type: [String], default: [] },
  },
  { versionKey: false, collection: 'feed', minimize: false },
);
// Resume and `GET /api/feed` read "entries after seq N that user U is a viewer of".
feedSchema.index({ viewers: 1, seq: 1 });

export const FeedEntryModel = mongoose.model<FeedEntryRecord>('FeedEntry', feedSchema);

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
