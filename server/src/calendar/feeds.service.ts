import { createHash, randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import type { AuthedContext } from '../http/context.ts';
import { NotFoundError } from '../http/errors.ts';
import type { AccessControl } from '../permissions/access-control.ts';
import type { SecretBox } from '../security/secret-box.ts';
import type { UsersRepository } from '../users/users.repository.ts';
import { inactiveReason, toActor } from '../users/user-status.ts';
import type { FeedPublisher } from '../feed/feed.publisher.ts';
import { canReadDetails } from './calendar.access.ts';
import { FeedTokenModel, type CalendarDoc, type FeedTokenDoc } from './calendar.model.ts';
import { calendarResource } from './calendar.policy.ts';
import type { CalendarsRepository, EventsRepository } from './events.repository.ts';
import { buildIcs } from './ical.ts';
import type { TaskItems } from './task-items.ts';

const hash = (token: string) => createHash('sha256').update(token).digest('hex');
const oid = (id: string) => new mongoose.Types.ObjectId(id);
const DAY = 86_400_000;
/** How far back and ahead a feed reaches: calendar apps keep what they already have. */
const FEED_WINDOW = { pastDays: 180, taskAheadDays: 400 };
/** Rendered feeds kept in memory (a few hundred KB each at most). */
const RENDERED_MAX = 32;

export interface FeedAddress {
  url: string;
  webcal: string;
}

/** A rendered feed and its validator; `body` is null when the caller's copy is current (304). */
export interface RenderedFeed {
  body: string | null;
  etag: string;
}

export interface FeedsServiceDeps {
  events: EventsRepository;
  calendars: CalendarsRepository;
  access: AccessControl;
  users: UsersRepository;
  taskItems: TaskItems;
  box: SecretBox;
  publisher: FeedPublisher;
}

/**
 * Secret iCal subscription addresses, Google's "secret address" model: a random token in the
 * path, stored hashed (lookup) and sealed (to show the address again). Rotating replaces the
 * hash, so the old address answers 404 from that moment, on every instance.
 */
export class FeedsService {
  readonly #d: FeedsServiceDeps;
  /** Bodies by ETag, oldest first: calendar apps poll the same unchanged feed over and over. */
  readonly #rendered = new Map<string, string>();

  constructor(deps: FeedsServiceDeps) {
    this.#d = deps;
  }

  async address(ctx: AuthedContext, base: string, calendarId?: string): Promise<FeedAddress> {
    await this.#checkCalendar(ctx, calendarId);
    const existing = await FeedTokenModel.findOne({
      userId: oid(ctx.actor.id),
      calendarId: calendarId ? oid(calendarId) : null,
    }).lean<FeedTokenDoc>();
    if (existing) {
      try {
        return this.#url(base, this.#d.box.open(existing.tokenSealed));
      } catch {
        // Sealed under another key (CREWDECK_SECRET_KEY changed): the address cannot be shown
        // again, so a new one replaces it.
      }
    }
    return this.rotate(ctx, base, calendarId);
  }

  async rotate(ctx: AuthedContext, base: string, calendarId?: string): Promise<FeedAddress> {
    await this.#checkCalendar(ctx, calendarId);
    const token = randomBytes(24).toString('base64url');
    await this.#d.publisher.publish(ctx, async (session) => {
      await FeedTokenModel.updateOne(
        { userId: oid(ctx.actor.id), calendarId: calendarId ? oid(calendarId) : null },
        { $set: { tokenHash: hash(token), tokenSealed: this.#d.box.seal(token) } },
        { upsert: true, session },
      );
      return {
        result: undefined,
        audit: { action: 'calendar.feedRotate', permission: 'calendar.read', note: calendarId ?? 'personal' },
        feed: [],
      };
    });
    return this.#url(base, token);
  }

  /** The feed behind a token, as its owner may see it now; 404 for unknown tokens and inactive owners. */
  async render(token: string, publicUrl: string, ifNoneMatch?: string): Promise<RenderedFeed> {
    const found = await FeedTokenModel.findOne({ tokenHash: hash(token) }).lean<FeedTokenDoc>();
    if (!found) throw new NotFoundError('Feed');
    const [user] = await this.#d.users.findByIds([String(found.userId)]);
    if (!user || inactiveReason(user, new Date())) throw new NotFoundError('Feed');
    const actor = toActor(user);
    if (!this.#d.access.can(actor, 'calendar.read')) throw new NotFoundError('Feed');
    const since = new Date(Date.now() - FEED_WINDOW.pastDays * DAY);
    let calendar: CalendarDoc | null = null;
    if (found.calendarId) {
      calendar = await this.#d.calendars.findById(String(found.calendarId));
      if (!calendar || !this.#d.access.can(actor, 'calendar.read', calendarResource(calendar)))
        throw new NotFoundError('Feed');
    }
    const series = await this.#d.events.allOf(
      calendar ? { calendarId: String(calendar._id) } : { userId: actor.id },
      since,
    );
    const calendars = new Map<string, CalendarDoc | null>();
    const calendarOf = async (id: string) => {
      if (!calendars.has(id)) calendars.set(id, await this.#d.calendars.findById(id));
      return calendars.get(id) ?? null;
    };
    const events = [];
    for (const { master, overrides } of series) {
      for (const doc of [master, ...overrides]) {
        const busyOnly = !canReadDetails(this.#d.access, actor, doc, await calendarOf(String(doc.calendarId)));
        events.push({ event: doc, busyOnly });
      }
    }
    const tasks = calendar
      ? []
      : await this.#d.taskItems.forUser(actor, actor.id, since, new Date(Date.now() + FEED_WINDOW.taskAheadDays * DAY));
    // The validator comes from what the feed is made of, so a revalidation skips building it.
    const etag = `"${createHash('sha256')
      .update(
        JSON.stringify([
          publicUrl,
          calendar?.name ?? actor.name,
          events.map(({ event, busyOnly }) => [String(event._id), event.version, event.updatedAt.getTime(), busyOnly]),
          tasks,
        ]),
      )
      .digest('base64url')
      .slice(0, 32)}"`;
    if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag))
      return { body: null, etag };
    // The ETag covers everything the body is made of, so a body built for it can be served again.
    const cached = this.#rendered.get(etag);
    if (cached !== undefined) return { body: cached, etag };
    const body = buildIcs({
      name: calendar ? calendar.name : `Crewdeck — ${actor.name}`,
      events,
      tasks,
      publicUrl,
      domain: new URL(publicUrl).hostname || 'crewdeck.local',
    });
    this.#rendered.set(etag, body);
    if (this.#rendered.size > RENDERED_MAX) this.#rendered.delete(this.#rendered.keys().next().value as string);
    return { body, etag };
  }

  async #checkCalendar(ctx: AuthedContext, calendarId?: string): Promise<void> {
    await this.#d.access.authorize(ctx, 'calendar.read');
    if (!calendarId) return;
    const calendar = await this.#d.calendars.findById(calendarId);
    if (!calendar) throw new NotFoundError('Calendar');
    await this.#d.access.authorizeVisible(ctx, 'calendar.read', calendarResource(calendar), 'Calendar');
  }

  #url(base: string, token: string): FeedAddress {
    const url = `${base.replace(/\/$/, '')}/api/calendar/feeds/${token}.ics`;
    return { url, webcal: url.replace(/^https?:/, 'webcal:') };
  }
}
