import type { Actor } from '../http/context.ts';
import type { AccessControl } from '../permissions/access-control.ts';
import type { UsersRepository } from '../users/users.repository.ts';
import { inactiveReason, toActor } from '../users/user-status.ts';
import type { CalendarDoc, EventDoc } from './calendar.model.ts';
import { calendarResource } from './calendar.policy.ts';

const isParticipant = (doc: EventDoc, userId: string) => doc.participants.some((p) => String(p) === userId);

/**
 * Who may read an event's details: its organizer and attendees always; anyone who may read its
 * calendar unless the event is private. Everyone else who may see the person's time learns only
 * that it is busy. One rule for lists, single reads, feeds, iCal and conflict answers.
 */
export function canReadDetails(
  access: AccessControl,
  actor: Actor,
  doc: EventDoc,
  calendar: CalendarDoc | null,
): boolean {
  if (String(doc.organizerId) === actor.id || isParticipant(doc, actor.id)) return true;
  if (doc.visibility === 'private' || !calendar) return false;
  return access.can(actor, 'calendar.read', calendarResource(calendar));
}

/** Who may change it: its organizer, or whoever may write its team calendar. Attendees only answer. */
export function canWrite(access: AccessControl, actor: Actor, doc: EventDoc, calendar: CalendarDoc | null): boolean {
  if (!access.can(actor, 'calendar.write')) return false;
  if (String(doc.organizerId) === actor.id) return true;
  return (
    calendar !== null && calendar.kind === 'team' && access.can(actor, 'calendar.write', calendarResource(calendar))
  );
}

/** The active users who may read the event's details now: the only ones its feed entries reach. */
export async function eventViewers(
  deps: { access: AccessControl; users: UsersRepository },
  doc: EventDoc,
  calendar: CalendarDoc | null,
): Promise<string[]> {
  // A personal calendar is read by its owner alone: only the people on the event (and the owner)
  // can be viewers, so there is no need to ask about everyone. Team calendars ask everyone.
  const users =
    !calendar || calendar.kind === 'personal'
      ? await deps.users.findByIds([
          ...new Set([
            ...doc.participants.map(String),
            String(doc.organizerId),
            ...(calendar ? [String(calendar.ownerId)] : []),
          ]),
        ])
      : await deps.users.list({ includeDisabled: false });
  const now = new Date();
  return users.flatMap((user) => {
    if (user.disabled) return [];
    if (inactiveReason(user, now)) return [];
    const actor = toActor(user);
    return canReadDetails(deps.access, actor, doc, calendar) ? [actor.id] : [];
  });
}
