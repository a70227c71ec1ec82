// Merging two clients: both loaded side by side, for each field which side's value to keep
// (phones, e-mails and tags are united by the server), then the merge and its Undo.
import { clientEndpoints, type Client, type CrmSettings, type MergeRecord } from '@crewdeck/shared/clients';
import { call } from '../api.ts';
import { handleError } from '../errors.ts';
import { m } from '../paraglide/messages.js';
import { FIELD_LABELS, KIND_LABELS, listLabel } from './labels.ts';

export type Side = 'keep' | 'merge';
export type MergeField = { key: string; label: string; keep: string; merge: string };

const plainFields = ['kind', 'name', 'legalName', 'legalForm', 'website', 'address', 'status', 'source'] as const;

const shown = (value: unknown): string => (value === null || value === undefined ? '' : String(value));

/** A plain field's value as a person reads it (labels for kind, status and source). */
function display(client: Client, key: (typeof plainFields)[number], settings: CrmSettings): string {
  if (key === 'kind') return KIND_LABELS[client.kind]();
  if (key === 'status') return client.status ? listLabel(settings.statuses, 'statuses', client.status) : '';
  if (key === 'source') return client.source ? listLabel(settings.sources, 'sources', client.source) : '';
  return client[key];
}

/** The fields where the two clients differ, with each side's value as text. */
export function differingFields(keep: Client, merge: Client, settings: CrmSettings): MergeField[] {
  const fields: MergeField[] = plainFields.map((key) => ({
    key,
    label: FIELD_LABELS[key]?.() ?? key,
    keep: display(keep, key, settings),
    merge: display(merge, key, settings),
  }));
  fields.push({
    key: 'managerId',
    label: FIELD_LABELS.managerId(),
    keep: keep.manager?.name ?? '',
    merge: merge.manager?.name ?? '',
  });
  for (const def of settings.customFields) {
    fields.push({
      key: `custom.${def.key}`,
      label: def.label,
      keep: shown(keep.custom[def.key]),
      merge: shown(merge.custom[def.key]),
    });
  }
  return fields.filter((field) => field.keep !== field.merge);
}

/** Phones, e-mails and tags of both, without repeats: what the kept client will have. */
export function unitedLists(keep: Client, merge: Client) {
  const phones = [...keep.phones, ...merge.phones].filter(
    (p, i, all) => all.findIndex((q) => (q.e164 ?? q.value) === (p.e164 ?? p.value)) === i,
  );
  const emails = [...keep.emails, ...merge.emails].filter(
    (e, i, all) => all.findIndex((f) => f.value.toLowerCase() === e.value.toLowerCase()) === i,
  );
  const tags = [...keep.tags, ...merge.tags].filter((tag, i, all) => all.indexOf(tag) === i);
  return { phones: phones.map((p) => p.value), emails: emails.map((e) => e.value), tags };
}

export class MergeState {
  keep = $state<Client | null>(null);
  merge = $state<Client | null>(null);
  pick = $state<Record<string, Side>>({});
  error = $state('');
  busy = $state(false);
  done = $state<{ client: Client; merge: MergeRecord } | null>(null);

  async load(keepId: string, mergeId: string): Promise<void> {
    if (!keepId || !mergeId || keepId === mergeId) {
      this.error = m.cli_merge_pick_two();
      return;
    }
    try {
      const [keep, merge] = await Promise.all([
        call(clientEndpoints.get, { params: { id: keepId } }),
        call(clientEndpoints.get, { params: { id: mergeId } }),
      ]);
      this.keep = keep.client;
      this.merge = merge.client;
      this.pick = {};
      this.error = '';
    } catch (err) {
      this.error = handleError(err).message;
    }
  }

  /** Which client is kept (the other is absorbed): the choices flip with it. */
  swap(): void {
    [this.keep, this.merge] = [this.merge, this.keep];
    this.pick = Object.fromEntries(Object.entries(this.pick).map(([k, v]) => [k, v === 'keep' ? 'merge' : 'keep']));
  }

  async run(): Promise<void> {
    if (!this.keep || !this.merge) return;
    this.busy = true;
    try {
      const body = { keepId: this.keep.id, mergeId: this.merge.id, pick: { ...this.pick } };
      this.done = await call(clientEndpoints.merge, { body });
      this.error = '';
    } catch (err) {
      this.error = handleError(err).message;
    } finally {
      this.busy = false;
    }
  }

  async undo(): Promise<void> {
    if (!this.done) return;
    this.busy = true;
    try {
      const undone = await call(clientEndpoints.undoMerge, { params: { id: this.done.merge.id } });
      this.done = { ...this.done, merge: undone.merge };
    } catch (err) {
      this.error = handleError(err).message;
    } finally {
      this.busy = false;
    }
  }
}
