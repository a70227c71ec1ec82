import type { ClientSession } from 'mongoose';
import type { FeedResource, FeedType } from '@crewdeck/shared/feed';
import type { NotificationKind } from '@crewdeck/shared/notifications';
import type { AuditDraft, AuditWriter } from '../audit/audit.writer.ts';
import { Mutex } from '../audit/mutex.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { RequestContext } from '../http/context.ts';
import type { FeedEntryDoc } from './feed.model.ts';
import { presentFeedEntry } from './feed.presenter.ts';
import type { FeedRepository } from './feed.repository.ts';

/** Who is notified of an entry, and why. */
export interface NotifyDraft {
  kind: NotificationKind;
  userIds: string[];
  task: { id: string; code: string; title: string };
  data?: Record<string, unknown>;
}

/** What a service says about one change; the publisher adds seq, time and actor. */
export interface FeedDraft {
  type: FeedType;
  projectId: string;
  resource: FeedResource;
  data?: Record<string, unknown>;
  /** Users the change concerns ("My assignments"). */
  audience?: string[];
  notify?: NotifyDraft[];
}

/** A project membership change that must move live sockets in or out of the project room. */
export interface AccessChange {
  projectId: string;
  userId: string;
  canRead: boolean;
}

/** The outcome of a change: its result, journal entry, feed entries and access changes. */
export interface Published<T> {
  result: T;
  audit: AuditDraft | null;
  feed: FeedDraft[];
  access?: AccessChange[];
}

export type PublishedWork<T> = (session: ClientSession) => Promise<Published<T>>;

/**
 * The one publisher of changes. Under one mutex it runs the change, its journal entry and
 * its feed entries (with fresh sequence numbers) in one transaction, then moves sockets
 * between rooms and raises `feed.appended` (which emits over Socket.IO) — in that order, so
 * nothing is emitted that was not stored and no client sees seq 7 before 6. Resuming
 * clients take the same mutex (`exclusive`) to replay and join rooms without a gap.
 */
export class FeedPublisher {
  readonly #audit: AuditWriter;
  readonly #repo: FeedRepository;
  readonly #events: EventBus;
  readonly #mutex = new Mutex();

  constructor(deps: { audit: AuditWriter; repo: FeedRepository; events: EventBus }) {
    this.#audit = deps.audit;
    this.#repo = deps.repo;
    this.#events = deps.events;
  }

  async publish<T>(ctx: RequestContext, work: PublishedWork<T>): Promise<T> {
    return this.#mutex.run(async () => {
      let stored: Omit<FeedEntryDoc, '_id'>[] = [];
      let outcome: Published<T> | undefined;
      await this.#audit.write(ctx, async (session) => {
        outcome = await work(session);
        stored = await this.#append(ctx, outcome.feed, session);
        return { result: undefined, audit: outcome.audit };
      });
      if (!outcome) throw new Error('publish: work did not run');
      for (const change of outcome.access ?? []) this.#events.emit('project.accessChanged', change);
      stored.forEach((doc, i) => {
        this.#events.emit('feed.appended', { entry: presentFeedEntry(doc), notify: outcome?.feed[i]?.notify ?? [] });
      });
      return outcome.result;
    });
  }

  /** Runs `task` while no entry can be stored or emitted (resume: replay, then join rooms). */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    return this.#mutex.run(task);
  }

  async #append(ctx: RequestContext, drafts: FeedDraft[], session: ClientSession): Promise<Omit<FeedEntryDoc, '_id'>[]> {
    if (drafts.length === 0) return [];
    const first = await this.#repo.reserve(drafts.length, session);
    const at = new Date();
    const actor = ctx.actor ? { id: ctx.actor.id, name: ctx.actor.name } : null;
    const docs = drafts.map((d, i) => ({
      seq: first + i,
      type: d.type,
      at,
      actor,
      projectId: d.projectId,
      resource: d.resource,
      data: d.data ?? {},
      audience: [...new Set(d.audience ?? [])],
    }));
    await this.#repo.insert(docs, session);
    return docs;
  }
}
