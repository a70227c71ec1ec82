import type { ClientSession } from 'mongoose';
import { defaultPhoneCountry } from '../clients/client-fields.ts';
import { clientSearchDocument, contactSearchDocument } from './search-documents.ts';
import { SearchSourcesRepository } from './search-sources.repository.ts';
import { SearchEntryModel, entryId, type SearchEntryDoc } from './search.model.ts';
import { SearchRepository, type FoundEntry } from './search.repository.ts';
import { indexedFields, parseQuery, type ParsedQuery } from './search-terms.ts';

/** What the one search box finds from the CRM's own collections. */
export type SearchKind = 'client' | 'contact' | 'deal' | 'interaction';

/**
 * One searchable record, as its feature describes it; the index derives the terms (phone digit
 * grams, normalized emails, transliterated name words). Visibility is decided at query time from
 * `clientId` (following a merge), so reassigning a client never rewrites the index.
 */
export interface SearchDocument {
  kind: SearchKind;
  id: string;
  /** The client it belongs to (the client itself for `client`). */
  clientId: string | null;
  /** Shown as the result's first line. */
  title: string;
  /** Shown as the result's second line. */
  subtitle: string;
  /** Free text to find by words (names, legal names, subjects). */
  text: string[];
  /** Phones as typed. */
  phones: string[];
  emails: string[];
}

/** Called by the features inside the transaction that changes the record. */
export interface SearchIndexWriter {
  put(doc: SearchDocument, session?: ClientSession): Promise<void>;
  /** Entries of records just created (none of them indexed yet), in one write. */
  putNew(docs: SearchDocument[], session?: ClientSession): Promise<void>;
  remove(kind: SearchKind, id: string, session?: ClientSession): Promise<void>;
}

/** Entries found for a query, before visibility: what the search service filters and ranks. */
export type SearchHit = FoundEntry;

/**
 * The index behind the one search box (`crm_search`). Features `put` their records inside their
 * own transaction; a query is one hash lookup per alternative on `{ terms, kind }` (never a scan)
 * and a check of the remaining terms on those candidates.
 */
export class SearchIndex implements SearchIndexWriter {
  readonly #repo: SearchRepository;
  readonly #sources: SearchSourcesRepository;
  readonly #country: () => string;

  constructor(
    repo = new SearchRepository(),
    sources = new SearchSourcesRepository(),
    country: () => string = defaultPhoneCountry,
  ) {
    this.#repo = repo;
    this.#sources = sources;
    this.#country = country;
  }

  async entryCount(): Promise<number> {
    return SearchEntryModel.estimatedDocumentCount();
  }

  async put(doc: SearchDocument, session?: ClientSession): Promise<void> {
    await this.#repo.put(this.#entry(doc), session);
  }

  /** Entries of records just created (a bulk write): one insert for all of them. */
  async putNew(docs: SearchDocument[], session?: ClientSession): Promise<void> {
    await this.#repo.insertMany(
      docs.map((doc) => this.#entry(doc)),
      session,
    );
  }

  async remove(kind: SearchKind, id: string, session?: ClientSession): Promise<void> {
    await this.#repo.remove(kind, id, session);
  }

  /** The query as lookups, read in the workspace's default phone country. */
  parse(text: string): ParsedQuery {
    return parseQuery(text, this.#country());
  }

  /** Entries of `kinds` matching any alternative of the query, at most `window` per alternative. */
  async query(parsed: ParsedQuery, kinds: SearchKind[], window: number): Promise<SearchHit[]> {
    if (!kinds.length) return [];
    const found = new Map<string, SearchHit>();
    for (const alt of parsed.alternatives) {
      const entries = await this.#repo.withTerms(alt.anchor, alt.rest, kinds, window);
      for (const entry of entries) if (alt.check(entry)) found.set(entry._id, entry);
    }
    return [...found.values()];
  }

  /**
   * Rebuilds the client and contact entries from the clients' collections (startup on existing
   * data, tests, after a bulk change). Deal and interaction entries are left to their features.
   */
  async reindexAll(): Promise<{ clients: number; contacts: number }> {
    await this.#repo.clear(['client', 'contact']);
    let clients = 0;
    let contacts = 0;
    for await (const batch of this.#sources.clients()) {
      await this.#repo.insertMany(batch.map((doc) => this.#entry(clientSearchDocument(doc))));
      clients += batch.length;
    }
    for await (const batch of this.#sources.contacts()) {
      const names = await this.#sources.clientNames([...new Set(batch.map((c) => c.clientId))]);
      await this.#repo.insertMany(
        batch.map((doc) => this.#entry(contactSearchDocument(doc, names.get(String(doc.clientId)) ?? ''))),
      );
      contacts += batch.length;
    }
    return { clients, contacts };
  }

  #entry(doc: SearchDocument): SearchEntryDoc {
    return {
      _id: entryId(doc.kind, doc.id),
      kind: doc.kind,
      refId: doc.id,
      clientId: doc.clientId,
      title: doc.title,
      subtitle: doc.subtitle,
      ...indexedFields(doc, this.#country()),
      updatedAt: new Date(),
    };
  }
}
