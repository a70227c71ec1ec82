// The state half of the Google Calendar fake: calendars, events with etags and change sequence
// numbers, listings with paging and sync tokens, recurrence expansion. No HTTP here, so the
// listing rules (the part sync engines get wrong) read on their own.
import { randomBytes } from 'node:crypto';
import type { calendar_v3 } from 'googleapis';
import rrule from 'rrule';

export type GEvent = calendar_v3.Schema$Event;

/** An error Google would answer, with its reason in `errors[0].reason`. */
export class FakeGoogleError extends Error {
  readonly status: number;
  readonly reason: string;
  constructor(status: number, reason: string, message = reason) {
    super(message);
    this.status = status;
    this.reason = reason;
  }
}

interface Stored {
  resource: GEvent;
  /** Sequence number of the last change: incremental listings return `seq > since`. */
  seq: number;
  /** Sequence number at creation: listings page in this order, stable while events change. */
  createdSeq: number;
}

export interface FakeChannel {
  id: string;
  resourceId: string;
  token: string;
  address: string;
  expiration: number;
  messages: number;
}

/** Cursor carried in page and sync tokens (base64url JSON, opaque to clients as Google's are). */
interface Cursor {
  epoch: number;
  full: boolean;
  showDeleted: boolean;
  since: number;
  upto: number;
  after: number;
}

const encode = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');
function decode(token: string): Cursor {
  try {
    return JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Cursor;
  } catch {
    throw new FakeGoogleError(400, 'invalid', 'Invalid token');
  }
}

const idPattern = /^[a-v0-9]{5,1024}$/;
let clock = 0;
const nextSeq = () => ++clock;
const newId = () => randomBytes(13).toString('hex').replace(/[w-z]/g, 'a');
const copy = <T>(value: T): T => structuredClone(value);

export interface ListParams {
  syncToken?: string;
  pageToken?: string;
  maxResults?: number;
  showDeleted?: boolean;
  singleEvents?: boolean;
  timeMin?: string;
  timeMax?: string;
}

export class FakeCalendar {
  readonly id: string;
  readonly events = new Map<string, Stored>();
  readonly channels = new Map<string, FakeChannel>();
  /** Bumped to invalidate every sync and page token given out before (410). */
  epoch = 0;
  /** The next request carrying a page token answers 410 (a token expiring mid-paging). */
  goneOnNextPage = false;
  /** Called after every change, for push notifications. */
  onChange: (cal: FakeCalendar) => void = () => undefined;

  constructor(id: string) {
    this.id = id;
  }

  #put(resource: GEvent, createdSeq?: number): GEvent {
    const seq = nextSeq();
    const stored: Stored = {
      resource: { ...resource, etag: `"${seq}${Date.now()}"`, updated: new Date().toISOString() },
      seq,
      createdSeq: createdSeq ?? seq,
    };
    this.events.set(String(resource.id), stored);
    this.onChange(this);
    return copy(stored.resource);
  }

  #existing(id: string, ifMatch?: string): Stored {
    const stored = this.events.get(id);
    if (!stored) throw new FakeGoogleError(404, 'notFound', 'Not Found');
    if (ifMatch && ifMatch !== '*' && ifMatch !== stored.resource.etag)
      throw new FakeGoogleError(412, 'conditionNotMet', 'Precondition Failed');
    return stored;
  }

  get(id: string): GEvent {
    return copy(this.#existing(id).resource);
  }

  insert(body: GEvent): GEvent {
    const id = body.id ?? newId();
    if (!idPattern.test(id)) throw new FakeGoogleError(400, 'invalid', 'Invalid resource id value.');
    if (this.events.has(id)) throw new FakeGoogleError(409, 'duplicate', 'The requested identifier already exists.');
    if (!body.start || !body.end) throw new FakeGoogleError(400, 'required', 'Missing end time.');
    return this.#put({
      kind: 'calendar#event',
      status: 'confirmed',
      eventType: 'default',
      ...copy(body),
      id,
      iCalUID: body.iCalUID ?? `${id}@google.com`,
      created: new Date().toISOString(),
    });
  }

  patch(id: string, body: GEvent, ifMatch?: string): GEvent {
    const stored = this.#existing(id, ifMatch);
    const merged: GEvent = { ...stored.resource, ...copy(body), id };
    // Patch merges nested objects one level down (extendedProperties.private keeps other keys).
    if (body.extendedProperties) {
      merged.extendedProperties = {
        private: { ...stored.resource.extendedProperties?.private, ...body.extendedProperties.private },
        shared: { ...stored.resource.extendedProperties?.shared, ...body.extendedProperties.shared },
      };
    }
    return this.#put(merged, stored.createdSeq);
  }

  update(id: string, body: GEvent, ifMatch?: string): GEvent {
    const stored = this.#existing(id, ifMatch);
    const { iCalUID, created, kind, recurringEventId, originalStartTime } = stored.resource;
    const next = { status: 'confirmed', eventType: 'default', ...copy(body), id, iCalUID, created, kind };
    return this.#put({ ...next, recurringEventId, originalStartTime }, stored.createdSeq);
  }

  /** Deleting keeps a tombstone (`cancelled`): sync tokens report it, the id stays taken. */
  delete(id: string, ifMatch?: string): void {
    const stored = this.#existing(id, ifMatch);
    if (stored.resource.status === 'cancelled') throw new FakeGoogleError(410, 'deleted', 'Resource has been deleted');
    this.#put({ ...stored.resource, status: 'cancelled' }, stored.createdSeq);
  }

  /** An overridden or cancelled instance of a series, as Google stores it. */
  exception(masterId: string, originalStart: string, body: GEvent): GEvent {
    const master = this.#existing(masterId).resource;
    const stamp = originalStart.replace(/[-:]/g, '').replace(/\.\d+/, '');
    const id = `${masterId}_${stamp}`;
    const existing = this.events.get(id);
    const originalStartTime = { dateTime: originalStart, timeZone: master.start?.timeZone ?? 'UTC' };
    const resource: GEvent = {
      ...master,
      recurrence: undefined,
      start: originalStartTime,
      end: { dateTime: shift(originalStart, master), timeZone: master.end?.timeZone ?? 'UTC' },
      ...(existing?.resource ?? {}),
      ...copy(body),
      id,
      recurringEventId: masterId,
      originalStartTime,
    };
    delete resource.recurrence;
    return this.#put(resource, existing?.createdSeq);
  }

  list(params: ListParams): calendar_v3.Schema$Events {
    const cursor = this.#cursor(params);
    const max = Math.min(params.maxResults ?? 250, 2500);
    const candidates = [...this.events.values()]
      .filter((s) => s.createdSeq > cursor.after && this.#visible(s, cursor, params))
      .sort((a, b) => a.createdSeq - b.createdSeq);
    const page = candidates.slice(0, max);
    const more = candidates.length > max;
    const last = page.at(-1);
    const answer: calendar_v3.Schema$Events = {
      kind: 'calendar#events',
      summary: this.id,
      timeZone: 'UTC',
      items: page.map((s) => (cursor.full || s.resource.status !== 'cancelled' ? copy(s.resource) : tombstone(s))),
    };
    if (more && last) answer.nextPageToken = encode({ ...cursor, after: last.createdSeq });
    else answer.nextSyncToken = encode({ ...cursor, full: false, since: cursor.upto, upto: 0, after: 0 });
    return answer;
  }

  #cursor(params: ListParams): Cursor {
    if (params.pageToken) {
      const cursor = decode(params.pageToken);
      if (this.goneOnNextPage || cursor.epoch !== this.epoch) {
        this.goneOnNextPage = false;
        throw new FakeGoogleError(410, 'fullSyncRequired', 'Sync token is no longer valid, a full sync is required.');
      }
      return cursor;
    }
    if (params.syncToken) {
      if (params.timeMin || params.timeMax)
        throw new FakeGoogleError(400, 'invalid', 'Sync token cannot be used with timeMin or timeMax.');
      const token = decode(params.syncToken);
      if (token.epoch !== this.epoch)
        throw new FakeGoogleError(410, 'fullSyncRequired', 'Sync token is no longer valid, a full sync is required.');
      return { ...token, full: false, upto: clock, after: 0 };
    }
    return { epoch: this.epoch, full: true, showDeleted: params.showDeleted ?? false, since: 0, upto: clock, after: 0 };
  }

  #visible(s: Stored, cursor: Cursor, params: ListParams): boolean {
    if (!cursor.full) return s.seq > cursor.since;
    if (params.timeMax && startOf(s.resource) >= Date.parse(params.timeMax) && !s.resource.recurrence) return false;
    if (params.timeMin && endOf(s.resource) <= Date.parse(params.timeMin) && !s.resource.recurrence) return false;
    if (s.resource.status !== 'cancelled' || cursor.showDeleted) return true;
    // As Google: cancelled instances of a live series still come with singleEvents=false.
    const master = s.resource.recurringEventId ? this.events.get(s.resource.recurringEventId) : undefined;
    return master !== undefined && master.resource.status !== 'cancelled';
  }

  /** The series' occurrences (expanded in UTC, enough for a fake), overrides and cancellations applied. */
  instances(masterId: string, timeMin?: string, timeMax?: string): GEvent[] {
    const master = this.#existing(masterId).resource;
    const rule = (master.recurrence ?? []).find((line) => line.startsWith('RRULE:'));
    if (!rule || !master.start?.dateTime) return [];
    const exdates = new Set(
      (master.recurrence ?? []).filter((l) => l.startsWith('EXDATE')).flatMap((l) => parseExdates(l)),
    );
    const from = timeMin ? new Date(timeMin) : new Date(Date.parse(master.start.dateTime) - 1);
    const to = timeMax ? new Date(timeMax) : new Date(Date.parse(master.start.dateTime) + 366 * 86_400_000);
    const dtstart = new Date(master.start.dateTime);
    const starts = rrule.rrulestr(rule.slice(6), { dtstart }).between(from, to, true);
    return starts
      .filter((d) => !exdates.has(d.getTime()))
      .map((d) => {
        const iso = d.toISOString().replace('.000Z', 'Z');
        const override = this.events.get(`${masterId}_${iso.replace(/[-:]/g, '')}`);
        if (override) return copy(override.resource);
        return {
          ...copy(master),
          id: `${masterId}_${iso.replace(/[-:]/g, '')}`,
          recurrence: undefined,
          recurringEventId: masterId,
          originalStartTime: { dateTime: iso, timeZone: master.start?.timeZone },
          start: { dateTime: iso, timeZone: master.start?.timeZone },
          end: { dateTime: shift(iso, master), timeZone: master.end?.timeZone },
        };
      })
      .filter((e) => e.status !== 'cancelled');
  }

  /** Busy intervals: confirmed, opaque events and instances overlapping the range. */
  busy(timeMin: string, timeMax: string): { start: string; end: string }[] {
    const from = Date.parse(timeMin);
    const to = Date.parse(timeMax);
    const out: { start: string; end: string }[] = [];
    for (const { resource } of this.events.values()) {
      if (resource.status === 'cancelled' || resource.transparency === 'transparent') continue;
      if (resource.recurringEventId) continue;
      const occurrences = resource.recurrence ? this.instances(String(resource.id), timeMin, timeMax) : [resource];
      for (const e of occurrences) {
        if (e.transparency === 'transparent' || startOf(e) >= to || endOf(e) <= from) continue;
        out.push({ start: new Date(startOf(e)).toISOString(), end: new Date(endOf(e)).toISOString() });
      }
    }
    return out.sort((a, b) => a.start.localeCompare(b.start));
  }

  stored(): GEvent[] {
    return [...this.events.values()].map((s) => copy(s.resource));
  }
}

/** What an incremental listing says about a deleted event: little more than its id. */
function tombstone(s: Stored): GEvent {
  const { id, etag, recurringEventId, originalStartTime, updated } = s.resource;
  return { kind: 'calendar#event', id, etag, status: 'cancelled', updated, recurringEventId, originalStartTime };
}

const startOf = (e: GEvent) => Date.parse(e.start?.dateTime ?? `${e.start?.date}T00:00:00Z`);
const endOf = (e: GEvent) => Date.parse(e.end?.dateTime ?? `${e.end?.date}T00:00:00Z`);

function shift(start: string, master: GEvent): string {
  const length = endOf(master) - startOf(master);
  return new Date(Date.parse(start) + length).toISOString().replace('.000Z', 'Z');
}

/** `EXDATE;TZID=UTC:20260310T090000Z,…` or `EXDATE:20260310T090000Z` → instants (UTC only: the fake's zone). */
function parseExdates(line: string): number[] {
  const values = line.slice(line.indexOf(':') + 1).split(',');
  return values.map((v) => {
    const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})/.exec(v);
    return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : NaN;
  });
}
