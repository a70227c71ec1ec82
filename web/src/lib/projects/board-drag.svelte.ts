// Pointer drag for the board: a card follows the pointer and drops on the column under it.
// Mouse drags start anywhere on a card; touch and pen drags start on the card's handle so the
// page still scrolls under a finger. Keyboard users change status with the card's select.
const THRESHOLD_PX = 6;

type Drop = (taskId: string, status: string) => void;

export class BoardDrag {
  /** Task being dragged, once the pointer moved past the threshold. */
  taskId = $state<string | null>(null);
  /** Column key under the pointer. */
  over = $state<string | null>(null);
  /** Card offset from where the drag started. */
  dx = $state(0);
  dy = $state(0);

  #start: { id: string; x: number; y: number; pointerId: number } | null = null;
  #onDrop: Drop;

  constructor(onDrop: Drop) {
    this.#onDrop = onDrop;
  }

  /** `onpointerdown` of a card; `fromHandle` tells whether it started on the drag handle. */
  handlePointerDown(event: PointerEvent, taskId: string, fromHandle: boolean): void {
    if (event.button !== 0 || this.#start) return;
    if (event.pointerType !== 'mouse' && !fromHandle) return;
    const target = event.target instanceof Element ? event.target : null;
    if (!fromHandle && target?.closest('a, button, select, input, textarea, label')) return;
    this.#start = { id: taskId, x: event.clientX, y: event.clientY, pointerId: event.pointerId };
    window.addEventListener('pointermove', this.#move);
    window.addEventListener('pointerup', this.#up);
    window.addEventListener('pointercancel', this.#cancel);
  }

  #move = (event: PointerEvent): void => {
    const start = this.#start;
    if (!start || event.pointerId !== start.pointerId) return;
    const dx = event.clientX - start.x;
    const dy = event.clientY - start.y;
    if (!this.taskId && Math.hypot(dx, dy) < THRESHOLD_PX) return;
    event.preventDefault();
    this.taskId = start.id;
    this.dx = dx;
    this.dy = dy;
    this.over = columnAt(event.clientX, event.clientY);
  };

  #up = (event: PointerEvent): void => {
    const start = this.#start;
    if (!start || event.pointerId !== start.pointerId) return;
    const dropped = this.taskId ? columnAt(event.clientX, event.clientY) : null;
    const id = this.taskId;
    this.#cancel();
    if (id && dropped) this.#onDrop(id, dropped);
  };

  #cancel = (): void => {
    this.#start = null;
    this.taskId = null;
    this.over = null;
    this.dx = 0;
    this.dy = 0;
    window.removeEventListener('pointermove', this.#move);
    window.removeEventListener('pointerup', this.#up);
    window.removeEventListener('pointercancel', this.#cancel);
  };

  destroy(): void {
    this.#cancel();
  }
}

function columnAt(x: number, y: number): string | null {
  const element = document.elementFromPoint(x, y);
  const column = element?.closest<HTMLElement>('[data-status]');
  return column?.dataset.status ?? null;
}
