import type { ClientSession } from 'mongoose';
import type { SearchKind } from './search-index.ts';
import { SearchEntryModel, entryId, type SearchEntryDoc } from './search.model.ts';

/** An entry as a query fetches it (without its terms). */
export type FoundEntry = Omit<SearchEntryDoc, 'terms'>;

/** The only code touching the `crm_search` collection. */
export class SearchRepository {
  async put(entry: SearchEntryDoc, session?: ClientSession): Promise<void> {
    await SearchEntryModel.replaceOne({ _id: entry._id }, entry, { upsert: true, session });
  }

  async remove(kind: SearchKind, refId: string, session?: ClientSession): Promise<void> {
    await SearchEntryModel.deleteOne({ _id: entryId(kind, refId) }, { session });
  }

  /**
   * Entries of `kinds` holding `anchor` and every term of `rest`, at most `limit`. The store
   * (and MongoDB) answer it from `{ terms: 1, kind: 1 }` with the anchor and each kind as
   * equalities; `rest` is checked on those candidates only.
   */
  async withTerms(anchor: string, rest: string[], kinds: SearchKind[], limit: number): Promise<FoundEntry[]> {
    const terms = rest.length ? [{ terms: anchor }, { terms: { $all: rest } }] : [{ terms: anchor }];
    return SearchEntryModel.find({ $and: terms, kind: { $in: kinds } }, { terms: 0 })
      .limit(limit)
      .lean<FoundEntry[]>();
  }

  /** Drops every entry of these kinds (before a rebuild). */
  async clear(kinds: SearchKind[]): Promise<void> {
    await SearchEntryModel.deleteMany({ kind: { $in: kinds } });
  }

  async insertMany(entries: SearchEntryDoc[], session?: ClientSession): Promise<void> {
    if (entries.length) await SearchEntryModel.insertMany(entries, { ordered: false, session });
  }
}
