// Crewdeck → Google, after our commit. Inserts use a deterministic id (a retried insert answers
// 409 instead of duplicating), updates and deletes carry If-Match, and a change whose synced
// fields hash like the link's is an echo and is not written at all.
import type { calendar_v3 } from 'googleapis';
import type { EventDoc, GoogleLinkDoc } from '../calendar.model.ts';
import { googleError, type UserCalendar } from './google-client.ts';
import type { GoogleEventLinks } from './google.repository.ts';
import { toOid } from './google.repository.ts';
import { fieldsOf, googleIdOf, hashFields, toGoogle, type GEvent } from './google-mapping.ts';

export interface Target {
  cal: UserCalendar;
  /** The connection's current full-sync mark, so the next sweep does not drop the new link. */
  mark: number;
}

type Log = (line: string) => void;
const gone = (error: unknown) => [404, 410].includes(googleError(error).status ?? 0);
const conflict = (error: unknown, status: number) => googleError(error).status === status;
const ifMatch = (etag: string | null) => (etag ? { headers: { 'If-Match': etag } } : {});

const linkOf = (doc: EventDoc | null, userId: string) => doc?.google.find((l) => String(l.userId) === userId) ?? null;
const takesPart = (doc: EventDoc, userId: string) =>
  doc.participants.some((p) => String(p) === userId) &&
  !doc.attendees.some((a) => String(a.userId) === userId && a.response === 'declined');

export class OutboundSync {
  readonly #links: GoogleEventLinks;
  readonly #log: Log;

  constructor(deps: { links: GoogleEventLinks; log: Log }) {
    this.#links = deps.links;
    this.#log = deps.log;
  }

  /**
   * Brings one user's Google copy of an event in line with `current` (null: deleted here).
   * `before` carries the link when the event is gone.
   */
  async push(userId: string, target: Target, before: EventDoc | null, current: EventDoc | null): Promise<void> {
    const link = linkOf(current, userId) ?? linkOf(before, userId);
    if (!current || !takesPart(current, userId)) {
      if (link) await this.#delete(target.cal, link);
      if (current && link) await this.#links.pullLink(current._id, userId);
      return;
    }
    const fields = fieldsOf(current);
    const hash = hashFields(fields);
    if (link && link.hash === hash) return;
    const body: GEvent = toGoogle(fields);
    if (current.source === 'crewdeck') body.extendedProperties = { private: { crewdeckId: String(current._id) } };
    let saved: GEvent | null;
    if (link) saved = await this.#patch(target.cal, link.eventId, link.etag, body);
    // Mirrored events always have their link; overridden instances of our series are not pushed yet.
    else if (current.source === 'google' || current.recurringEventId) return;
    else saved = await this.#insert(target.cal, googleIdOf(String(current._id)), body);
    if (!saved?.id) {
      if (link) await this.#links.pullLink(current._id, userId);
      return;
    }
    const next: GoogleLinkDoc = {
      userId: toOid(userId),
      eventId: saved.id,
      etag: saved.etag ?? null,
      hash,
      mark: target.mark,
    };
    await this.#links.setLink(current._id, next);
  }

  async #insert(cal: UserCalendar, id: string, body: GEvent): Promise<GEvent | null> {
    try {
      return await cal.call((api) =>
        api.events.insert({ calendarId: 'primary', sendUpdates: 'none', requestBody: { ...body, id } }),
      );
    } catch (error) {
      if (!conflict(error, 409)) throw error;
    }
    // Already there: an earlier attempt got through before we could record it.
    const existing = await cal.call((api) => api.events.get({ calendarId: 'primary', eventId: id }));
    // The person deleted our copy from their calendar: respect it rather than resurrect it.
    if (existing.status === 'cancelled') return null;
    return this.#patch(cal, id, existing.etag ?? null, body);
  }

  /**
   * Patch sends only Crewdeck's fields, so Google's attendees and RSVP answers are never touched
   * (Google wins those); on 412 we re-read, log the overwrite, and apply ours on the fresh etag.
   */
  async #patch(cal: UserCalendar, eventId: string, etag: string | null, body: GEvent): Promise<GEvent | null> {
    const patch = (tag: string | null) =>
      cal.call((api) =>
        api.events.patch({ calendarId: 'primary', eventId, sendUpdates: 'none', requestBody: body }, ifMatch(tag)),
      );
    try {
      return await patch(etag);
    } catch (error) {
      if (gone(error)) return null;
      if (!conflict(error, 412)) throw error;
    }
    const fresh = await this.#get(cal, eventId);
    if (!fresh || fresh.status === 'cancelled') return null;
    this.#log(
      `[google] ${eventId} changed in Google meanwhile; Crewdeck's fields overwrite: ${changedKeys(fresh, body)}`,
    );
    return patch(fresh.etag ?? null);
  }

  async #delete(cal: UserCalendar, link: GoogleLinkDoc): Promise<void> {
    const remove = (tag: string | null) =>
      cal.call((api) =>
        api.events.delete({ calendarId: 'primary', eventId: link.eventId, sendUpdates: 'none' }, ifMatch(tag)),
      );
    try {
      await remove(link.etag);
      return;
    } catch (error) {
      if (gone(error)) return;
      if (!conflict(error, 412)) throw error;
    }
    // Changed in Google since we last saw it; the deletion here still wins, on the fresh etag.
    const fresh = await this.#get(cal, link.eventId);
    if (!fresh || fresh.status === 'cancelled') return;
    await remove(fresh.etag ?? null).catch((error: unknown) => {
      if (!gone(error)) throw error;
    });
  }

  async #get(cal: UserCalendar, eventId: string): Promise<calendar_v3.Schema$Event | null> {
    try {
      return await cal.call((api) => api.events.get({ calendarId: 'primary', eventId }));
    } catch (error) {
      if (gone(error)) return null;
      throw error;
    }
  }
}

function changedKeys(fresh: GEvent, ours: GEvent): string {
  const keys = (Object.keys(ours) as (keyof GEvent)[]).filter(
    (k) => JSON.stringify(fresh[k] ?? null) !== JSON.stringify(ours[k] ?? null),
  );
  return keys.join(', ') || 'none';
}
