// Dragging or resizing an event in the grid: the PATCH with the version it showed, and on a
// booking conflict a pending move the person books anyway or cancels (the grid then puts the
// event back where it was).
import type { BookingConflict } from '@crewdeck/shared/calendar';
import { handleError } from '../errors.ts';
import { notify } from '../ui/confirm.svelte.ts';
import { m } from '../paraglide/messages.js';
import type { CalendarState } from './calendar-state.svelte.ts';
import type { MoveRequest } from './grid.ts';
import { conflictsOf } from './conflicts.ts';
import { moveEvent } from './events.ts';

export class MoveState {
  pending = $state<{ move: MoveRequest; title: string; conflicts: BookingConflict[] } | null>(null);
  busy = $state(false);
  readonly #calendar: CalendarState;

  constructor(calendar: CalendarState) {
    this.#calendar = calendar;
  }

  async move(move: MoveRequest, force = false): Promise<void> {
    const instance = this.#calendar.find(move.instanceId);
    if (!instance) return move.revert();
    this.busy = true;
    try {
      await moveEvent(instance, move.start, move.end, move.allDay, force);
      this.pending = null;
      notify(m.cal_moved({ title: instance.title }));
    } catch (err) {
      const conflicts = conflictsOf(err);
      if (conflicts) {
        this.pending = { move, title: instance.title, conflicts };
        return;
      }
      // A stale version or no right to move it: put it back and show what the server has now.
      this.pending = null;
      move.revert();
      notify(handleError(err).message, { tone: 'error' });
    } finally {
      this.busy = false;
    }
    await this.#calendar.load();
  }

  bookAnyway(): void {
    if (this.pending) void this.move(this.pending.move, true);
  }

  cancel(): void {
    this.pending?.move.revert();
    this.pending = null;
  }
}
