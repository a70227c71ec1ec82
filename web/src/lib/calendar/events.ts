// Calls on events that the calendar page and the dialog share: which id and `instance` an edit
// of an occurrence goes to, and moving an event to new times.
import { calendarEndpoints, type EventInstance, type UpdateEvent } from '@crewdeck/shared/calendar';
import { call } from '../api.ts';
import { dayOf } from './time.ts';

/**
 * Where an edit of `instance` goes. A plain occurrence of a series is the series plus its
 * original start; an overridden occurrence is its own stored event; a single event is itself.
 */
export function editTarget(instance: EventInstance, scope: 'one' | 'series'): { id: string; instance?: string } {
  if (instance.recurringEventId) {
    return scope === 'series' ? { id: instance.recurringEventId } : { id: instance.id };
  }
  if (instance.recurring && scope === 'one')
    return { id: instance.id, instance: instance.originalStart ?? instance.start };
  return { id: instance.id };
}

/** The PATCH body moving `instance` (dragged or resized in the grid) to `start`–`end`. */
export function moveBody(
  instance: EventInstance,
  start: Date,
  end: Date,
  allDay: boolean,
  force: boolean,
): UpdateEvent {
  const target = editTarget(instance, 'one');
  return {
    version: instance.version,
    allDay,
    // All-day events move by days (dates, never instants: no day shifts across zones).
    start: allDay ? dayOf(start) : start.toISOString(),
    end: allDay ? dayOf(end) : end.toISOString(),
    ...(target.instance ? { instance: target.instance } : {}),
    ...(force ? { force: true } : {}),
  };
}

export function moveEvent(instance: EventInstance, start: Date, end: Date, allDay: boolean, force: boolean) {
  const target = editTarget(instance, 'one');
  return call(calendarEndpoints.updateEvent, {
    params: { id: target.id },
    body: moveBody(instance, start, end, allDay, force),
  });
}
