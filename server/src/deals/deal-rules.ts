// The pipeline rules that need no database: which stage a key names, what entering a stage does
// to the outcome, and which fields the journal records. Kept apart so the service stays a list
// of steps.
import type { CrmSettings, DealStageDef } from '@crewdeck/shared/clients';
import type { DealOutcome } from '@crewdeck/shared/deals';
import { ValidationError } from '../http/errors.ts';
import type { DealDoc } from './deals.model.ts';

export const auditedDealFields: (keyof DealDoc & string)[] = [
  'title',
  'clientId',
  'contactId',
  'managerId',
  'amount',
  'currency',
  'expectedCloseDate',
  'probability',
  'stage',
  'outcome',
  'closedReason',
];

/** The stage named `key`, or the first open one; 400 for a key the settings do not have. */
export function stageOf(settings: CrmSettings, key: string | undefined, field = 'stage'): DealStageDef {
  const stage = key
    ? settings.dealStages.find((s) => s.key === key)
    : (settings.dealStages.find((s) => s.outcome === 'open') ?? settings.dealStages[0]);
  if (!stage) throw new ValidationError({ [field]: 'No such stage in the pipeline' });
  return stage;
}

/** The currency given (one of the settings') or the default one; 400 otherwise. */
export function currencyOf(settings: CrmSettings, currency: string | undefined): string {
  if (currency === undefined) return settings.currencies[0];
  if (!settings.currencies.includes(currency)) throw new ValidationError({ currency: 'Not a currency of the CRM' });
  return currency;
}

export interface Closing {
  outcome: DealOutcome;
  closedAt: Date | null;
  closedReason: string;
}

/**
 * What entering `stage` does: an open stage reopens the deal, a won or lost one closes it (kept
 * closed at the first time when it only moves between closed stages of the same outcome). A lost
 * deal needs a reason: the new one, or the one it was lost with before.
 */
export function closingFor(
  stage: DealStageDef,
  reason: string | undefined,
  before: DealDoc | null,
  now: Date,
): Closing {
  if (stage.outcome === 'open') return { outcome: 'open', closedAt: null, closedReason: '' };
  const closedAt = before?.outcome === stage.outcome && before.closedAt ? before.closedAt : now;
  if (stage.outcome === 'won') return { outcome: 'won', closedAt, closedReason: reason?.trim() ?? '' };
  const kept = before?.outcome === 'lost' ? before.closedReason : '';
  const closedReason = reason?.trim() || kept;
  if (!closedReason) throw new ValidationError({ reason: 'Say why the deal was lost' });
  return { outcome: 'lost', closedAt, closedReason };
}

/** The feed type of a stage change, or null when the stage stayed. */
export function stageFeedType(
  before: DealDoc | null,
  after: DealDoc,
): 'deal.created' | 'deal.updated' | 'deal.stageChanged' | 'deal.won' | 'deal.lost' {
  if (before && before.stage === after.stage) return 'deal.updated';
  if (after.outcome === 'won') return 'deal.won';
  if (after.outcome === 'lost') return 'deal.lost';
  return before ? 'deal.stageChanged' : 'deal.created';
}

/** `[from, to]` dates as an instant range `[from 00:00Z, the day after to 00:00Z)`. */
export function dayRange(from: string, to: string): { from: Date; to: Date } {
  const start = new Date(`${from}T00:00:00.000Z`);
  const end = new Date(`${to}T00:00:00.000Z`);
  end.setUTCDate(end.getUTCDate() + 1);
  if (end <= start) throw new ValidationError({ to: 'Must not be before from' });
  return { from: start, to: end };
}
