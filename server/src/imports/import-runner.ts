import type { ClientKind, DuplicateCandidate } from '@crewdeck/shared/clients';
import type { DuplicateChoice, ImportCounts, ImportResult, ImportTarget, RunImport } from '@crewdeck/shared/imports';
import type { ClientsRepository } from '../clients/clients.repository.ts';
import type { ClientsService } from '../clients/clients.service.ts';
import type { CrmSettingsStore } from '../clients/crm-settings.ts';
import type { AuthedContext } from '../http/context.ts';
import { AppError, DuplicateClientError } from '../http/errors.ts';
import { mergeInput, readRow, type ImportRow } from './import-rows.ts';
import type { ImportsRepository } from './imports.repository.ts';

export interface ImportRunnerDeps {
  jobs: ImportsRepository;
  clients: ClientsService;
  clientsRepo: ClientsRepository;
  settings: CrmSettingsStore;
}

/** Rows per batch: one transaction, one journal entry and one feed entry for its new clients. */
const BATCH = 200;

/** The candidate id `createBatch` gives an earlier row of the same file (it has no id yet). */
const IN_FILE = '0'.repeat(24);

const nameKey = (name: string) => name.toLocaleLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ').trim();

const describeErrors = (fields: Record<string, string>) =>
  Object.entries(fields)
    .map(([field, message]) => `${field}: ${message}`)
    .join('; ');

const describeDuplicates = (duplicates: DuplicateCandidate[]) =>
  `Likely duplicate of ${duplicates.map((d) => (d.hidden ? `a client of ${d.manager?.name ?? '?'}` : `“${d.name}”`)).join(', ')}`;

/** A visible candidate to merge into or attach contacts to: the name match first. */
const pickCandidate = (duplicates: DuplicateCandidate[]) => {
  const stored = duplicates.filter((d) => !d.hidden && d.id !== IN_FILE);
  return stored.find((d) => d.reasons.includes('name')) ?? stored[0] ?? null;
};

interface RunState {
  counts: ImportCounts;
  pending: ImportResult[];
  /** Companies created or matched earlier in the same file, by name: contact rows attach to them. */
  companies: Map<string, string>;
}

/**
 * Runs an import row by row through the clients service (`createDoc(…, 'import')`, `update`,
 * `createContact`), so every rule of the other write paths applies: required fields, the
 * duplicate check in the same transaction, the journal and the feed. A row's failure is
 * recorded with its reason and never stops the job.
 */
export class ImportRunner {
  readonly #d: ImportRunnerDeps;

  constructor(deps: ImportRunnerDeps) {
    this.#d = deps;
  }

  async run(ctx: AuthedContext, jobId: string, options: RunImport & { mapping: ImportTarget[] }): Promise<void> {
    const settings = await this.#d.settings.fresh();
    const rows = await this.#d.jobs.rows(jobId);
    const state: RunState = {
      counts: { created: 0, updated: 0, skipped: 0, failed: 0, contacts: 0 },
      pending: [],
      companies: new Map(),
    };
    for (let start = 0; start < rows.length; start += BATCH) {
      const batch = rows
        .slice(start, start + BATCH)
        .map((cells, i) => readRow(settings, options.mapping, cells, start + i + 2, options.defaultKind as ClientKind));
      const choiceOf = (row: ImportRow) => options.choices[String(row.line)] ?? options.onDuplicate;
      const results = new Map<number, ImportResult>();
      // Client rows of the batch together (one transaction); then, in file order, what needs one
      // row at a time: duplicates to merge or create anyway, and contacts (their company may be new).
      const clientRows = batch.filter((row) => row.action !== 'contact' && !Object.keys(row.errors).length);
      const created = await this.#d.clients.createBatch(
        ctx,
        clientRows.map((row) => row.client),
        'import',
      );
      clientRows.forEach((row, i) => {
        const outcome = created[i];
        if ('doc' in outcome) {
          state.companies.set(nameKey(outcome.doc.name), String(outcome.doc._id));
          results.set(row.line, {
            line: row.line,
            name: row.client.name,
            outcome: 'created',
            clientId: String(outcome.doc._id),
            reason: '',
          });
        } else if (!(outcome.error instanceof DuplicateClientError)) {
          const reason = outcome.error.fields ? describeErrors(outcome.error.fields) : outcome.error.message;
          results.set(row.line, { line: row.line, name: row.client.name, outcome: 'failed', clientId: null, reason });
        }
      });
      for (const [i, row] of batch.entries()) {
        const done = results.get(row.line);
        const outcome = row.action === 'contact' ? undefined : created[clientRows.indexOf(row)];
        const result =
          done ??
          (outcome && 'error' in outcome && outcome.error instanceof DuplicateClientError
            ? await this.#safely(ctx, row, () =>
                this.#duplicateRow(ctx, row, outcome.error as DuplicateClientError, choiceOf(row), state),
              )
            : await this.#safely(ctx, row, () => this.#contactRow(ctx, row, choiceOf(row), state)));
        state.counts[result.outcome === 'contact' ? 'contacts' : result.outcome] += 1;
        state.pending.push(result);
        void i;
      }
      await this.#flush(jobId, Math.min(rows.length, start + BATCH), state);
    }
    await this.#flush(jobId, rows.length, state);
  }

  async #flush(jobId: string, processed: number, state: RunState): Promise<void> {
    await this.#d.jobs.progress(jobId, processed, state.counts, state.pending.splice(0));
  }

  async #safely(ctx: AuthedContext, row: ImportRow, work: () => Promise<ImportResult>): Promise<ImportResult> {
    const base = { line: row.line, name: row.contact?.name ?? row.client.name, clientId: null };
    if (Object.keys(row.errors).length) return { ...base, outcome: 'failed', reason: describeErrors(row.errors) };
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      const reason = error.fields ? describeErrors(error.fields) : error.message;
      return { ...base, outcome: 'failed', reason };
    }
  }

  /** A client row that looks like a stored client (or an earlier row): skip, merge into it, or create anyway. */
  async #duplicateRow(
    ctx: AuthedContext,
    row: ImportRow,
    error: DuplicateClientError,
    choice: DuplicateChoice,
    state: RunState,
  ): Promise<ImportResult> {
    const base = { line: row.line, name: row.client.name };
    {
      const duplicates = error.duplicates ?? [];
      if (choice === 'create') {
        const doc = await this.#d.clients.createDoc(
          ctx,
          { ...row.client, force: true, forceReason: 'import' },
          'import',
        );
        state.companies.set(nameKey(doc.name), String(doc._id));
        return { ...base, outcome: 'created', clientId: String(doc._id), reason: describeDuplicates(duplicates) };
      }
      const target = pickCandidate(duplicates);
      if (choice === 'skip' || !target)
        return { ...base, outcome: 'skipped', clientId: target?.id ?? null, reason: describeDuplicates(duplicates) };
      const existing = await this.#d.clients.writable(ctx, target.id);
      await this.#d.clients.update(ctx, target.id, mergeInput(existing, row.client), 'import');
      state.companies.set(nameKey(row.client.name), target.id);
      return { ...base, outcome: 'updated', clientId: target.id, reason: `Merged into “${existing.name}”` };
    }
  }

  /** The company of a contact row: from this file, else an existing one by name, else created with the name only. */
  async #company(ctx: AuthedContext, name: string, state: RunState): Promise<{ id: string; created: boolean }> {
    const known = state.companies.get(nameKey(name));
    if (known) return { id: known, created: false };
    try {
      const doc = await this.#d.clients.createDoc(ctx, { kind: 'company', name }, 'import');
      state.companies.set(nameKey(name), String(doc._id));
      return { id: String(doc._id), created: true };
    } catch (error) {
      if (!(error instanceof DuplicateClientError)) throw error;
      const target = pickCandidate(error.duplicates ?? []);
      if (!target) throw error;
      state.companies.set(nameKey(name), target.id);
      return { id: target.id, created: false };
    }
  }

  async #contactRow(
    ctx: AuthedContext,
    row: ImportRow,
    choice: DuplicateChoice,
    state: RunState,
  ): Promise<ImportResult> {
    const contact = row.contact;
    if (!contact) throw new Error('contact row without a contact');
    const company = await this.#company(ctx, row.client.name, state);
    if (company.created) state.counts.created += 1;
    const base = { line: row.line, name: contact.name, clientId: company.id };
    const note = company.created ? `Company “${row.client.name}” created` : `Company “${row.client.name}”`;
    const same = (await this.#d.clientsRepo.contacts(company.id)).find(
      (c) => nameKey(c.name) === nameKey(contact.name),
    );
    if (same && choice === 'skip') return { ...base, outcome: 'skipped', reason: `${note}: the contact exists` };
    if (same && choice === 'merge') {
      const have = new Set([...same.phones, ...same.emails].map((x) => x.value.toLowerCase()));
      const fresh = <T extends { value: string }>(list: T[] | undefined) =>
        (list ?? []).filter((x) => !have.has(x.value.toLowerCase()));
      await this.#d.clients.updateContact(ctx, company.id, String(same._id), {
        ...(contact.position ? { position: contact.position } : {}),
        phones: [...same.phones.map((p) => ({ value: p.value, kind: p.kind as 'work' })), ...fresh(contact.phones)],
        emails: [...same.emails.map((e) => ({ value: e.value, kind: e.kind as 'work' })), ...fresh(contact.emails)],
      });
      return { ...base, outcome: 'updated', reason: `${note}: contact updated` };
    }
    await this.#d.clients.createContact(ctx, company.id, contact);
    return { ...base, outcome: 'contact', reason: note };
  }
}
