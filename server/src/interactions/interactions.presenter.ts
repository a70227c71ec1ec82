import type { Labelled } from '@crewdeck/shared/clients';
import type { Interaction } from '@crewdeck/shared/interactions';
import type { PersonRefs } from '../users/people.ts';
import type { InteractionDoc } from './interactions.model.ts';

const iso = (date: Date | null) => (date ? date.toISOString() : null);
const idOrNull = (id: unknown) => (id ? String(id) : null);

/** What the presenter needs besides the document, loaded once per page. */
export interface InteractionLookups {
  people: PersonRefs;
  clientNames: ReadonlyMap<string, string>;
  contactNames: ReadonlyMap<string, string>;
  results: readonly Labelled[];
}

/** The public fields of an interaction (a whitelist). */
export function presentInteraction(
  doc: InteractionDoc,
  lookups: InteractionLookups,
  abilities: Interaction['abilities'],
): Interaction {
  const ref = (id: unknown) => {
    const key = String(id);
    return lookups.people.get(key) ?? { id: key, name: '' };
  };
  const contactId = idOrNull(doc.contactId);
  const result = doc.result ?? null;
  return {
    id: String(doc._id),
    kind: doc.kind,
    clientId: String(doc.clientId),
    clientName: lookups.clientNames.get(String(doc.clientId)) ?? '',
    occurredAt: doc.occurredAt.toISOString(),
    direction: doc.direction ?? null,
    durationMinutes: doc.durationMinutes ?? null,
    subject: doc.subject,
    notes: doc.notes,
    result,
    resultLabel: result === null ? null : (lookups.results.find((r) => r.key === result)?.label ?? result),
    manager: ref(doc.managerId),
    author: ref(doc.authorId),
    contact: contactId ? { id: contactId, name: lookups.contactNames.get(contactId) ?? '' } : null,
    dealId: idOrNull(doc.dealId),
    taskId: idOrNull(doc.taskId),
    followUp: doc.followUp
      ? {
          at: doc.followUp.at.toISOString(),
          note: doc.followUp.note,
          projectId: idOrNull(doc.followUp.projectId),
          taskId: idOrNull(doc.followUp.taskId),
          notifiedAt: iso(doc.followUp.notifiedAt),
        }
      : null,
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
    abilities,
  };
}
