// The import wizard's state: the uploaded job, the column mapping, the preview (refreshed when
// the mapping changes), the per-row duplicate choices, then the run's progress (polled) and report.
import { clientEndpoints, type ClientKind, type CustomFieldDef } from '@crewdeck/shared/clients';
import {
  importEndpoints,
  type DuplicateChoice,
  type ImportJob,
  type ImportPreviewRow,
  type ImportResult,
  type ImportTarget,
} from '@crewdeck/shared/imports';
import { call, urlOf } from '../api.ts';
import { handleError } from '../errors.ts';
import { uploadImport } from './upload.ts';

const POLL_MS = 700;

export class ImportState {
  job = $state<ImportJob | null>(null);
  mapping = $state<ImportTarget[]>([]);
  defaultKind = $state<ClientKind>('company');
  onDuplicate = $state<DuplicateChoice>('skip');
  /** Per spreadsheet line, overriding `onDuplicate`. */
  choices = $state<Record<string, DuplicateChoice>>({});
  preview = $state<ImportPreviewRow[]>([]);
  results = $state<ImportResult[]>([]);
  customFields = $state<CustomFieldDef[]>([]);
  busy = $state(false);
  error = $state('');
  #timer: ReturnType<typeof setTimeout> | undefined;
  #previewRequest = 0;

  readonly stage = $derived(
    !this.job
      ? 'upload'
      : this.job.status === 'uploaded'
        ? 'mapping'
        : this.job.status === 'running'
          ? 'running'
          : 'report',
  );
  readonly reportUrl = $derived(this.job ? urlOf(importEndpoints.report, { params: { id: this.job.id } }) : '');

  async loadSettings(): Promise<void> {
    try {
      this.customFields = (await call(clientEndpoints.getSettings)).settings.customFields;
    } catch {
      this.customFields = [];
    }
  }

  async upload(file: File): Promise<void> {
    this.busy = true;
    this.error = '';
    try {
      const job = await uploadImport(file);
      this.job = job;
      this.mapping = [...job.mapping];
      this.choices = {};
      await this.refreshPreview();
    } catch (err) {
      this.error = handleError(err).message;
    } finally {
      this.busy = false;
    }
  }

  setField(column: number, target: ImportTarget): void {
    this.mapping[column] = target;
    void this.refreshPreview();
  }

  async refreshPreview(): Promise<void> {
    const job = this.job;
    if (!job || !this.mapping.some((t) => t === 'name' || t === 'company')) {
      this.preview = [];
      return;
    }
    const request = ++this.#previewRequest;
    try {
      const answer = await call(importEndpoints.preview, {
        params: { id: job.id },
        body: { mapping: this.mapping, defaultKind: this.defaultKind },
      });
      if (request === this.#previewRequest) this.preview = answer.rows;
    } catch (err) {
      if (request === this.#previewRequest) this.error = handleError(err).message;
    }
  }

  choiceOf(line: number): DuplicateChoice {
    return this.choices[String(line)] ?? this.onDuplicate;
  }

  async run(): Promise<void> {
    const job = this.job;
    if (!job) return;
    this.busy = true;
    this.error = '';
    try {
      const answer = await call(importEndpoints.run, {
        params: { id: job.id },
        body: {
          mapping: this.mapping,
          defaultKind: this.defaultKind,
          onDuplicate: this.onDuplicate,
          choices: this.choices,
        },
      });
      this.job = answer.job;
      this.#poll();
    } catch (err) {
      this.error = handleError(err).message;
    } finally {
      this.busy = false;
    }
  }

  #poll(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(async () => {
      const job = this.job;
      if (!job) return;
      try {
        this.job = (await call(importEndpoints.get, { params: { id: job.id } })).job;
        if (this.job.status === 'running') return this.#poll();
        this.results = (await call(importEndpoints.results, { params: { id: job.id } })).results;
      } catch (err) {
        this.error = handleError(err).message;
        this.#poll();
      }
    }, POLL_MS);
  }

  reset(): void {
    clearTimeout(this.#timer);
    this.job = null;
    this.mapping = [];
    this.preview = [];
    this.results = [];
    this.choices = {};
    this.error = '';
  }

  stop(): void {
    clearTimeout(this.#timer);
  }
}
