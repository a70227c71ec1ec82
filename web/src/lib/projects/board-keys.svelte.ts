// Keyboard moves on the board, after the accessible drag-and-drop pattern: a focused card is
// picked up with Space or Enter, the arrow keys choose the column (mirrored in right-to-left
// layouts, so ← always goes to the column on the left), Space or Enter drops it there and
// Escape puts it back. Without a card picked up the arrows move focus between cards. Every
// step is announced in words for screen readers.
import type { StatusDef } from '@crewdeck/shared/projects';
import type { Task } from '@crewdeck/shared/tasks';
import { statusLabel } from '../i18n/labels.ts';
import { m } from '../paraglide/messages.js';

type Column = { key: string; tasks: Task[] };
type Drop = (task: Task, status: string) => void | Promise<void>;

export class BoardKeys {
  /** The card picked up and the column it would drop into. */
  grabbed = $state<{ task: Task; target: string } | null>(null);
  /** The last step, for the board's live region. */
  announcement = $state('');
  readonly #statuses: () => StatusDef[];
  readonly #onDrop: Drop;

  constructor(statuses: () => StatusDef[], onDrop: Drop) {
    this.#statuses = statuses;
    this.#onDrop = onDrop;
  }

  #name(key: string): string {
    const status = this.#statuses().find((s) => s.key === key);
    return status ? statusLabel(status) : key;
  }

  /** `keydown` on a card (only the card itself, not its link or select). */
  handleKeydown(event: KeyboardEvent, task: Task, columns: Column[], canMove: boolean): void {
    if (event.target !== event.currentTarget) return;
    const card = event.currentTarget as HTMLElement;
    const rtl = getComputedStyle(card).direction === 'rtl';
    const sideways = event.key === 'ArrowLeft' || event.key === 'ArrowRight';
    // Columns run in reading order, so "left" is the previous one in LTR and the next in RTL.
    const step = (event.key === 'ArrowRight') !== rtl ? 1 : -1;
    const grabbed = this.grabbed;

    if (event.key === ' ' || event.key === 'Enter') {
      event.preventDefault();
      if (!grabbed) {
        if (!canMove) return;
        this.grabbed = { task, target: task.status };
        this.announcement = m.board_key_picked({ code: task.code, status: this.#name(task.status) });
      } else void this.#drop(grabbed.task, grabbed.target);
      return;
    }
    if (event.key === 'Escape' && grabbed) {
      event.preventDefault();
      event.stopPropagation();
      this.grabbed = null;
      this.announcement = m.board_key_canceled({ code: grabbed.task.code, status: this.#name(grabbed.task.status) });
      return;
    }
    if (grabbed && (event.key === 'ArrowUp' || event.key === 'ArrowDown')) {
      event.preventDefault(); // a card in hand moves between columns only; the page stays put
      return;
    }
    if (grabbed && sideways) {
      event.preventDefault();
      const at = columns.findIndex((column) => column.key === grabbed.target);
      const next = columns[at + step];
      if (!next) {
        this.announcement = m.board_key_edge({ code: grabbed.task.code, status: this.#name(grabbed.target) });
        return;
      }
      this.grabbed = { task: grabbed.task, target: next.key };
      this.announcement = m.board_key_over({ code: grabbed.task.code, status: this.#name(next.key) });
      return;
    }
    if (!grabbed && (sideways || event.key === 'ArrowUp' || event.key === 'ArrowDown')) {
      event.preventDefault();
      const col = columns.findIndex((column) => column.key === task.status);
      const row = columns[col]?.tasks.findIndex((t) => t.id === task.id) ?? -1;
      const target = sideways
        ? nearest(columns, col + step, row, step)
        : columns[col]?.tasks[row + (event.key === 'ArrowDown' ? 1 : -1)];
      if (target) cardElement(target.code)?.focus();
    }
  }

  /** Focus left the card in hand (Tab, a click elsewhere): the move is called off. */
  handleBlur(task: Task): void {
    const grabbed = this.grabbed;
    if (!grabbed || grabbed.task.id !== task.id) return;
    this.grabbed = null;
    this.announcement = m.board_key_canceled({ code: task.code, status: this.#name(task.status) });
  }

  async #drop(task: Task, status: string): Promise<void> {
    this.grabbed = null;
    if (status === task.status) {
      this.announcement = m.board_key_canceled({ code: task.code, status: this.#name(status) });
      return;
    }
    this.announcement = m.board_key_dropped({ code: task.code, status: this.#name(status) });
    await this.#onDrop(task, status);
    // The card is drawn anew in its new column: give it the focus back.
    focusCard(task.code);
  }
}

/** The card at `row` (or the last one above it) in the first column from `col` on, going `step`, that has cards. */
function nearest(columns: Column[], col: number, row: number, step: number): Task | undefined {
  for (let at = col; at >= 0 && at < columns.length; at += step) {
    const { tasks } = columns[at];
    if (tasks.length > 0) return tasks[Math.min(row, tasks.length - 1)];
  }
  return undefined;
}

const cardElement = (code: string) => document.querySelector<HTMLElement>(`[data-task="${CSS.escape(code)}"]`);

/** After a move the card is drawn anew on the next frame: focus it then. */
function focusCard(code: string): void {
  requestAnimationFrame(() => cardElement(code)?.focus());
}
