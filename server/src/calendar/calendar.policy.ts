import type { Action } from '@crewdeck/shared/permissions';
import type { Actor } from '../http/context.ts';
import type { CalendarDoc } from './calendar.model.ts';

/** A calendar as `can()` sees it: whose it is and who was given access. */
export interface CalendarResource {
  kind: 'calendar';
  id: string;
  calendarKind: 'personal' | 'team';
  ownerId: string;
  members: { userId: string; access: 'read' | 'write' }[];
}

export function calendarResource(doc: CalendarDoc): CalendarResource {
  return {
    kind: 'calendar',
    id: String(doc._id),
    calendarKind: doc.kind,
    ownerId: String(doc.ownerId),
    members: doc.members.map((m) => ({ userId: String(m.userId), access: m.access })),
  };
}

/**
 * On top of the role table: a personal calendar is its owner's alone (others learn about its
 * events only as attendees, or as busy time); a team calendar is read by its members, written
 * by members with write access, and managed by its creator. Owners and Admins manage every team
 * calendar, so none is orphaned when its creator leaves.
 */
export function calendarPolicy(actor: Actor, action: Action, calendar: CalendarResource): boolean {
  const isOwner = calendar.ownerId === actor.id;
  if (calendar.calendarKind === 'personal') return isOwner;
  const admin = actor.role === 'Owner' || actor.role === 'Admin';
  const member = calendar.members.find((m) => m.userId === actor.id);
  switch (action) {
    case 'calendar.read':
      return admin || isOwner || member !== undefined;
    case 'calendar.write':
      return admin || isOwner || member?.access === 'write';
    case 'calendar.manage':
      return admin || isOwner;
    default:
      return false;
  }
}
