// Google → Crewdeck. Each listing page is applied in ONE transaction that also rewrites the
// connection (the last page saves the new sync token): a crash between the two leaves the old
// token, and replaying a page is idempotent (events are found by their link), so no duplicates;
// two workers on the same user both rewrite the connection, so one retries on the other's state.
import mongoose, { type ClientSession } from 'mongoose';
import type { EventDoc, GoogleLinkDoc } from '../calendar.model.ts';
import { rangeEndOf } from '../recurrence.ts';
import {
  removeMirroredAbsence,
  sweepMirroredAbsences,
  upsertMirroredAbsence,
} from '../../schedules/absences.repository.ts';
import type { UserCalendar } from './google-client.ts';
import { googleError } from './google-client.ts';
import type { ConnectionChanges, GoogleConnections, GoogleEventLinks } from './google.repository.ts';
import { toOid } from './google.repository.ts';
import * as map from './google-mapping.ts';
import type { GEvent } from './google-mapping.ts';

export interface Change {
  before: EventDoc | null;
  after: EventDoc | null;
}

export interface InboundHooks {
  /** Test seam: throwing here simulates a crash right before the sync token is saved. */
  beforeTokenSave?: (userId: string) => void;
}

interface Pass {
  userId: string;
  full: boolean;
  mark: number;
  zone: string;
  /** Exceptions whose series came on a later page. */
  deferred: GEvent[];
  imported: number;
}

const isMaster = (g: GEvent) => !g.recurringEventId;

export class InboundSync {
  readonly #connections: GoogleConnections;
  readonly #links: GoogleEventLinks;
  readonly #pageSize: number;
  readonly #hooks: InboundHooks;

  constructor(deps: {
    connections: GoogleConnections;
    links: GoogleEventLinks;
    pageSize: number;
    hooks?: InboundHooks;
  }) {
    this.#connections = deps.connections;
    this.#links = deps.links;
    this.#pageSize = deps.pageSize;
    this.#hooks = deps.hooks ?? {};
  }

  /** One sync; on 410 the sync state is dropped and a full (mark and sweep) sync runs instead. */
  async run(userId: string, cal: UserCalendar, onCommit: (changes: Change[]) => void): Promise<void> {
    const conn = await this.#connections.find(userId);
    if (!conn) return;
    try {
      await this.#pass(userId, cal, conn.syncToken, conn.fullSyncMark, onCommit);
    } catch (error) {
      if (googleError(error).status !== 410) throw error;
      await this.#connections.update(userId, { syncToken: null });
      const fresh = await this.#connections.find(userId);
      await this.#pass(userId, cal, null, fresh?.fullSyncMark ?? conn.fullSyncMark, onCommit);
    }
  }

  async #pass(
    userId: string,
    cal: UserCalendar,
    syncToken: string | null,
    mark: number,
    onCommit: (c: Change[]) => void,
  ) {
    const pass: Pass = {
      userId,
      full: !syncToken,
      mark: syncToken ? mark : mark + 1,
      zone: 'UTC',
      deferred: [],
      imported: 0,
    };
    let pageToken: string | undefined;
    for (let page = 1; ; page += 1) {
      const listed = await cal.call((api) =>
        api.events.list({
          calendarId: 'primary',
          maxResults: this.#pageSize,
          singleEvents: false,
          ...(pageToken ? { pageToken } : syncToken ? { syncToken } : {}),
        }),
      );
      pass.zone = listed.timeZone ?? pass.zone;
      const last = !listed.nextPageToken;
      // Paging goes on through empty pages: the token only comes with the last one.
      if (last && !listed.nextSyncToken) throw new Error('Google listing ended without a sync token');
      const changes = await this.#commitPage(
        pass,
        listed.items ?? [],
        last ? (listed.nextSyncToken ?? null) : null,
        page,
      );
      onCommit(changes);
      if (last) return;
      pageToken = listed.nextPageToken ?? undefined;
    }
  }

  async #commitPage(pass: Pass, items: GEvent[], nextSyncToken: string | null, page: number): Promise<Change[]> {
    const session = await mongoose.startSession();
    let changes: Change[] = [];
    let outcome: Pass = pass;
    try {
      await session.withTransaction(async () => {
        // A retried attempt starts again from the pass as it was before this page.
        changes = [];
        outcome = { ...pass, deferred: [] };
        const ordered = [...pass.deferred, ...items.filter(isMaster), ...items.filter((g) => !isMaster(g))];
        for (const g of ordered) await this.#apply(outcome, g, session, changes);
        const set: ConnectionChanges = pass.full ? { fullSyncMark: pass.mark, state: 'syncing' } : {};
        if (pass.full) set.progress = nextSyncToken ? 1 : page / (page + 1);
        if (nextSyncToken) {
          if (pass.full) await this.#sweep(pass, session, changes);
          this.#hooks.beforeTokenSave?.(pass.userId);
          Object.assign(set, {
            syncToken: nextSyncToken,
            lastSyncAt: new Date(),
            progress: null,
            state: 'ok',
            lastError: null,
          });
        }
        await this.#connections.touch(pass.userId, set, outcome.imported - pass.imported, session);
      });
    } finally {
      await session.endSession();
    }
    Object.assign(pass, { deferred: outcome.deferred, imported: outcome.imported });
    return changes;
  }

  async #apply(pass: Pass, g: GEvent, session: ClientSession, changes: Change[]): Promise<void> {
    if (!g.id) return;
    if (g.status === 'cancelled') return this.#cancelled(pass, g, session, changes);
    const ours = map.crewdeckIdOf(g);
    if (ours) return this.#ours(pass, g, ours, session, changes);
    if (g.eventType === 'workingLocation') return;
    if (g.eventType === 'outOfOffice') {
      const days = map.absenceDays(g, pass.zone);
      const title = g.summary ?? 'Out of office';
      return upsertMirroredAbsence(
        { userId: pass.userId, googleEventId: g.id, ...days, title, mark: pass.mark },
        session,
      );
    }
    // No longer (or never) out of office: no absence mirrors it.
    await removeMirroredAbsence(pass.userId, g.id, session);
    const fields = map.fromGoogle(g, pass.zone);
    const link = this.#link(pass, g, map.hashFields(fields));
    const existing = await this.#links.byGoogleId(pass.userId, g.id, session);
    if (existing) return this.#update(pass, existing, fields, link, session, changes);
    let series: EventDoc | null = null;
    if (g.recurringEventId) {
      series = await this.#links.byGoogleId(pass.userId, g.recurringEventId, session);
      if (!series) return void pass.deferred.push(g);
    }
    const user = toOid(pass.userId);
    const created = await this.#links.insert(
      {
        ...fields,
        calendarId: user,
        organizerId: user,
        attendees: [],
        participants: [user],
        recurringEventId: series?._id ?? null,
        originalStart: series ? map.originalStartOf(g) : null,
        rangeEnd: rangeEndOf(fields),
        reminders: [],
        visibility: 'default',
        source: 'google',
        google: [link],
        version: 1,
        createdBy: user,
        updatedBy: null,
      },
      session,
    );
    pass.imported += 1;
    changes.push({ before: null, after: created });
  }

  #link(pass: Pass, g: GEvent, hash: string): GoogleLinkDoc {
    return { userId: toOid(pass.userId), eventId: String(g.id), etag: g.etag ?? null, hash, mark: pass.mark };
  }

  async #update(
    pass: Pass,
    existing: EventDoc,
    fields: map.SyncedFields,
    link: GoogleLinkDoc,
    session: ClientSession,
    changes: Change[],
  ) {
    const old = existing.google.find((l) => String(l.userId) === pass.userId);
    // Same hash: nothing changed in Google since we last wrote or read it (an echo, or a full
    // listing re-reading it). Local edits not yet pushed survive because they are not overwritten.
    if (old && old.hash === link.hash) {
      if (old.etag !== link.etag || old.mark !== link.mark) await this.#links.setLink(existing._id, link, session);
      return;
    }
    // Instances cancelled in Google are their own (cancelled) exceptions, not EXDATEs of the
    // series: keep the ones we recorded when the series itself changes.
    const exdates = [...new Map([...existing.exdates, ...fields.exdates].map((d) => [d.getTime(), d])).values()];
    const set = { ...fields, exdates, rangeEnd: rangeEndOf(fields), updatedBy: toOid(pass.userId) };
    const after = await this.#links.updateMirrored(existing._id, set, link, session);
    changes.push({ before: existing, after });
  }

  /** One of our events, back in the listing: never imported as a copy; only its mark and etag move. */
  async #ours(pass: Pass, g: GEvent, crewdeckId: string, session: ClientSession, changes: Change[]) {
    const local = await this.#links.byId(crewdeckId, session);
    if (!local) return;
    const old = local.google.find((l) => String(l.userId) === pass.userId);
    const hash = old?.hash ?? map.hashFields(map.fromGoogle(g, pass.zone));
    if (!old || old.etag !== g.etag || old.mark !== pass.mark)
      await this.#links.setLink(local._id, this.#link(pass, g, hash), session);
    const answer = map.selfResponse(g);
    const attendee = local.attendees.find((a) => String(a.userId) === pass.userId);
    if (answer && attendee && attendee.response !== answer) {
      const after = await this.#links.setResponse(local._id, pass.userId, answer, session);
      changes.push({ before: local, after });
    }
  }

  async #cancelled(pass: Pass, g: GEvent, session: ClientSession, changes: Change[]): Promise<void> {
    const id = String(g.id);
    const existing = await this.#links.byGoogleId(pass.userId, id, session);
    if (existing?.source === 'google') {
      await this.#links.removeMirrored(existing._id, session);
      changes.push({ before: existing, after: null });
    } else if (existing) {
      // The user deleted our copy from their calendar: they no longer take part.
      await this.#links.pullLink(existing._id, pass.userId, session);
      const declined = existing.attendees.some((a) => String(a.userId) === pass.userId);
      if (declined)
        changes.push({
          before: existing,
          after: await this.#links.setResponse(existing._id, pass.userId, 'declined', session),
        });
    } else if (!g.recurringEventId) {
      await removeMirroredAbsence(pass.userId, id, session);
    }
    if (g.recurringEventId) await this.#cancelInstance(pass, g, session, changes);
  }

  /** A cancelled instance of a mirrored series: an EXDATE on our copy (the hash stays Google's view). */
  async #cancelInstance(pass: Pass, g: GEvent, session: ClientSession, changes: Change[]) {
    const series = await this.#links.byGoogleId(pass.userId, String(g.recurringEventId), session);
    const at = map.originalStartOf(g);
    if (!series || series.source !== 'google' || !at || series.exdates.some((d) => d.getTime() === at.getTime()))
      return;
    const link = series.google.find((l) => String(l.userId) === pass.userId);
    if (!link) return;
    const after = await this.#links.updateMirrored(
      series._id,
      { exdates: [...series.exdates, at] },
      { ...link, mark: pass.mark },
      session,
    );
    changes.push({ before: series, after });
  }

  /** After a full listing: what it did not return is gone from Google (listings never report deletions). */
  async #sweep(pass: Pass, session: ClientSession, changes: Change[]): Promise<void> {
    await sweepMirroredAbsences(pass.userId, pass.mark, session);
    for (const doc of await this.#links.unconfirmed(pass.userId, pass.mark, session)) {
      if (doc.source === 'google') {
        await this.#links.removeMirrored(doc._id, session);
        changes.push({ before: doc, after: null });
      } else {
        await this.#links.pullLink(doc._id, pass.userId, session);
      }
    }
  }
}
