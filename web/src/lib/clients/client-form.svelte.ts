// One client form's state: the draft, the submit, and a 409 "looks like a client you have"
// answered by showing the candidates; "Create anyway" sends the same body again with `force`.
import { errorBodySchema } from '@crewdeck/shared/errors';
import type { Client, CrmSettings, DuplicateCandidate } from '@crewdeck/shared/clients';
import { ApiError } from '../errors.ts';
import { FormState } from '../form.svelte.ts';
import { m } from '../paraglide/messages.js';
import type { ClientDraft } from './draft.ts';

/** Sends the draft; `force` and its reason only after the person confirmed a duplicate. */
export type SaveClient = (draft: ClientDraft, force?: { reason: string }) => Promise<Client>;

/** The candidates of a 409 duplicate answer, or null for any other failure. */
export function duplicatesOf(err: unknown): DuplicateCandidate[] | null {
  if (!(err instanceof ApiError) || err.status !== 409) return null;
  const parsed = errorBodySchema.safeParse(err.body);
  const duplicates = parsed.success ? parsed.data.error.duplicates : undefined;
  return duplicates && duplicates.length > 0 ? duplicates : null;
}

export class ClientFormState {
  draft = $state<ClientDraft>() as ClientDraft;
  /** Set while a 409 waits for "Open" or "Create anyway". */
  duplicates = $state<DuplicateCandidate[] | null>(null);
  readonly form = new FormState();
  readonly settings: CrmSettings;
  readonly #save: SaveClient;

  constructor(settings: CrmSettings, draft: ClientDraft, save: SaveClient) {
    this.settings = settings;
    this.draft = draft;
    this.#save = save;
  }

  /** The error of a field path (`name`, `phones`, `phones.1.value`, `custom.inn`), '' when none. */
  fieldError(path: string): string {
    return this.form.fields[path] ?? '';
  }

  /** Errors of a row list (`phones`) and of its rows' values. */
  rowError(list: 'phones' | 'emails', index: number): string {
    return this.form.fields[`${list}.${index}.value`] ?? this.form.fields[`${list}.${index}`] ?? '';
  }

  validate(): boolean {
    return this.form.validate({ name: this.draft.name.trim() ? '' : m.cli_err_name() });
  }

  /** Saves; the saved client, or null when it failed or waits for a duplicate decision. */
  async submit(force?: { reason: string }): Promise<Client | null> {
    if (!this.validate()) return null;
    this.form.busy = true;
    try {
      const client = await this.#save(this.draft, force);
      this.duplicates = null;
      return client;
    } catch (err) {
      const duplicates = duplicatesOf(err);
      if (duplicates) this.duplicates = duplicates;
      else {
        this.duplicates = null;
        this.form.fail(err);
      }
      return null;
    } finally {
      this.form.busy = false;
    }
  }
}
