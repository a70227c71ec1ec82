import mongoose from 'mongoose';
import type { ResponseStatus } from '@crewdeck/shared/calendar';

type Id = mongoose.Types.ObjectId;
const ObjectId = mongoose.Schema.Types.ObjectId;

/**
 * A personal calendar or a team calendar with members. A personal calendar's id is its owner's
 * user id, so there is exactly one per person and it needs no lookup.
 */
export interface CalendarDoc {
  _id: Id;
  kind: 'personal' | 'team';
  name: string;
  color: string;
  /** The person a personal calendar belongs to; the creator of a team calendar. */
  ownerId: Id;
  members: { userId: Id; access: 'read' | 'write' }[];
  createdAt: Date;
  updatedAt: Date;
}

const calendarSchema = new mongoose.Schema<CalendarDoc>(
  {
    kind: { type: String, required: true },
    name: { type: String, required: true },
    color: { type: String, default: '#3366cc' },
    ownerId: { type: ObjectId, required: true },
    members: {
      type: [{ _id: false, userId: { type: ObjectId, required: true }, access: { type: String, required: true } }],
      default: [],
    },
  },
  { timestamps: true, versionKey: false, collection: 'calendars' },
);
calendarSchema.index({ 'members.userId': 1 });

export const CalendarModel = mongoose.model<CalendarDoc>('Calendar', calendarSchema);

export interface EventAttendeeDoc {
  userId: Id;
  response: ResponseStatus;
}

/**
 * Where a mirrored event lives in Google, or where a Crewdeck event was pushed to, for one
 * connected user. `hash` is the hash of the synced fields as last written or read, so a change
 * that came from Google is recognised and not sent back (echo suppression).
 */
export interface GoogleLinkDoc {
  userId: Id;
  eventId: string;
  etag: string | null;
  hash: string;
  /** Full-resync mark: links the listing did not see again are swept. */
  mark: number;
}

/**
 * One event: a single one, a recurring series' master (with `rrule` and `exdates`), or an
 * overridden instance of a series (`recurringEventId` + `originalStart`). Times are instants;
 * all-day events also keep their days as dates, and a series expands in `timeZone`'s wall time.
 */
export interface EventDoc {
  _id: Id;
  calendarId: Id;
  title: string;
  description: string;
  location: string;
  allDay: boolean;
  start: Date;
  end: Date;
  startDay: string | null;
  endDay: string | null;
  timeZone: string;
  organizerId: Id;
  attendees: EventAttendeeDoc[];
  /** Organizer and attendees: whose busy time this event is (indexed for free/busy). */
  participants: Id[];
  rrule: string | null;
  exdates: Date[];
  recurringEventId: Id | null;
  originalStart: Date | null;
  /** Last instant any occurrence ends (the end for single events; far future for endless series). */
  rangeEnd: Date;
  reminders: number[];
  visibility: 'default' | 'private';
  /** False for Google events marked "free" (transparent): shown, never blocking. */
  busy: boolean;
  source: 'crewdeck' | 'google';
  /** Google copies of this event, one per connected participant. */
  google: GoogleLinkDoc[];
  version: number;
  createdBy: Id;
  updatedBy: Id | null;
  createdAt: Date;
  updatedAt: Date;
}

const eventSchema = new mongoose.Schema<EventDoc>(
  {
    calendarId: { type: ObjectId, required: true },
    title: { type: String, required: true },
    description: { type: String, default: '' },
    location: { type: String, default: '' },
    allDay: { type: Boolean, default: false },
    start: { type: Date, required: true },
    end: { type: Date, required: true },
    startDay: { type: String, default: null },
    endDay: { type: String, default: null },
    timeZone: { type: String, required: true },
    organizerId: { type: ObjectId, required: true },
    attendees: {
      type: [{ _id: false, userId: { type: ObjectId, required: true }, response: { type: String, required: true } }],
      default: [],
    },
    participants: { type: [ObjectId], default: [] },
    rrule: { type: String, default: null },
    exdates: { type: [Date], default: [] },
    recurringEventId: { type: ObjectId, default: null },
    originalStart: { type: Date, default: null },
    rangeEnd: { type: Date, required: true },
    reminders: { type: [Number], default: [] },
    visibility: { type: String, default: 'default' },
    busy: { type: Boolean, default: true },
    source: { type: String, default: 'crewdeck' },
    google: {
      type: [
        {
          _id: false,
          userId: { type: ObjectId, required: true },
          eventId: { type: String, required: true },
          etag: { type: String, default: null },
          hash: { type: String, default: '' },
          mark: { type: Number, default: 0 },
        },
      ],
      default: [],
    },
    version: { type: Number, required: true, default: 1 },
    createdBy: { type: ObjectId, required: true },
    updatedBy: { type: ObjectId, default: null },
  },
  { timestamps: true, versionKey: false, collection: 'calendar_events' },
);
eventSchema.index({ participants: 1, start: 1 });
eventSchema.index({ calendarId: 1, start: 1 });
eventSchema.index({ recurringEventId: 1 });
eventSchema.index({ 'google.userId': 1, 'google.eventId': 1 });

export const EventModel = mongoose.model<EventDoc>('CalendarEvent', eventSchema);

/**
 * One document per person that every booking transaction touching them rewrites before it reads
 * their busy time. Two concurrent bookings of the same person then write the same document, so
 * one of them conflicts and retries against the other's committed event, on MongoDB as on the
 * embedded store: reading the events and inserting alone would let both see the slot free.
 */
export interface BookingLockDoc {
  _id: Id;
  bookings: number;
  at: Date;
}

const bookingLockSchema = new mongoose.Schema<BookingLockDoc>(
  { bookings: { type: Number, default: 0 }, at: { type: Date, required: true } },
  { versionKey: false, collection: 'calendar_booking_locks' },
);
export const BookingLockModel = mongoose.model<BookingLockDoc>('CalendarBookingLock', bookingLockSchema);

/** A secret iCal subscription address: the token is stored hashed, per user or per team calendar. */
export interface FeedTokenDoc {
  _id: Id;
  userId: Id;
  /** Null for the user's own feed. */
  calendarId: Id | null;
  tokenHash: string;
  /** The token itself, encrypted, so the address can be shown again. */
  tokenSealed: string;
  createdAt: Date;
}

const feedTokenSchema = new mongoose.Schema<FeedTokenDoc>(
  {
    userId: { type: ObjectId, required: true },
    calendarId: { type: ObjectId, default: null },
    tokenHash: { type: String, required: true, unique: true },
    tokenSealed: { type: String, required: true },
  },
  { timestamps: { createdAt: true, updatedAt: false }, versionKey: false, collection: 'calendar_feed_tokens' },
);
feedTokenSchema.index({ userId: 1, calendarId: 1 }, { unique: true });
export const FeedTokenModel = mongoose.model<FeedTokenDoc>('CalendarFeedToken', feedTokenSchema);
