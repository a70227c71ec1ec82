// The deals list's filter, shared by the board and its export so both show exactly the same
// deals: the caller's visibility over the `access` copy, then the list's own filters.
import mongoose, { type QueryFilter } from 'mongoose';
import type { CrmSettings } from '@crewdeck/shared/clients';
import type { DealListQuery } from '@crewdeck/shared/deals';
import type { DealDoc } from './deals.model.ts';

/** The list's filters without its page size (the export takes them too). */
export type DealFilters = Omit<DealListQuery, 'limit'>;

const oid = (id: string) => new mongoose.Types.ObjectId(id);
const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `visible` from `ClientsService.visibleFilter(actor, 'access')` (null: no restriction). */
export function dealListFilter(
  visible: Record<string, unknown> | null,
  actorId: string,
  query: DealFilters,
): QueryFilter<DealDoc> {
  const and: Record<string, unknown>[] = [];
  if (visible) and.push(visible);
  if (query.clientId) and.push({ clientId: oid(query.clientId) });
  if (query.managerId) and.push({ managerId: oid(query.managerId === 'me' ? actorId : query.managerId) });
  if (query.stage) and.push({ stage: query.stage });
  if (query.outcome) and.push({ outcome: query.outcome });
  if (query.q) and.push({ title: { $regex: escapeRegex(query.q), $options: 'i' } });
  return (and.length ? { $and: and } : {}) as QueryFilter<DealDoc>;
}

/** Board order: stages as configured (unknown ones last), then the position within a stage. */
export function inBoardOrder(settings: CrmSettings, docs: DealDoc[]): DealDoc[] {
  const order = new Map(settings.dealStages.map((s, i) => [s.key, i]));
  return docs.sort((a, b) => (order.get(a.stage) ?? 99) - (order.get(b.stage) ?? 99) || a.position - b.position);
}
