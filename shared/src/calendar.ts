// The shared calendar (issue 12): events on team calendars and personal ones, attendees and
// their answers, recurrence, busy times, booking conflicts, iCal subscriptions and the Google
// connection. The server validates with these schemas, the OpenAPI document and the web's typed
// calls are generated from the endpoint declarations at the end.
import { z } from 'zod';
import { dateTimeSchema, idParamsSchema, idSchema, okSchema } from './common.ts';
import { defineEndpoints } from './endpoint.ts';
import { abilitiesSchema } from './permissions.ts';
import { workScheduleSchema } from './schedules.ts';
import { lineText, multiLineText } from './text.ts';
import { timeZoneSchema } from './users.ts';

export const calendarLimits = {
  titleMax: 200,
  locationMax: 300,
  descriptionMax: 10_000,
  attendeesMax: 100,
  remindersMax: 5,
  /** Longest reminder lead time: four weeks, in minutes. */
  reminderMinutesMax: 40_320,
  rruleMax: 500,
  exdatesMax: 500,
  /** Longest range a list, free/busy or slot search may cover, in days. */
  rangeDaysMax: 400,
  freeBusyUsersMax: 50,
  calendarNameMax: 80,
  /** Longest event: 31 days. */
  eventDaysMax: 31,
} as const;

/** An attendee's answer, with Google's names so a synced answer needs no mapping. */
export const responseStatuses = ['needsAction', 'accepted', 'declined', 'tentative'] as const;
export const responseStatusSchema = z.enum(responseStatuses);
export type ResponseStatus = z.infer<typeof responseStatusSchema>;

/**
 * Who may read an event's details besides its organizer and attendees: `default` follows the
 * calendar's access, `private` shows only busy time to everyone else.
 */
export const eventVisibilities = ['default', 'private'] as const;
export const eventVisibilitySchema = z.enum(eventVisibilities);

/** An all-day event's days are dates (`2026-03-08`), never instants: no day shifts across zones. */
export const dayStringSchema = z.iso.date();

/**
 * An RRULE as in RFC 5545 without the `RRULE:` prefix, e.g. `FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10`.
 * The server parses it fully; this only keeps obvious garbage out.
 */
export const rruleSchema = z
  .string()
  .max(calendarLimits.rruleMax)
  .regex(/^(RRULE:)?FREQ=(SECONDLY|MINUTELY|HOURLY|DAILY|WEEKLY|MONTHLY|YEARLY)(;[A-Z-]+=[A-Za-z0-9,:+-]+)*$/, {
    message: 'Use an RRULE such as FREQ=WEEKLY;BYDAY=MO',
  })
  .transform((rule) => rule.replace(/^RRULE:/, ''));

const reminderSchema = z.number().int().min(0).max(calendarLimits.reminderMinutesMax);

export const attendeeSchema = z.object({
  userId: idSchema,
  /** Display name as the directory has it now. */
  name: z.string(),
  response: responseStatusSchema,
});
export type Attendee = z.infer<typeof attendeeSchema>;

/** Where a stored event came from: made here, or mirrored from the attendee's Google calendar. */
export const eventSources = ['crewdeck', 'google'] as const;

/**
 * One event (a single one, a recurring series' master, or an overridden instance), as the
 * caller may see it. With `busyOnly` the details (title, location, description, attendees) are
 * blanked: the caller may only know that the time is taken.
 */
export const calendarEventSchema = z.object({
  id: idSchema,
  calendarId: idSchema,
  title: z.string(),
  /** Instant (ISO, UTC) the event or this instance starts; for all-day events midnight UTC of `startDay`. */
  start: dateTimeSchema,
  end: dateTimeSchema,
  allDay: z.boolean(),
  /** For all-day events: the first day and the day after the last (exclusive), as dates. */
  startDay: dayStringSchema.nullable(),
  endDay: dayStringSchema.nullable(),
  /** Zone the event's wall times (and its recurrence) are kept in. */
  timeZone: z.string(),
  location: z.string(),
  description: z.string(),
  organizerId: idSchema,
  attendees: z.array(attendeeSchema),
  rrule: z.string().nullable(),
  /** Original starts of cancelled instances of a series (ISO instants). */
  exdates: z.array(dateTimeSchema),
  /** For an overridden instance: its series and the start it replaces. */
  recurringEventId: idSchema.nullable(),
  originalStart: dateTimeSchema.nullable(),
  reminders: z.array(z.number().int()),
  visibility: eventVisibilitySchema,
  busyOnly: z.boolean(),
  source: z.enum(eventSources),
  version: z.number().int(),
  createdAt: dateTimeSchema,
  updatedAt: dateTimeSchema,
});
export type CalendarEvent = z.infer<typeof calendarEventSchema>;

/** One occurrence in a range: the event's fields with this occurrence's start and end. */
export const eventInstanceSchema = calendarEventSchema.extend({
  /** `<event id>` for single events, `<series id>_<original start as yyyymmddThhmmssZ>` for occurrences. */
  instanceId: z.string(),
  /** True for occurrences of a series (including overridden ones). */
  recurring: z.boolean(),
});
export type EventInstance = z.infer<typeof eventInstanceSchema>;

/** A task due date or milestone shown on the calendar, read-only, linking to the task or project. */
export const calendarTaskItemSchema = z.object({
  kind: z.enum(['task', 'milestone']),
  id: idSchema,
  projectId: idSchema,
  /** Task code (`WEB-42`) or milestone title. */
  code: z.string(),
  title: z.string(),
  /** The due day (`YYYY-MM-DD`). */
  day: dayStringSchema,
  done: z.boolean(),
});
export type CalendarTaskItem = z.infer<typeof calendarTaskItemSchema>;

/** An approved absence, drawn on the calendar. */
export const absenceKinds = ['vacation', 'sick', 'remote', 'dayOff'] as const;
export const absenceKindSchema = z.enum(absenceKinds);
export type AbsenceKind = z.infer<typeof absenceKindSchema>;
export const absenceStatuses = ['pending', 'approved', 'rejected', 'cancelled'] as const;
export const absenceStatusSchema = z.enum(absenceStatuses);

const rangeRefine = <T extends { from: string; to: string }>(value: T, ctx: z.RefinementCtx) => {
  const from = Date.parse(value.from);
  const to = Date.parse(value.to);
  if (!(to > from)) ctx.addIssue({ code: 'custom', message: '`to` must come after `from`', path: ['to'] });
  else if (to - from > calendarLimits.rangeDaysMax * 86_400_000)
    ctx.addIssue({ code: 'custom', message: `At most ${calendarLimits.rangeDaysMax} days at a time`, path: ['to'] });
};

/** `from` / `to` in query strings: an instant, or a date meaning its midnight UTC. */
const rangeInstantSchema = z
  .union([dateTimeSchema, dayStringSchema])
  .transform((v) => (v.length === 10 ? `${v}T00:00:00.000Z` : new Date(v).toISOString()));

export const eventListQuerySchema = z
  .object({
    from: rangeInstantSchema,
    to: rangeInstantSchema,
    /** One calendar only. */
    calendarId: idSchema.optional(),
    /** Only events this person organizes or attends (busy-only where the caller may not see details). */
    userId: idSchema.optional(),
    /** `false` leaves task due dates and milestones out. */
    tasks: z.enum(['true', 'false']).optional(),
  })
  .superRefine(rangeRefine);
export type EventListQuery = z.infer<typeof eventListQuerySchema>;

export const eventListSchema = z.object({
  events: z.array(eventInstanceSchema),
  tasks: z.array(calendarTaskItemSchema),
});
export type EventList = z.infer<typeof eventListSchema>;

const eventFields = {
  // The project's text rules: one line without control or bidi-override characters.
  title: lineText({ min: 1, max: calendarLimits.titleMax }),
  /** Instant, or for all-day events a date (the first day). */
  start: z.union([dateTimeSchema, dayStringSchema]),
  /** Instant (exclusive), or for all-day events a date: the day after the last one. */
  end: z.union([dateTimeSchema, dayStringSchema]),
  allDay: z.boolean().optional(),
  timeZone: timeZoneSchema.optional(),
  attendees: z.array(idSchema).max(calendarLimits.attendeesMax).optional(),
  calendarId: idSchema.optional(),
  rrule: rruleSchema.nullable().optional(),
  exdates: z.array(dateTimeSchema).max(calendarLimits.exdatesMax).optional(),
  location: lineText({ max: calendarLimits.locationMax }).optional(),
  description: multiLineText({ max: calendarLimits.descriptionMax }).optional(),
  reminders: z.array(reminderSchema).max(calendarLimits.remindersMax).optional(),
  visibility: eventVisibilitySchema.optional(),
  /** Book despite conflicts (needs `calendar.force`). */
  force: z.boolean().optional(),
};

export const createEventSchema = z.strictObject(eventFields);
export type CreateEvent = z.infer<typeof createEventSchema>;

/**
 * An edit names the version it saw. With `instance` (an occurrence's original start) it
 * changes or (DELETE) cancels that one occurrence of a series only.
 */
export const updateEventSchema = createEventSchema.partial().extend({
  version: z.number().int().positive(),
  instance: dateTimeSchema.optional(),
});
export type UpdateEvent = z.infer<typeof updateEventSchema>;

export const deleteEventQuerySchema = z.object({
  version: z.coerce.number().int().positive(),
  /** Cancel only the occurrence starting at this original start. */
  instance: dateTimeSchema.optional(),
});

export const eventResponseSchema = z.object({
  event: calendarEventSchema,
  abilities: abilitiesSchema,
});
export type EventResponse = z.infer<typeof eventResponseSchema>;

export const respondSchema = z.strictObject({ response: z.enum(['accepted', 'declined', 'tentative']) });

/** Why a slot cannot be booked for someone. */
export const conflictReasons = ['event', 'absence', 'outsideHours', 'google'] as const;
export const bookingConflictSchema = z.object({
  userId: idSchema,
  name: z.string(),
  reason: z.enum(conflictReasons),
  start: dateTimeSchema,
  end: dateTimeSchema,
  /** The other event's title, only when the caller may read it; null otherwise. */
  title: z.string().nullable(),
  eventId: idSchema.nullable(),
});
export type BookingConflict = z.infer<typeof bookingConflictSchema>;

// ---- Free/busy and finding a slot ----

const userListSchema = z
  .string()
  .transform((v) => [...new Set(v.split(',').filter(Boolean))])
  .pipe(z.array(idSchema).min(1).max(calendarLimits.freeBusyUsersMax));

export const freeBusyQuerySchema = z
  .object({ users: userListSchema, from: rangeInstantSchema, to: rangeInstantSchema })
  .superRefine(rangeRefine);

export const busyIntervalSchema = z.object({
  start: dateTimeSchema,
  end: dateTimeSchema,
});
export type BusyInterval = z.infer<typeof busyIntervalSchema>;

export const freeBusySchema = z.object({
  users: z.record(idSchema, z.array(busyIntervalSchema)),
});
export type FreeBusy = z.infer<typeof freeBusySchema>;

export const findSlotQuerySchema = z
  .object({
    users: userListSchema,
    from: rangeInstantSchema,
    to: rangeInstantSchema,
    /** Minutes. */
    duration: z.coerce
      .number()
      .int()
      .min(5)
      .max(24 * 60),
    /** How many slots to propose (default 5). */
    limit: z.coerce.number().int().min(1).max(50).optional(),
  })
  .superRefine(rangeRefine);

export const slotsSchema = z.object({ slots: z.array(busyIntervalSchema) });

// ---- Calendars ----

export const calendarKinds = ['personal', 'team'] as const;
export const calendarAccessLevels = ['read', 'write'] as const;
export const calendarAccessSchema = z.enum(calendarAccessLevels);

export const calendarMemberSchema = z.object({ userId: idSchema, access: calendarAccessSchema });

export const calendarSchema = z.object({
  id: idSchema,
  kind: z.enum(calendarKinds),
  name: z.string(),
  color: z.string(),
  ownerId: idSchema.nullable(),
  members: z.array(calendarMemberSchema),
  /** What the caller may do with it (`calendar.read`, `calendar.write`, `calendar.manage`). */
  abilities: abilitiesSchema,
});
export type Calendar = z.infer<typeof calendarSchema>;

const colorSchema = z.string().regex(/^#[0-9a-f]{6}$/i, 'Use a colour such as #3366cc');

export const createCalendarSchema = z.strictObject({
  name: lineText({ min: 1, max: calendarLimits.calendarNameMax }),
  color: colorSchema.optional(),
  members: z.array(calendarMemberSchema).max(500).optional(),
});
export const updateCalendarSchema = createCalendarSchema.partial();

export const calendarListSchema = z.object({
  calendars: z.array(calendarSchema),
  abilities: abilitiesSchema,
});

// ---- iCal subscriptions ----

export const feedUrlSchema = z.object({
  /** `https://…/api/calendar/feeds/<token>.ics` */
  url: z.string(),
  /** The same with the `webcal://` scheme, which tells calendar apps to subscribe. */
  webcal: z.string(),
});

export const feedTokenParamsSchema = z.object({
  /** Secret token, with the `.ics` suffix. */
  file: z.string().regex(/^[A-Za-z0-9_-]{20,100}\.ics$/, 'Not a feed address'),
});

export const calendarFeedQuerySchema = z.object({ calendarId: idSchema.optional() });

// ---- Working schedules ----

export const holidayCountrySchema = z
  .string()
  .regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, 'Use a country code such as RU or IR')
  .nullable();

/** `GET|PUT /api/users/:id/schedule`. */
export const scheduleSchema = z.object({
  userId: idSchema,
  timeZone: z.string(),
  hours: z.record(z.string(), z.array(z.object({ start: z.string(), end: z.string() }))),
  /** Country (ISO 3166, optionally with a region) whose public holidays are days off. */
  holidayCountry: holidayCountrySchema,
  /** Extra personal days off (`YYYY-MM-DD`). */
  daysOff: z.array(dayStringSchema),
  /** False while the person keeps the default Monday–Friday hours. */
  custom: z.boolean(),
  abilities: abilitiesSchema,
});
export type Schedule = z.infer<typeof scheduleSchema>;

export const userScheduleResponseSchema = z.object({
  schedule: scheduleSchema,
  /** The public holidays of the next twelve months in the chosen country. */
  holidays: z.array(z.object({ day: dayStringSchema, name: z.string() })),
});

// ---- Absences ----

export const absenceSchema = z.object({
  id: idSchema,
  userId: idSchema,
  userName: z.string(),
  kind: absenceKindSchema,
  /** First day and last day (inclusive), in the person's zone. */
  startDay: dayStringSchema,
  endDay: dayStringSchema,
  note: z.string(),
  status: absenceStatusSchema,
  decidedBy: idSchema.nullable(),
  decidedAt: dateTimeSchema.nullable(),
  /** Mirrored from a Google "out of office" event. */
  source: z.enum(eventSources),
  createdAt: dateTimeSchema,
  abilities: abilitiesSchema,
});
export type Absence = z.infer<typeof absenceSchema>;

export const createAbsenceSchema = z
  .strictObject({
    kind: absenceKindSchema,
    startDay: dayStringSchema,
    endDay: dayStringSchema,
    /** Free text for the approver; control characters refused (the text policy). */
    note: multiLineText({ max: 1000, trim: true }).optional(),
    /** Request for someone else (leads). */
    userId: idSchema.optional(),
  })
  .refine((a) => a.endDay >= a.startDay, { message: 'The last day cannot come before the first', path: ['endDay'] })
  .refine((a) => Date.parse(a.endDay) - Date.parse(a.startDay) <= 366 * 86_400_000, {
    message: 'At most a year at a time',
    path: ['endDay'],
  });

export const absenceListQuerySchema = z.object({
  userId: idSchema.optional(),
  status: absenceStatusSchema.optional(),
  /** Absences touching this range of days. */
  from: dayStringSchema.optional(),
  to: dayStringSchema.optional(),
});

export const absenceListSchema = z.object({
  items: z.array(absenceSchema),
  abilities: abilitiesSchema,
});

export const decideAbsenceSchema = z.strictObject({ decision: z.enum(['approved', 'rejected']) });

export const absenceResponseSchema = z.object({ absence: absenceSchema });

// ---- Google Calendar ----

export const googleSyncStates = ['disconnected', 'connecting', 'syncing', 'ok', 'error', 'needsReconnect'] as const;

export const googleStatusSchema = z.object({
  /** False when the server has no GOOGLE_CLIENT_ID / GOOGLE_CLIENT_SECRET. */
  configured: z.boolean(),
  state: z.enum(googleSyncStates),
  /** The connected Google account's address. */
  account: z.string().nullable(),
  lastSyncAt: dateTimeSchema.nullable(),
  lastError: z.string().nullable(),
  /** First import progress, 0–1, while it runs. */
  progress: z.number().min(0).max(1).nullable(),
  imported: z.number().int(),
  channelExpiresAt: dateTimeSchema.nullable(),
});
export type GoogleStatus = z.infer<typeof googleStatusSchema>;

export const googleCallbackQuerySchema = z.object({
  code: z.string().max(2000).optional(),
  state: z.string().max(500),
  error: z.string().max(200).optional(),
});

// ---- Endpoints ----

export const calendarEndpoints = defineEndpoints({
  listEvents: {
    method: 'get',
    path: '/api/calendar/events',
    tag: 'calendar',
    query: eventListQuerySchema,
    response: eventListSchema,
    summary:
      'Events (recurring ones expanded into instances) and task due dates in a range, as the caller may see them',
  },
  createEvent: {
    method: 'post',
    path: '/api/calendar/events',
    tag: 'calendar',
    body: createEventSchema,
    response: eventResponseSchema,
    status: 201,
    summary: 'Books an event; 409 with `error.conflicts` when an attendee is busy, absent or off work',
  },
  getEvent: {
    method: 'get',
    path: '/api/calendar/events/:id',
    tag: 'calendar',
    params: idParamsSchema,
    response: eventResponseSchema,
    summary: 'One event',
  },
  updateEvent: {
    method: 'patch',
    path: '/api/calendar/events/:id',
    tag: 'calendar',
    params: idParamsSchema,
    body: updateEventSchema,
    response: eventResponseSchema,
    summary: 'Edits or moves an event (or one occurrence with `instance`), with the version the caller saw',
  },
  deleteEvent: {
    method: 'delete',
    path: '/api/calendar/events/:id',
    tag: 'calendar',
    params: idParamsSchema,
    query: deleteEventQuerySchema,
    response: okSchema,
    summary: 'Deletes an event, or cancels one occurrence of a series with `instance`',
  },
  respond: {
    method: 'post',
    path: '/api/calendar/events/:id/respond',
    tag: 'calendar',
    params: idParamsSchema,
    body: respondSchema,
    response: eventResponseSchema,
    summary: 'The caller accepts, declines or tentatively accepts an invitation',
  },
  freeBusy: {
    method: 'get',
    path: '/api/calendar/freebusy',
    tag: 'calendar',
    query: freeBusyQuerySchema,
    response: freeBusySchema,
    summary: 'Busy intervals of up to 50 people: their events, absences and Google busy times',
  },
  findSlot: {
    method: 'get',
    path: '/api/calendar/slots',
    tag: 'calendar',
    query: findSlotQuerySchema,
    response: slotsSchema,
    summary: 'The first free slots of a duration within everyone’s working hours',
  },
  listCalendars: {
    method: 'get',
    path: '/api/calendar/calendars',
    tag: 'calendar',
    response: calendarListSchema,
    summary: 'The caller’s personal calendar and the team calendars they may read',
  },
  createCalendar: {
    method: 'post',
    path: '/api/calendar/calendars',
    tag: 'calendar',
    body: createCalendarSchema,
    response: z.object({ calendar: calendarSchema }),
    status: 201,
    summary: 'Creates a team calendar',
  },
  updateCalendar: {
    method: 'patch',
    path: '/api/calendar/calendars/:id',
    tag: 'calendar',
    params: idParamsSchema,
    body: updateCalendarSchema,
    response: z.object({ calendar: calendarSchema }),
    summary: 'Renames a team calendar or changes who may read and write it',
  },
  feedUrl: {
    method: 'get',
    path: '/api/calendar/feed',
    tag: 'calendar',
    query: calendarFeedQuerySchema,
    response: feedUrlSchema,
    summary: 'The caller’s secret iCal subscription address (or a team calendar’s, with `calendarId`)',
  },
  rotateFeed: {
    method: 'post',
    path: '/api/calendar/feed/rotate',
    tag: 'calendar',
    query: calendarFeedQuerySchema,
    response: feedUrlSchema,
    summary: 'Replaces the secret subscription address; the old one stops working at once',
  },
  feed: {
    method: 'get',
    path: '/api/calendar/feeds/:file',
    tag: 'calendar',
    params: feedTokenParamsSchema,
    produces: 'file',
    summary: 'An iCal feed by its secret address (ETag, 304 Not Modified)',
  },
  getSchedule: {
    method: 'get',
    path: '/api/users/:id/schedule',
    tag: 'calendar',
    params: idParamsSchema,
    response: userScheduleResponseSchema,
    summary: 'A person’s working hours, time zone, holiday country and days off',
  },
  putSchedule: {
    method: 'put',
    path: '/api/users/:id/schedule',
    tag: 'calendar',
    params: idParamsSchema,
    body: z.strictObject({
      timeZone: timeZoneSchema,
      /** Every weekday's intervals (`mon`…`sun`), in order and not overlapping. */
      hours: workScheduleSchema.shape.hours,
      holidayCountry: holidayCountrySchema.optional(),
      daysOff: z.array(dayStringSchema).max(400).optional(),
    }),
    response: userScheduleResponseSchema,
    summary: 'Sets a person’s working hours (themselves, or a lead with `schedule.manage`)',
  },
  listAbsences: {
    method: 'get',
    path: '/api/absences',
    tag: 'calendar',
    query: absenceListQuerySchema,
    response: absenceListSchema,
    summary: 'Absences the caller may see: their own, and their groups’ for leads',
  },
  createAbsence: {
    method: 'post',
    path: '/api/absences',
    tag: 'calendar',
    body: createAbsenceSchema,
    response: absenceResponseSchema,
    status: 201,
    summary: 'Requests an absence (vacation, sick, remote, day off); a lead approves it',
  },
  decideAbsence: {
    method: 'post',
    path: '/api/absences/:id/decision',
    tag: 'calendar',
    params: idParamsSchema,
    body: decideAbsenceSchema,
    response: absenceResponseSchema,
    summary: 'Approves or rejects an absence request (`absence.approve`)',
  },
  cancelAbsence: {
    method: 'delete',
    path: '/api/absences/:id',
    tag: 'calendar',
    params: idParamsSchema,
    response: absenceResponseSchema,
    summary: 'Cancels an absence (its requester, or an approver)',
  },
  googleStatus: {
    method: 'get',
    path: '/api/calendar/google/status',
    tag: 'calendar',
    response: googleStatusSchema,
    summary: 'The caller’s Google Calendar connection: state, last sync, last error, first import progress',
  },
  googleConnect: {
    method: 'get',
    path: '/api/calendar/google/connect',
    tag: 'calendar',
    produces: 'file',
    summary: 'Redirects (302) to Google’s consent page',
  },
  googleCallback: {
    method: 'get',
    path: '/api/calendar/google/callback',
    tag: 'calendar',
    query: googleCallbackQuerySchema,
    produces: 'file',
    summary: 'Google’s OAuth redirect target: stores the encrypted refresh token and starts the first sync',
  },
  googleDisconnect: {
    method: 'post',
    path: '/api/calendar/google/disconnect',
    tag: 'calendar',
    response: okSchema,
    summary: 'Stops syncing and forgets the Google tokens (mirrored events are removed)',
  },
  googleNotifications: {
    method: 'post',
    path: '/api/calendar/google/notifications',
    tag: 'calendar',
    produces: 'file',
    summary: 'Google push notification receiver; checks the channel token',
  },
});
