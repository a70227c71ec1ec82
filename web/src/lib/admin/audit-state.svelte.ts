// The audit journal page: the first page of entries comes from the load (one per set of
// filters), "Load more" appends older pages until the filters change, and "Verify chain"
// checks the journal's hash chain.
import type { AuditEntry, AuditFilter, AuditPage, AuditVerify } from '@crewdeck/shared/audit';
import { auditEndpoints } from '@crewdeck/shared/audit';
import { call } from '../api.ts';
import { FormState } from '../form.svelte.ts';

/** What the page's load provides: the first page for `filter`. */
export type AuditSource = { page: AuditPage; filter: AuditFilter };

type More = { key: AuditPage; items: AuditEntry[]; next: string | null };

export class AuditJournal {
  /** `busy` while loading more; the error of the last load or verification. */
  readonly form = new FormState();
  /** Result of the last "Verify chain", null before or while it runs. */
  verify = $state<AuditVerify | null>(null);
  /** Pages fetched with "Load more", kept only while the loaded first page (`key`) is shown.
   *  Raw state: a deep proxy would wrap `key`, and it would never equal the loaded page. */
  #more = $state.raw<More | null>(null);
  readonly #source: () => AuditSource;

  constructor(source: () => AuditSource) {
    this.#source = source;
  }

  #extra = $derived.by(() => (this.#more?.key === this.#source().page ? this.#more : null));

  /** Entries shown: the loaded page, then every page loaded since. */
  items = $derived.by(() =>
    this.#extra ? [...this.#source().page.items, ...this.#extra.items] : this.#source().page.items,
  );

  /** Cursor of the next older page, null at the end of the journal. */
  next = $derived.by(() => (this.#extra ? this.#extra.next : this.#source().page.next));

  async loadMore(): Promise<void> {
    const cursor = this.next;
    if (!cursor) return;
    await this.form.run(async () => {
      const page = await call(auditEndpoints.list, { query: { ...this.#source().filter, cursor } });
      this.#more = { key: this.#source().page, items: [...(this.#extra?.items ?? []), ...page.items], next: page.next };
    });
  }

  /** Checks the hash chain; not `run`, so "Load more" stays usable meanwhile. */
  async verifyChain(): Promise<void> {
    this.form.reset();
    this.verify = null;
    this.verify = await call(auditEndpoints.verify).catch((err: unknown) => {
      this.form.fail(err);
      return null;
    });
  }
}
