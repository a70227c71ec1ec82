// The team view: one row per chosen person with their events in the visible range (busy-only
// where the viewer may not read details), refetched live, and "find a slot" for them.
import { calendarEndpoints, type BusyInterval, type EventInstance } from '@crewdeck/shared/calendar';
import { call } from '../api.ts';
import { handleError } from '../errors.ts';
import { realtime } from '../realtime.svelte.ts';
import { refreshesCalendar, type Range } from './calendar-state.svelte.ts';
import { localDays } from './time.ts';

export class TeamState {
  people = $state<string[]>([]);
  events = $state<Record<string, EventInstance[]>>({});
  slots = $state<BusyInterval[] | null>(null);
  error = $state('');
  searching = $state(false);
  #range: Range | null = null;
  #request = 0;

  constructor(people: string[]) {
    this.people = people;
  }

  connect(): () => void {
    const off = realtime.onFeed((entry) => {
      if (refreshesCalendar(entry)) void this.load();
    });
    const offConnected = realtime.onConnected(() => void this.load());
    return () => {
      off();
      offConnected();
    };
  }

  setRange(from: Date, to: Date): void {
    this.#range = { from: from.toISOString(), to: to.toISOString() };
    void this.load();
  }

  setPeople(people: string[]): void {
    this.people = people;
    this.slots = null;
    void this.load();
  }

  async load(): Promise<void> {
    const range = this.#range;
    if (!range) return;
    const request = ++this.#request;
    try {
      const lists = await Promise.all(
        this.people.map((userId) =>
          call(calendarEndpoints.listEvents, { query: { ...range, userId, tasks: 'false' } }).then(
            (list) => [userId, list.events] as const,
          ),
        ),
      );
      if (request !== this.#request) return;
      this.events = Object.fromEntries(lists);
      this.error = '';
    } catch (err) {
      if (request === this.#request) this.error = handleError(err).message;
    }
  }

  /** The first free slots of `minutes` for everyone chosen, from `fromDay` for `days` days. */
  async findSlots(minutes: number, fromDay: string, days: number): Promise<void> {
    if (this.people.length === 0) return;
    this.searching = true;
    try {
      const answer = await call(calendarEndpoints.findSlot, {
        query: {
          users: this.people.join(','),
          ...localDays(fromDay, days),
          duration: minutes,
          limit: 8,
        },
      });
      this.slots = answer.slots;
      this.error = '';
    } catch (err) {
      this.error = handleError(err).message;
    } finally {
      this.searching = false;
    }
  }
}
