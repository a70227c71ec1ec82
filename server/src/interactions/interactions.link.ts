import type { ClientSession } from 'mongoose';
import type { ClientLink } from '../clients/client-links.ts';
import type { ClientAccess } from '../clients/clients.model.ts';
import type { InteractionsRepository } from './interactions.repository.ts';

/**
 * The interactions of a client as the clients module sees them: a merge moves them (and the
 * kept client's `lastInteractionAt` follows), an undo moves them back, a reassignment refreshes
 * their copied access fields.
 */
export function interactionsLink(repo: InteractionsRepository): ClientLink {
  return {
    name: 'interactions',
    async move(fromId: string, toId: string, access: ClientAccess, session: ClientSession) {
      const ids = await repo.moveAll(fromId, toId, access, session);
      await repo.recomputeClient(toId, session);
      await repo.recomputeClient(fromId, session);
      return ids;
    },
    async restore(ids: string[], toId: string, access: ClientAccess, session: ClientSession) {
      const previous = await repo.clientIdsOf(ids, session);
      await repo.moveIds(ids, toId, access, session);
      for (const clientId of new Set([...previous, toId])) await repo.recomputeClient(clientId, session);
    },
    async reaccess(clientId: string, access: ClientAccess, session: ClientSession) {
      await repo.setAccess(clientId, access, session);
    },
  };
}
