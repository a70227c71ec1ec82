import mongoose from 'mongoose';
import { Readable } from 'node:stream';
import type { ClientKind } from '@crewdeck/shared/clients';
import type { AuditWriter } from '../audit/audit.writer.ts';
import {
  importLimits,
  type ImportJob,
  type ImportPreviewRow,
  type ImportResult,
  type ImportSettings,
  type ImportTarget,
  type RunImport,
} from '@crewdeck/shared/imports';
import { clientFieldsFrom } from '../clients/client-fields.ts';
import type { ClientsService } from '../clients/clients.service.ts';
import type { CrmSettingsStore } from '../clients/crm-settings.ts';
import { presentCandidate, type DuplicateFinder } from '../clients/duplicates.ts';
import type { AuthedContext } from '../http/context.ts';
import { ConflictError, NotFoundError, PayloadTooLargeError, ValidationError } from '../http/errors.ts';
import type { IncomingFile } from '../http/multipart.ts';
import type { CsvPayload } from '../http/route.ts';
import type { AccessControl } from '../permissions/access-control.ts';
import type { People } from '../users/people.ts';
import { proposeMapping } from './column-mapping.ts';
import { readRow } from './import-rows.ts';
import type { ImportRunner } from './import-runner.ts';
import type { ImportJobDoc } from './imports.model.ts';
import type { ImportsRepository } from './imports.repository.ts';
import { parseTable } from './parse-file.ts';
import { csvOf } from './sheet-writer.ts';

export interface ImportsServiceDeps {
  jobs: ImportsRepository;
  runner: ImportRunner;
  clients: ClientsService;
  duplicates: DuplicateFinder;
  settings: CrmSettingsStore;
  access: AccessControl;
  audit: AuditWriter;
  people: People;
  /** Errors of background jobs (the request has long been answered). */
  log?: (message: string, error: unknown) => void;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentJob(doc: ImportJobDoc): ImportJob {
  return {
    id: String(doc._id),
    filename: doc.filename,
    format: doc.format,
    status: doc.status,
    headers: doc.headers,
    mapping: doc.mapping,
    rowCount: doc.rowCount,
    processed: doc.processed,
    counts: doc.counts,
    error: doc.error,
    createdAt: doc.createdAt.toISOString(),
    startedAt: iso(doc.startedAt),
    finishedAt: iso(doc.finishedAt),
  };
}

async function readAll(file: IncomingFile): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of file.stream) parts.push(part as Buffer);
  await file.finished;
  if (file.truncated()) throw new PayloadTooLargeError();
  return Buffer.concat(parts);
}

/** Imports of clients and contacts: upload, mapping, preview, the background run and its report (`client.import`). */
export class ImportsService {
  readonly #d: ImportsServiceDeps;

  constructor(deps: ImportsServiceDeps) {
    this.#d = deps;
  }

  async upload(ctx: AuthedContext, receive: (maxBytes: number) => Promise<IncomingFile>): Promise<{ job: ImportJob }> {
    await this.#d.access.authorize(ctx, 'client.import');
    const file = await receive(importLimits.maxBytes);
    const table = await parseTable(await readAll(file));
    const settings = await this.#d.settings.fresh();
    const doc = await this.#d.jobs.create(
      {
        ownerId: new mongoose.Types.ObjectId(ctx.actor.id),
        filename: file.filename.replace(/[^\p{L}\p{N}._ -]/gu, '_').slice(0, 200) || 'import',
        format: table.format,
        headers: table.headers,
        mapping: proposeMapping(table.headers, settings),
        rowCount: table.rows.length,
      },
      table.rows,
    );
    return { job: presentJob(doc) };
  }

  async get(ctx: AuthedContext, id: string): Promise<{ job: ImportJob }> {
    return { job: presentJob(await this.#own(ctx, id)) };
  }

  /** The first rows as the run would read them, each with its errors and likely duplicates. */
  async preview(ctx: AuthedContext, id: string, options: ImportSettings) {
    const job = await this.#own(ctx, id);
    this.#checkMapping(job, options.mapping);
    const settings = await this.#d.settings.fresh();
    const cells = await this.#d.jobs.rows(id, 0, importLimits.previewRows);
    const rows: ImportPreviewRow[] = [];
    for (const [i, row] of cells.entries()) {
      const read = readRow(settings, options.mapping, row, i + 2, options.defaultKind as ClientKind);
      const fields = clientFieldsFrom(settings, read.client);
      const matches = read.client.name ? await this.#d.duplicates.find(fields, null) : [];
      const names = await this.#d.people.names(
        matches.flatMap((m) => (m.doc.managerId ? [String(m.doc.managerId)] : [])),
      );
      rows.push({
        line: read.line,
        action: read.action,
        kind: read.client.kind,
        name: read.client.name,
        contactName: read.contact?.name ?? '',
        phones: (read.contact?.phones ?? read.client.phones ?? []).map((p) => p.value),
        emails: (read.contact?.emails ?? read.client.emails ?? []).map((e) => e.value),
        errors: read.errors,
        duplicates: matches.map((m) =>
          presentCandidate(m, this.#d.clients.sees(ctx.actor, m.doc), (uid) => names.get(uid) ?? ''),
        ),
      });
    }
    return { rows, total: job.rowCount };
  }

  /** Starts the job and answers at once; the rows are imported in the background. */
  async run(ctx: AuthedContext, id: string, options: RunImport): Promise<{ job: ImportJob }> {
    const job = await this.#own(ctx, id);
    this.#checkMapping(job, options.mapping);
    await this.#d.access.authorize(ctx, 'client.write');
    const started = await this.#d.jobs.start(id, options.mapping);
    if (!started) throw new ConflictError('This import has already run');
    void this.#d.runner
      .run(ctx, id, { ...options, mapping: options.mapping as ImportTarget[] })
      .then(() => this.#finished(ctx, id))
      .catch(async (error: unknown) => {
        this.#d.log?.('import failed', error);
        await this.#d.jobs.finish(id, 'failed', error instanceof Error ? error.message : String(error));
      });
    return { job: presentJob(started) };
  }

  async results(ctx: AuthedContext, id: string): Promise<{ results: ImportResult[] }> {
    await this.#own(ctx, id);
    return { results: await this.#d.jobs.results(id) };
  }

  async report(ctx: AuthedContext, id: string): Promise<CsvPayload> {
    const job = await this.#own(ctx, id);
    const results = await this.#d.jobs.results(id);
    const csv = csvOf(
      ['Line', 'Outcome', 'Name', 'Client id', 'Reason'],
      results.map((r) => [r.line, r.outcome, r.name, r.clientId ?? '', r.reason]),
    );
    const base = job.filename.replace(/\.[^.]*$/, '') || 'import';
    return { filename: `${base}-report.csv`, stream: Readable.from([csv]) };
  }

  /**
   * Journals the import once as a whole (each batch of new clients has its own entry too), then
   * marks the job done: whoever polls sees `done` only when nothing is left to write.
   */
  async #finished(ctx: AuthedContext, id: string): Promise<void> {
    const job = await this.#d.jobs.findById(id);
    if (job) {
      const c = job.counts;
      await this.#d.audit.record(ctx, {
        action: 'client.import',
        code: null,
        note: `${job.filename}, ${job.rowCount} rows: ${c.created} created, ${c.updated} updated, ${c.skipped} skipped, ${c.failed} failed, ${c.contacts} contacts`,
      });
    }
    await this.#d.jobs.finish(id, 'done', null);
  }

  /** The caller's own job; anyone else's is 404. */
  async #own(ctx: AuthedContext, id: string): Promise<ImportJobDoc> {
    await this.#d.access.authorize(ctx, 'client.import');
    const job = await this.#d.jobs.findById(id);
    if (!job || String(job.ownerId) !== ctx.actor.id) throw new NotFoundError('Import');
    return job;
  }

  #checkMapping(job: ImportJobDoc, mapping: string[]): void {
    if (mapping.length !== job.headers.length)
      throw new ValidationError({ mapping: `One field per column: ${job.headers.length} expected` });
    if (!mapping.some((t) => t === 'name' || t === 'company'))
      throw new ValidationError({ mapping: 'Map a column to the name (or the company)' });
  }
}
