// The event dialog's state: a new event or an existing one (a whole series or one occurrence),
// saving with the version it was opened at, and the booking conflicts a 409 answers with, which
// the person may override ("Book anyway") when they hold `calendar.force`.
import {
  calendarEndpoints,
  type BookingConflict,
  type CalendarEvent,
  type EventInstance,
} from '@crewdeck/shared/calendar';
import type { Abilities } from '@crewdeck/shared/permissions';
import { call } from '../api.ts';
import { FormState } from '../form.svelte.ts';
import { conflictsOf } from './conflicts.ts';
import {
  blankDraft,
  draftFromEvent,
  draftToCreate,
  draftToUpdate,
  newDraft,
  validateDraft,
  type EventDraft,
} from './event-draft.ts';
import { editTarget } from './events.ts';

export type EditScope = 'one' | 'series';

export class EventEditor {
  open = $state(false);
  draft = $state<EventDraft>(blankDraft());
  /** The occurrence being edited, null for a new event. */
  instance = $state<EventInstance | null>(null);
  /** The stored event behind it (fresh from the server), with what the caller may do. */
  event = $state<CalendarEvent | null>(null);
  abilities = $state<Abilities>({});
  scope = $state<EditScope>('series');
  conflicts = $state<BookingConflict[] | null>(null);
  readonly form = new FormState();
  readonly #onSaved: () => void;

  constructor(onSaved: () => void) {
    this.#onSaved = onSaved;
  }

  get isNew(): boolean {
    return this.instance === null;
  }

  get recurring(): boolean {
    return this.instance?.recurring === true;
  }

  openNew(start: Date, end: Date, allDay: boolean, calendarId: string, attendees: string[] = []): void {
    this.#reset();
    this.draft = { ...newDraft(start, end, allDay, calendarId), attendees };
    this.open = true;
  }

  /** Opens `instance`; the stored event is fetched for its abilities and current version. */
  async openExisting(instance: EventInstance): Promise<void> {
    this.#reset();
    this.instance = instance;
    this.scope = instance.recurring ? 'one' : 'series';
    this.draft = draftFromEvent(instance);
    this.open = true;
    await this.form.run(async () => {
      const { event, abilities } = await call(calendarEndpoints.getEvent, { params: { id: instance.id } });
      this.event = event;
      this.abilities = abilities;
    });
  }

  /** Opens an event by id (`/calendar?event=<id>` from the feed or a notification). */
  async openById(id: string): Promise<void> {
    this.#reset();
    this.open = true;
    await this.form.run(async () => {
      const { event, abilities } = await call(calendarEndpoints.getEvent, { params: { id } });
      this.event = event;
      this.abilities = abilities;
      this.instance = { ...event, instanceId: event.id, recurring: event.rrule !== null };
      this.scope = 'series';
      this.draft = draftFromEvent(event);
    });
  }

  /** Switching between "this occurrence" and "the whole series" shows that one's times. */
  setScope(scope: EditScope): void {
    this.scope = scope;
    const source = scope === 'series' && this.event && this.event.rrule ? this.event : this.instance;
    if (source) this.draft = draftFromEvent(source);
  }

  close(): void {
    this.open = false;
    this.conflicts = null;
  }

  /** Saves; on conflicts keeps the dialog open with them listed. True when saved. */
  async save(force = false): Promise<boolean> {
    if (!this.form.validate(validateDraft(this.draft))) return false;
    this.conflicts = null;
    let conflicts: BookingConflict[] | null = null;
    const ok = await this.form.run(async () => {
      try {
        await this.#send(force);
      } catch (err) {
        conflicts = conflictsOf(err);
        throw err;
      }
    });
    this.conflicts = conflicts;
    if (conflicts) this.form.error = '';
    if (!ok) return false;
    this.open = false;
    this.#onSaved();
    return true;
  }

  /** Deletes the event, or with scope `one` cancels only this occurrence. */
  async remove(scope: EditScope): Promise<boolean> {
    const instance = this.instance;
    if (!instance) return false;
    const target = editTarget(instance, scope);
    const ok = await this.form.run(async () => {
      await call(calendarEndpoints.deleteEvent, {
        params: { id: target.id },
        query: { version: await this.#versionOf(target.id), instance: target.instance },
      });
    });
    if (ok) {
      this.open = false;
      this.#onSaved();
    }
    return ok;
  }

  async #send(force: boolean): Promise<void> {
    const instance = this.instance;
    if (!instance) {
      await call(calendarEndpoints.createEvent, { body: draftToCreate(this.draft, force) });
      return;
    }
    const target = editTarget(instance, this.scope);
    await call(calendarEndpoints.updateEvent, {
      params: { id: target.id },
      body: draftToUpdate(this.draft, await this.#versionOf(target.id), target.instance, force),
    });
  }

  /**
   * The version an edit of `id` names: the event the dialog fetched, or (for the series of an
   * overridden occurrence) the series' own, read now.
   */
  async #versionOf(id: string): Promise<number> {
    if (this.event?.id === id) return this.event.version;
    if (this.instance?.id === id) return this.instance.version;
    return (await call(calendarEndpoints.getEvent, { params: { id } })).event.version;
  }

  #reset(): void {
    this.form.reset();
    this.conflicts = null;
    this.instance = null;
    this.event = null;
    this.abilities = {};
    this.scope = 'series';
  }
}
