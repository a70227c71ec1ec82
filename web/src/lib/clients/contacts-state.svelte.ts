// A client's contact people: the list, and the add / edit / delete the section offers.
import { clientEndpoints, type Contact, type ContactInput } from '@crewdeck/shared/clients';
import { call } from '../api.ts';
import { handleError } from '../errors.ts';
import { FormState } from '../form.svelte.ts';
import { m } from '../paraglide/messages.js';
import { confirmAction, notify } from '../ui/confirm.svelte.ts';
import type { EmailRow, PhoneRow } from './draft.ts';

export type ContactDraft = { name: string; position: string; phones: PhoneRow[]; emails: EmailRow[]; note: string };

const emptyContact = (): ContactDraft => ({
  name: '',
  position: '',
  phones: [{ value: '', kind: 'mobile' }],
  emails: [{ value: '', kind: 'work' }],
  note: '',
});

function bodyOf(draft: ContactDraft): ContactInput {
  return {
    name: draft.name.trim(),
    position: draft.position.trim(),
    phones: draft.phones.filter((p) => p.value.trim()).map((p) => ({ value: p.value.trim(), kind: p.kind })),
    emails: draft.emails.filter((e) => e.value.trim()).map((e) => ({ value: e.value.trim(), kind: e.kind })),
    note: draft.note.trim(),
  };
}

export class ContactsState {
  contacts = $state<Contact[]>([]);
  error = $state('');
  /** The contact being edited: null = the dialog is closed, '' = a new contact. */
  editing = $state<string | null>(null);
  draft = $state<ContactDraft>(emptyContact());
  readonly form = new FormState();
  readonly #clientId: string;

  constructor(clientId: string) {
    this.#clientId = clientId;
  }

  async load(): Promise<void> {
    try {
      this.contacts = (await call(clientEndpoints.listContacts, { params: { id: this.#clientId } })).contacts;
      this.error = '';
    } catch (err) {
      this.error = handleError(err).message;
    }
  }

  open(contact?: Contact): void {
    this.form.reset();
    this.editing = contact?.id ?? '';
    this.draft = contact
      ? {
          name: contact.name,
          position: contact.position,
          phones: contact.phones.map((p) => ({ value: p.value, kind: p.kind })),
          emails: contact.emails.map((e) => ({ value: e.value, kind: e.kind })),
          note: contact.note,
        }
      : emptyContact();
  }

  async save(): Promise<boolean> {
    if (!this.form.validate({ name: this.draft.name.trim() ? '' : m.cli_err_name() })) return false;
    const contactId = this.editing;
    const ok = await this.form.run(async () => {
      const body = bodyOf(this.draft);
      if (contactId) await call(clientEndpoints.updateContact, { params: { id: this.#clientId, contactId }, body });
      else await call(clientEndpoints.createContact, { params: { id: this.#clientId }, body });
    });
    if (ok) {
      this.editing = null;
      await this.load();
    }
    return ok;
  }

  async remove(contact: Contact): Promise<void> {
    const ok = await confirmAction({
      title: m.cli_contact_delete_title(),
      message: m.cli_contact_delete_message({ name: contact.name }),
      confirmLabel: m.cli_delete(),
      danger: true,
    });
    if (!ok) return;
    try {
      await call(clientEndpoints.deleteContact, { params: { id: this.#clientId, contactId: contact.id } });
      notify(m.cli_contact_deleted({ name: contact.name }));
      await this.load();
    } catch (err) {
      notify(handleError(err).message, { tone: 'error' });
    }
  }
}
