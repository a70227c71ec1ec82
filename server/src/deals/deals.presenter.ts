import type { Deal } from '@crewdeck/shared/deals';
import type { PersonRefs } from '../users/people.ts';
import type { DealDoc } from './deals.model.ts';

/** The public fields of a deal, exactly; client names and people are looked up by the caller. */
export function presentDeal(
  doc: DealDoc,
  clientNames: ReadonlyMap<string, string>,
  people: PersonRefs,
  abilities: Deal['abilities'],
): Deal {
  const clientId = String(doc.clientId);
  const managerId = doc.managerId ? String(doc.managerId) : null;
  return {
    id: String(doc._id),
    title: doc.title,
    client: { id: clientId, name: clientNames.get(clientId) ?? '' },
    contactId: doc.contactId ? String(doc.contactId) : null,
    manager: managerId ? (people.get(managerId) ?? { id: managerId, name: '' }) : null,
    amount: doc.amount,
    currency: doc.currency,
    expectedCloseDate: doc.expectedCloseDate,
    probability: doc.probability,
    stage: doc.stage,
    outcome: doc.outcome,
    closedAt: doc.closedAt ? doc.closedAt.toISOString() : null,
    closedReason: doc.closedReason,
    position: doc.position,
    version: doc.version,
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
    abilities,
  };
}
