// One client's page: the client (reloaded when it is reassigned or changed elsewhere), the
// section shown, and reassignment from the details section.
import { clientEndpoints, type Client } from '@crewdeck/shared/clients';
import { call } from '../api.ts';
import { handleError } from '../errors.ts';
import { m } from '../paraglide/messages.js';
import { realtime } from '../realtime.svelte.ts';
import { notify } from '../ui/confirm.svelte.ts';

export const CLIENT_TABS = ['timeline', 'contacts', 'deals', 'attachments', 'details'] as const;
export type ClientTab = (typeof CLIENT_TABS)[number];

export class ClientPageState {
  client = $state<Client | null>(null);
  error = $state('');
  tab = $state<ClientTab>('timeline');
  reassigning = $state(false);
  readonly id: string;

  constructor(id: string) {
    this.id = id;
  }

  connect(): () => void {
    void this.load();
    return realtime.onFeed((entry) => {
      if (entry.type === 'client.assigned' && entry.data.clientId === this.id) void this.load();
    });
  }

  async load(): Promise<void> {
    try {
      this.client = (await call(clientEndpoints.get, { params: { id: this.id } })).client;
      this.error = '';
    } catch (err) {
      this.error = handleError(err).message;
    }
  }

  async reassign(managerId: string): Promise<void> {
    if (!managerId || managerId === this.client?.manager?.id) return;
    this.reassigning = true;
    try {
      const [client] = (await call(clientEndpoints.assign, { body: { clientIds: [this.id], managerId } })).clients;
      if (client) this.client = client;
      notify(m.cli_reassigned({ name: client?.manager?.name ?? '' }));
    } catch (err) {
      notify(handleError(err).message, { tone: 'error' });
    } finally {
      this.reassigning = false;
    }
  }
}
