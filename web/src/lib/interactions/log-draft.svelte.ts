// The state of the "log an interaction" dialog: the two-click path (kind preset to a call, one
// click on a quick result logs it) and the optional details behind "more". The lists it needs
// (quick results, the client's contacts, projects for a follow-up task) load on demand.
import { clientEndpoints, type Contact, type Labelled } from '@crewdeck/shared/clients';
import {
  directedKinds,
  interactionEndpoints,
  type CreateInteraction,
  type Interaction,
  type InteractionDirection,
  type InteractionKind,
} from '@crewdeck/shared/interactions';
import { projectEndpoints } from '@crewdeck/shared/projects';
import { call } from '../api.ts';
import { FormState } from '../form.svelte.ts';
import { m } from '../paraglide/messages.js';
import { fromLocalInput } from './labels.ts';

/** Quick results are shared by every dialog on the page: fetched once. */
let resultsOnce: Promise<Labelled[]> | null = null;
function loadResults(): Promise<Labelled[]> {
  resultsOnce ??= call(clientEndpoints.getSettings)
    .then((r) => r.settings.interactionResults)
    .catch((err: unknown) => {
      resultsOnce = null;
      throw err;
    });
  return resultsOnce;
}

export class LogDraft {
  readonly form = new FormState();
  clientId = $state('');
  clientName = $state('');
  kind = $state<InteractionKind>('call');
  direction = $state<InteractionDirection | ''>('');
  duration = $state('');
  occurredAt = $state('');
  subject = $state('');
  notes = $state('');
  contactId = $state('');
  followUpAt = $state('');
  followUpNote = $state('');
  followUpProjectId = $state('');
  more = $state(false);
  results = $state<Labelled[]>([]);
  contacts = $state<Contact[]>([]);
  projects = $state<{ id: string; name: string }[]>([]);
  #contactsOf = '';
  #projectsLoaded = false;

  get directed(): boolean {
    return directedKinds.includes(this.kind);
  }

  /** Fresh fields for a new log (the client stays when it was given by the page). */
  reset(clientId = ''): void {
    this.form.reset();
    Object.assign(this, {
      kind: 'call',
      direction: '',
      duration: '',
      occurredAt: '',
      subject: '',
      notes: '',
      contactId: '',
      followUpAt: '',
      followUpNote: '',
      followUpProjectId: '',
      more: false,
    });
    if (clientId !== this.clientId) this.pickClient({ id: clientId, name: '' });
  }

  async loadResults(): Promise<void> {
    try {
      this.results = await loadResults();
    } catch (err) {
      this.form.fail(err);
    }
  }

  pickClient(client: { id: string; name: string }): void {
    this.clientId = client.id;
    this.clientName = client.name;
    this.contactId = '';
    this.contacts = [];
    this.#contactsOf = '';
    if (this.more) void this.loadDetails();
  }

  /** What "more" needs: the client's contacts and the projects a follow-up task may go to. */
  async loadDetails(): Promise<void> {
    try {
      if (this.clientId && this.#contactsOf !== this.clientId) {
        const id = this.clientId;
        this.#contactsOf = id;
        const { contacts } = await call(clientEndpoints.listContacts, { params: { id } });
        if (this.clientId === id) this.contacts = contacts;
      }
      if (!this.#projectsLoaded) {
        this.#projectsLoaded = true;
        const { items } = await call(projectEndpoints.list, { query: {} });
        this.projects = items.map((p) => ({ id: p.id, name: p.name }));
      }
    } catch (err) {
      this.form.fail(err);
    }
  }

  /** Logs with `result` (a quick-result click, or null); the stored interaction, or null on failure. */
  async submit(result: string | null): Promise<Interaction | null> {
    if (!this.form.validate({ clientId: this.clientId ? '' : m.ix_client_required() })) return null;
    let logged: Interaction | null = null;
    const ok = await this.form.run(async () => {
      logged = (await call(interactionEndpoints.create, { body: this.#body(result) })).interaction;
    });
    return ok ? logged : null;
  }

  #body(result: string | null): CreateInteraction {
    const duration = this.duration.trim() === '' ? undefined : Number(this.duration);
    const followUpAt = fromLocalInput(this.followUpAt);
    return {
      clientId: this.clientId,
      kind: this.kind,
      result: result ?? undefined,
      direction: this.directed && this.direction ? this.direction : undefined,
      durationMinutes: duration,
      occurredAt: fromLocalInput(this.occurredAt),
      subject: this.subject.trim() || undefined,
      notes: this.notes.trim() ? this.notes : undefined,
      contactId: this.contactId || undefined,
      followUp: followUpAt
        ? {
            at: followUpAt,
            note: this.followUpNote.trim() || undefined,
            projectId: this.followUpProjectId || undefined,
          }
        : undefined,
    };
  }
}
