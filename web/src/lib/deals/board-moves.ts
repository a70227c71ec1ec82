// One move as the board and the client list make it: a drop on a lost stage asks why first.
import type { Deal } from '@crewdeck/shared/deals';
import { notify } from '../ui/confirm.svelte.ts';
import { m } from '../paraglide/messages.js';
import type { BoardState } from './board-state.svelte.ts';
import type { LostPrompt } from './lost-prompt.svelte.ts';
import { stageLabel } from './stages.ts';

export async function moveDeal(
  board: BoardState,
  prompt: LostPrompt,
  deal: Deal,
  stageKey: string,
  beforeId: string | null,
): Promise<boolean> {
  const stage = board.stage(stageKey);
  if (!stage) return false;
  let reason: string | undefined;
  if (stage.outcome === 'lost' && deal.outcome !== 'lost') {
    const answer = await prompt.ask(deal.title);
    if (answer === null) return false;
    reason = answer;
  }
  const ok = await board.move(deal, stageKey, beforeId, reason);
  if (ok && stageKey !== deal.stage) notify(m.deal_moved({ title: deal.title, stage: stageLabel(stage) }));
  return ok;
}
