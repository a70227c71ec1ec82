// Where a dragged card would land: the column under the pointer and the card it would go before
// (by the pointer's height against each card's middle). DOM reading only, no state.

export interface DropTarget {
  stage: string;
  /** The card to drop before; null = the end of the column. */
  beforeId: string | null;
}

/** The drop target under (x, y), ignoring the dragged card itself; null outside every column. */
export function dropTargetAt(x: number, y: number, draggedId: string): DropTarget | null {
  const column = document.elementFromPoint(x, y)?.closest<HTMLElement>('[data-stage]');
  const stage = column?.dataset.stage;
  if (!column || !stage) return null;
  const cards = [...column.querySelectorAll<HTMLElement>('[data-deal-id]')].filter(
    (card) => card.dataset.dealId !== draggedId,
  );
  const next = cards.find((card) => {
    const box = card.getBoundingClientRect();
    return y < box.top + box.height / 2;
  });
  return { stage, beforeId: next?.dataset.dealId ?? null };
}

/** Pixels a pointer must travel before a press becomes a drag (a click stays a click). */
export const DRAG_THRESHOLD = 6;

/** Pixels from a side of the board where a drag scrolls it. */
export const EDGE = 40;
