// Stage labels: an Admin names stages in the settings; the shipped defaults are translated here
// so a workspace that kept them reads in the viewer's language.
import { defaultCrmSettings, type DealStageDef } from '@crewdeck/shared/clients';
import { m } from '../paraglide/messages.js';

const DEFAULT_LABELS: Partial<Record<string, () => string>> = {
  new: m.deal_stage_new,
  qualified: m.deal_stage_qualified,
  proposal: m.deal_stage_proposal,
  negotiation: m.deal_stage_negotiation,
  won: m.deal_stage_won,
  lost: m.deal_stage_lost,
};

/** The label to show: translated when it is still the default one, else as the Admin wrote it. */
export function stageLabel(stage: Pick<DealStageDef, 'key' | 'label'>): string {
  const shipped = defaultCrmSettings.dealStages.find((s) => s.key === stage.key);
  const translate = DEFAULT_LABELS[stage.key];
  return shipped && translate && shipped.label === stage.label ? translate() : stage.label;
}

/** The first stage with the given outcome (where "Mark won"/"Mark lost" move a deal). */
export function firstStageOf(
  stages: readonly DealStageDef[],
  outcome: DealStageDef['outcome'],
): DealStageDef | undefined {
  return stages.find((s) => s.outcome === outcome);
}
