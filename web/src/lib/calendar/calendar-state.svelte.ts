// The calendar page's state: the events and task due dates of the visible range, the calendars
// the person may use, and live refreshes. Calendar feed entries carry no event body (busy-only
// viewers must not learn details from them), so an entry means "fetch the visible range again";
// several entries in a burst cost one fetch.
import {
  calendarEndpoints,
  type Calendar,
  type CalendarTaskItem,
  type EventInstance,
  type ResponseStatus,
} from '@crewdeck/shared/calendar';
import type { FeedEntry } from '@crewdeck/shared/feed';
import { call } from '../api.ts';
import { handleError } from '../errors.ts';
import { realtime } from '../realtime.svelte.ts';

const LIVE_TYPES = new Set<string>([
  'calendar.event.created',
  'calendar.event.updated',
  'calendar.event.deleted',
  'calendar.event.responded',
  'absence.requested',
  'absence.decided',
]);

/** Feed entries after which the visible calendar is stale. */
export function refreshesCalendar(entry: FeedEntry): boolean {
  return LIVE_TYPES.has(entry.type) || entry.type === 'task.dueDate' || entry.type === 'milestone.updated';
}

export type Range = { from: string; to: string };

export class CalendarState {
  events = $state<EventInstance[]>([]);
  tasks = $state<CalendarTaskItem[]>([]);
  calendars = $state<Calendar[]>([]);
  loading = $state(false);
  error = $state('');
  /** Only the events of this person (the team view asks per person). */
  readonly userId: string | undefined;
  #range: Range | null = null;
  #request = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(calendars: Calendar[], userId?: string) {
    this.calendars = calendars;
    this.userId = userId;
  }

  /** Subscribes to the feed; the returned function unsubscribes. */
  connect(): () => void {
    const offFeed = realtime.onFeed((entry) => {
      if (refreshesCalendar(entry)) this.#reloadSoon();
    });
    const offResync = realtime.onResync(() => this.#reloadSoon());
    // Entries missed while offline are replayed or answered by a resync; a reconnect refetches anyway.
    const offConnected = realtime.onConnected(() => this.#reloadSoon());
    return () => {
      clearTimeout(this.#timer);
      offFeed();
      offResync();
      offConnected();
    };
  }

  /** The grid shows `from`–`to` now. */
  setRange(from: Date, to: Date): void {
    const next = { from: from.toISOString(), to: to.toISOString() };
    if (this.#range?.from === next.from && this.#range.to === next.to) return;
    this.#range = next;
    void this.load();
  }

  async load(): Promise<void> {
    const range = this.#range;
    if (!range) return;
    const request = ++this.#request;
    this.loading = true;
    try {
      const list = await call(calendarEndpoints.listEvents, { query: { ...range, userId: this.userId } });
      // A slower answer for a range the person already left must not overwrite the newer one.
      if (request !== this.#request) return;
      this.events = list.events;
      this.tasks = list.tasks;
      this.error = '';
    } catch (err) {
      if (request === this.#request) this.error = handleError(err).message;
    } finally {
      if (request === this.#request) this.loading = false;
    }
  }

  find(instanceId: string): EventInstance | undefined {
    return this.events.find((event) => event.instanceId === instanceId);
  }

  /** Calendars the person may add events to. */
  get writable(): Calendar[] {
    return this.calendars.filter((calendar) => calendar.abilities['calendar.write'] === true);
  }

  /** Whether the grid lets the person drag `event` (the server decides again on save). */
  canEdit(event: EventInstance, meId: string): boolean {
    if (event.busyOnly) return false;
    const calendar = this.calendars.find((c) => c.id === event.calendarId);
    return event.organizerId === meId || calendar?.abilities['calendar.write'] === true;
  }

  async respond(event: EventInstance, response: Exclude<ResponseStatus, 'needsAction'>): Promise<void> {
    await call(calendarEndpoints.respond, { params: { id: event.id }, body: { response } });
    await this.load();
  }

  #reloadSoon(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.load(), 150);
  }
}
