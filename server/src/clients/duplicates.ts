import type { ClientSession } from 'mongoose';
import type { DuplicateCandidate } from '@crewdeck/shared/clients';
import { duplicateLookupKeys, duplicateReasons, type DuplicateReason } from '@crewdeck/shared/duplicate-rules';
import { duplicateRecord } from './client-fields.ts';
import { DuplicatePairModel, pairKeyOf, type ClientDoc } from './clients.model.ts';
import type { ClientsRepository } from './clients.repository.ts';

export interface DuplicateMatch {
  doc: ClientDoc;
  reasons: DuplicateReason[];
}

/**
 * Finds the live clients a (new or changed) client likely duplicates: one indexed lookup by the
 * normalized phone, email, name and domain keys, then the rules decide; pairs dismissed as "not
 * a duplicate" are left out. Every write path (form, quick-create, import, API) calls it inside
 * its transaction, so two people creating the same client at once cannot both miss each other.
 */
export class DuplicateFinder {
  readonly #clients: ClientsRepository;

  constructor(clients: ClientsRepository) {
    this.#clients = clients;
  }

  async find(
    client: Parameters<typeof duplicateRecord>[0],
    excludeId: string | null,
    session?: ClientSession,
  ): Promise<DuplicateMatch[]> {
    const record = duplicateRecord(client);
    const found = await this.#clients.withDupKeys(duplicateLookupKeys(record), excludeId ? [excludeId] : [], session);
    const matches = found
      .map((doc) => ({ doc, reasons: duplicateReasons(record, duplicateRecord(doc)) }))
      .filter((m) => m.reasons.length > 0);
    if (!excludeId || !matches.length) return matches;
    const dismissed = await DuplicatePairModel.find(
      { pairKey: { $in: matches.map((m) => pairKeyOf(excludeId, String(m.doc._id))) }, dismissedAt: { $ne: null } },
      { pairKey: 1 },
      { session },
    ).lean<{ pairKey: string }[]>();
    const skip = new Set(dismissed.map((d) => d.pairKey));
    return matches.filter((m) => !skip.has(pairKeyOf(excludeId, String(m.doc._id))));
  }
}

/**
 * `find` for many new records at once (imports): two lookups for the whole batch, then the
 * rules per record on the clients that share one of its keys.
 */
export async function findForBatch(
  clients: ClientsRepository,
  records: Parameters<typeof duplicateRecord>[0][],
  session?: ClientSession,
): Promise<DuplicateMatch[][]> {
  const prepared = records.map((client) => {
    const record = duplicateRecord(client);
    return { record, keys: new Set(duplicateLookupKeys(record)) };
  });
  const found = await clients.withAnyDupKeys(
    prepared.flatMap((p) => [...p.keys]),
    session,
  );
  const stored = found.map((doc) => ({ doc, record: duplicateRecord(doc) }));
  return prepared.map(({ record, keys }) =>
    stored
      .filter(({ doc }) => doc.dupKeys.some((k) => keys.has(k)))
      .map(({ doc, record: other }) => ({ doc, reasons: duplicateReasons(record, other) }))
      .filter((m) => m.reasons.length > 0),
  );
}

/** A candidate as the caller may see it: a client they may not see shows only who is responsible. */
export function presentCandidate(
  match: DuplicateMatch,
  visible: boolean,
  managerName: (id: string) => string,
): DuplicateCandidate {
  const managerId = match.doc.managerId ? String(match.doc.managerId) : null;
  return {
    id: String(match.doc._id),
    name: visible ? match.doc.name : '',
    hidden: !visible,
    kind: match.doc.kind,
    reasons: match.reasons,
    manager: managerId ? { id: managerId, name: managerName(managerId) } : null,
  };
}
