import mongoose from 'mongoose';
import type { SearchKind } from './search-index.ts';
import type { IndexedFields } from './search-terms.ts';

/**
 * One entry of the one search box: `_id` is `<kind>:<refId>` so a put replaces it. `terms` is
 * multikey; the compound `{ terms, kind }` index answers "entries with this term of these
 * kinds" by a hash lookup, which every query is (see SearchIndex.query).
 */
export interface SearchEntryDoc extends IndexedFields {
  _id: string;
  kind: SearchKind;
  refId: string;
  clientId: string | null;
  title: string;
  subtitle: string;
  updatedAt: Date;
}

const searchEntrySchema = new mongoose.Schema<SearchEntryDoc>(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true },
    refId: { type: String, required: true },
    clientId: { type: String, default: null },
    title: { type: String, default: '' },
    subtitle: { type: String, default: '' },
    terms: { type: [String], default: [] },
    words: { type: [String], default: [] },
    emails: { type: [String], default: [] },
    digits: { type: [String], default: [] },
    updatedAt: { type: Date, default: () => new Date() },
  },
  { versionKey: false, collection: 'crm_search' },
);
searchEntrySchema.index({ terms: 1, kind: 1 });

export const SearchEntryModel = mongoose.model<SearchEntryDoc>('SearchEntry', searchEntrySchema);

export const entryId = (kind: SearchKind, refId: string) => `${kind}:${refId}`;
