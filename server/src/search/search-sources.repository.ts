// Reads the search box needs from collections other features own: clients and contacts for a
// rebuild of their entries, tasks by title or code. Read-only: those features write their own
// records (and their search entries) themselves.
import mongoose from 'mongoose';
import { ClientModel, ContactModel, type ClientDoc, type ContactDoc } from '../clients/clients.model.ts';
import { live } from '../projects/trash.ts';
import { TaskModel, type TaskDoc } from '../tasks/tasks.model.ts';

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

type Id = mongoose.Types.ObjectId;

/** Pages through a collection by `_id` (an index walk per page, never one huge cursor). */
async function* pages<T extends { _id: Id }>(page: (after: Id | null) => Promise<T[]>): AsyncGenerator<T[]> {
  let after: Id | null = null;
  for (;;) {
    const docs = await page(after);
    if (!docs.length) return;
    yield docs;
    after = docs[docs.length - 1]._id;
  }
}

const afterFilter = (after: Id | null) => (after ? { _id: { $gt: after } } : {});

export class SearchSourcesRepository {
  /** Live (not merged-away) clients in batches. */
  clients(batch = 1000): AsyncGenerator<ClientDoc[]> {
    return pages((after) =>
      ClientModel.find({ mergedInto: null, ...afterFilter(after) })
        .sort({ _id: 1 })
        .limit(batch)
        .lean<ClientDoc[]>(),
    );
  }

  contacts(batch = 1000): AsyncGenerator<ContactDoc[]> {
    return pages((after) => ContactModel.find(afterFilter(after)).sort({ _id: 1 }).limit(batch).lean<ContactDoc[]>());
  }

  async clientNames(ids: Id[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const docs = await ClientModel.find({ _id: { $in: ids } }, { name: 1 }).lean<Pick<ClientDoc, '_id' | 'name'>[]>();
    return new Map(docs.map((d) => [String(d._id), d.name]));
  }

  /**
   * Live tasks of the given projects whose title contains `text` (any case) or whose code is
   * `text`. Bounded: the `projectId` index yields the readable projects' tasks only; the title
   * test runs on those (escaped, so the text is never a pattern).
   */
  async tasks(projectIds: string[], text: string, limit: number): Promise<TaskDoc[]> {
    const ids = projectIds.filter((id) => mongoose.isValidObjectId(id)).map((id) => new mongoose.Types.ObjectId(id));
    if (!ids.length) return [];
    const title = new RegExp(escapeRegex(text), 'i');
    return TaskModel.find({ projectId: { $in: ids }, ...live, $or: [{ title }, { code: text.toUpperCase() }] })
      .limit(limit)
      .lean<TaskDoc[]>();
  }
}
