import type { NotificationKind } from '@crewdeck/shared/notifications';
import type { Actor } from '../http/context.ts';
import type { NotificationsService } from '../notifications/notifications.service.ts';
import type { EventDoc } from './calendar.model.ts';
import type { EventsRepository } from './events.repository.ts';
import { occurrences } from './recurrence.ts';

const attendeeIds = (doc: EventDoc | null) => new Set((doc?.attendees ?? []).map((a) => String(a.userId)));
const moved = (a: EventDoc, b: EventDoc) =>
  a.start.getTime() !== b.start.getTime() ||
  a.end.getTime() !== b.end.getTime() ||
  a.rrule !== b.rrule ||
  a.location !== b.location ||
  a.title !== b.title;

/**
 * Who hears about a change of an event: new attendees are invited, remaining ones told of a new
 * time or place, removed ones and everyone on deletion told it is cancelled, the organizer told
 * of an answer. Never the person who made the change. Reminders come from the sweep.
 */
export class EventNotifier {
  readonly #notifications: NotificationsService;
  readonly #events: EventsRepository;

  constructor(deps: { notifications: NotificationsService; events: EventsRepository }) {
    this.#notifications = deps.notifications;
    this.#events = deps.events;
  }

  async changed(actor: Actor | null, before: EventDoc | null, after: EventDoc | null): Promise<void> {
    const was = attendeeIds(before);
    const now = attendeeIds(after);
    const send = (kind: NotificationKind, ids: Iterable<string>, doc: EventDoc, data: Record<string, unknown> = {}) =>
      Promise.all(
        [...ids]
          .filter((id) => id !== actor?.id)
          .map((userId) =>
            this.#notifications.raise({
              kind,
              userId,
              actor: actor ? { id: actor.id, name: actor.name } : null,
              projectId: null,
              task: null,
              subject: { kind: 'event', id: String(doc.recurringEventId ?? doc._id), title: doc.title },
              data: { start: doc.start.toISOString(), end: doc.end.toISOString(), allDay: doc.allDay, ...data },
            }),
          ),
      );
    if (after && !before) return void (await send('eventInvited', now, after));
    if (!after && before) return void (await send('eventCancelled', was, before));
    if (!after || !before) return;
    await send(
      'eventInvited',
      [...now].filter((id) => !was.has(id)),
      after,
    );
    await send(
      'eventCancelled',
      [...was].filter((id) => !now.has(id)),
      after,
    );
    if (moved(before, after))
      await send(
        'eventChanged',
        [...now].filter((id) => was.has(id)),
        after,
      );
    const answered = after.attendees.find(
      (a) =>
        before.attendees.find((b) => String(b.userId) === String(a.userId))?.response !== a.response &&
        String(a.userId) === actor?.id,
    );
    if (answered && !moved(before, after))
      await send('eventResponded', [String(after.organizerId)], after, {
        response: answered.response,
        userId: String(answered.userId),
      });
  }

  /**
   * Raises the reminders due in (since, now]: for each occurrence starting within a reminder's
   * lead time, once per occurrence, lead time and attendee (the notification's once-key).
   */
  async sweepReminders(since: Date, now: Date): Promise<number> {
    const horizon = new Date(now.getTime() + 40_320 * 60_000);
    const series = await this.#events.withReminders(now, horizon);
    let raised = 0;
    for (const { master, overrides } of series) {
      for (const o of occurrences(master, overrides, now, horizon)) {
        for (const minutes of o.doc.reminders) {
          const at = o.start.getTime() - minutes * 60_000;
          if (at <= since.getTime() || at > now.getTime()) continue;
          for (const userId of o.doc.participants.map(String)) {
            const declined = o.doc.attendees.some((a) => String(a.userId) === userId && a.response === 'declined');
            if (declined) continue;
            const sent = await this.#notifications.raise({
              kind: 'eventReminder',
              userId,
              actor: null,
              projectId: null,
              task: null,
              subject: { kind: 'event', id: String(o.doc.recurringEventId ?? o.doc._id), title: o.doc.title },
              data: { start: o.start.toISOString(), end: o.end.toISOString(), minutes },
              onceKey: `${String(o.doc._id)}:${o.start.toISOString()}:${minutes}`,
            });
            if (sent) raised += 1;
          }
        }
      }
    }
    return raised;
  }
}
