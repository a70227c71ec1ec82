import type { ClientSession, QueryFilter } from 'mongoose';
import { FeedCounterModel, FeedEntryModel, type FeedEntryDoc, type NewFeedEntry } from './feed.model.ts';

const HEAD = 'workspace';

export interface FeedCriteria {
  /** Project entries of these projects. */
  projectIds: readonly string[];
  /** Also library entries this user is a viewer of (left out when absent). */
  viewerId?: string;
  after?: number;
  before?: number;
  audience?: string;
  limit: number;
}

/** The only code touching the feed collections. Entries are appended, never edited. */
export class FeedRepository {
  /** Reserves `count` consecutive sequence numbers inside the caller's transaction; returns the first. */
  async reserve(count: number, session: ClientSession): Promise<number> {
    const head = await FeedCounterModel.findOneAndUpdate(
      { _id: HEAD },
      { $inc: { seq: count } },
      { upsert: true, returnDocument: 'after', session },
    ).lean();
    if (!head) throw new Error('feed head was not created');
    return head.seq - count + 1;
  }

  async head(): Promise<number> {
    const head = await FeedCounterModel.findById(HEAD).lean();
    return head?.seq ?? 0;
  }

  async insert(entries: NewFeedEntry[], session: ClientSession): Promise<void> {
    await FeedEntryModel.insertMany(entries, { session });
  }

  /**
   * Entries of the given projects, plus library entries `viewerId` is a viewer of; `after`
   * pages forward (oldest first), otherwise newest first. One query, so seq order holds across both.
   */
  async find(criteria: FeedCriteria): Promise<FeedEntryDoc[]> {
    const ofProjects: QueryFilter<FeedEntryDoc> = { projectId: { $in: [...criteria.projectIds] } };
    const query: QueryFilter<FeedEntryDoc> = criteria.viewerId
      ? { $or: [ofProjects, { viewers: criteria.viewerId }] }
      : ofProjects;
    if (criteria.after !== undefined || criteria.before !== undefined) {
      query.seq = {
        ...(criteria.after !== undefined ? { $gt: criteria.after } : {}),
        ...(criteria.before !== undefined ? { $lt: criteria.before } : {}),
      };
    }
    if (criteria.audience) query.audience = criteria.audience;
    const order = criteria.after !== undefined ? 1 : -1;
    return FeedEntryModel.find(query).sort({ seq: order }).limit(criteria.limit).lean<FeedEntryDoc[]>();
  }
}
