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
    return this.withoutDismissed(excludeId, matches, session);
  }

  /** Leaves out the pairs with `clientId` dismissed as "not a duplicate". */
  async withoutDismissed(clientId: string, matches: DuplicateMatch[], session?: ClientSession) {
    if (!matches.length) return matches;
    const excludeId = clientId;
    const dismissed = await DuplicatePairModel.find(
      { pairKey: { $in: matches.map((m) => pairKeyOf(excludeId, String(m.doc._id))) }, dismissedAt: { $ne: null } },
      { pairKey: 1 },
      { session },
    ).lean<{ pairKey: string }[]>();
    const skip = new Set(dismissed.map((d) => d.pairKey));
    return matches.filter((m) => !skip.has(pairKeyOf(excludeId, String(m.doc._id))));
  }
}

/** A stored client met by a batch, with its duplicate record computed at most once. */
interface Holder {
  doc: ClientDoc;
  record?: ReturnType<typeof duplicateRecord>;
}

/**
 * `find` for many new records at once (imports): two lookups for the whole batch, then the
 * rules per record on the clients that share one of its keys.
 */
export async function findForBatch(
  clients: ClientsRepository,
  records: Parameters<typeof duplicateRecord>[0][],
  session?: ClientSession,
  perRecord = 100,
): Promise<DuplicateMatch[][]> {
  const prepared = records.map((client) => {
    const record = duplicateRecord(client);
    return { record, keys: new Set(duplicateLookupKeys(record)) };
  });
  const found = await clients.withAnyDupKeys(
    prepared.flatMap((p) => [...p.keys]),
    session,
  );
  // Key → the clients holding it, so each record meets only the clients it shares a key with.
  const holders = new Map<string, Holder[]>();
  for (const doc of found) {
    const entry = { doc };
    for (const key of doc.dupKeys) holders.set(key, [...(holders.get(key) ?? []), entry]);
  }
  return prepared.map(({ record, keys }) => {
    const shared = new Map<Holder, number>();
    const exact = new Set<ClientDoc>();
    for (const key of keys)
      for (const holder of holders.get(key) ?? []) {
        shared.set(holder, (shared.get(holder) ?? 0) + 1);
        if (isExactKey(key)) exact.add(holder.doc);
      }
    // Every client sharing an exact key (phone, email, name key, domain), and of the ones sharing
    // only blocking keys the `perRecord` that share the most: a common word cannot flood the check.
    const ranked = [...shared.entries()]
      .sort((a, b) => Number(exact.has(b[0].doc)) - Number(exact.has(a[0].doc)) || b[1] - a[1])
      .filter(([holder], i) => exact.has(holder.doc) || i < perRecord)
      .map(([holder]) => holder);
    return ranked
      .map((holder) => {
        holder.record ??= duplicateRecord(holder.doc);
        return { doc: holder.doc, reasons: duplicateReasons(record, holder.record) };
      })
      .filter((m) => m.reasons.length > 0);
  });
}

/** Exact keys identify a client; blocking keys (`w:`, `np:`, `ns:`) only bring similar names together. */
export const isExactKey = (key: string) => !/^(w|np|ns):/.test(key);

/** Clients already stored with one of these exact keys (the re-check inside a write's transaction). */
export async function exactMatches(
  clients: ClientsRepository,
  keys: string[],
  session: ClientSession,
): Promise<ClientDoc[]> {
  const exact = [...new Set(keys.filter(isExactKey))];
  return exact.length ? clients.withAnyDupKeys(exact, session) : [];
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
