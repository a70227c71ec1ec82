import type { ClientLink } from '../clients/client-links.ts';
import type { DealsRepository } from './deals.repository.ts';

/** Deals follow their client: a merge moves them to the kept client, undo moves them back, reassignment refreshes their access copy. */
export function dealsClientLink(deals: DealsRepository): ClientLink {
  return {
    name: 'deals',
    move: (fromId, toId, access, session) => deals.moveClient(fromId, toId, access, session),
    restore: (ids, toId, access, session) => deals.restoreClient(ids, toId, access, session),
    reaccess: (clientId, access, session) => deals.reaccess(clientId, access, session),
  };
}
