import type { ClientSession } from 'mongoose';
import type { AuditDraft, AuditWriter } from '../audit/audit.writer.ts';
import { Mutex } from '../audit/mutex.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { RequestContext } from '../http/context.ts';
import type { FeedDraft } from './feed.drafts.ts';
import type { NewFeedEntry } from './feed.model.ts';
import { presentFeedEntry } from './feed.presenter.ts';
import type { FeedRepository } from './feed.repository.ts';

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
 * between rooms and raises `feed.appended` / `library.feedAppended` (which emit over Socket.IO) — in that order, so
 * nothing is emitted that was not stored and no client sees seq 7 before 6. Resuming
 * clients page through what they missed without it, then take the same mutex (`exclusive`)
 * only for the last short page and joining rooms, so they close the gap without a duplicate.
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
      let stored: NewFeedEntry[] = [];
      let outcome: Published<T> | undefined;
      await this.#audit.write(ctx, async (session) => {
        outcome = await work(session);
        stored = await this.#append(ctx, outcome.feed, session);
        return { result: undefined, audit: outcome.audit };
      });
      if (!outcome) throw new Error('publish: work did not run');
      for (const change of outcome.access ?? []) this.#events.emit('project.accessChanged', change);
      stored.forEach((doc, i) => this.#announce(doc, outcome?.feed[i]));
      return outcome.result;
    });
  }

  /** Runs `task` while no entry can be stored or emitted (resume: the last short page, then joining rooms). */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    return this.#mutex.run(task);
  }

  /** Raised in seq order: project entries go to project rooms, library entries to their viewers. */
  #announce(doc: NewFeedEntry, draft: FeedDraft | undefined): void {
    const entry = presentFeedEntry(doc);
    if (entry.projectId === null) {
      this.#events.emit('library.feedAppended', { entry, viewers: doc.viewers });
      return;
    }
    this.#events.emit('feed.appended', {
      entry,
      notify: draft && draft.projectId !== null ? (draft.notify ?? []) : [],
    });
  }

  async #append(ctx: RequestContext, drafts: FeedDraft[], session: ClientSession): Promise<NewFeedEntry[]> {
    if (drafts.length === 0) return [];
    const first = await this.#repo.reserve(drafts.length, session);
    const at = new Date();
    const actor = ctx.actor ? { id: ctx.actor.id, name: ctx.actor.name } : null;
    const docs = drafts.map((d, i): NewFeedEntry => {
      const base = { seq: first + i, at, actor, data: d.data ?? {} };
      if (d.projectId === null) {
        return {
          ...base,
          type: d.type,
          projectId: null,
          resource: d.resource,
          audience: [],
          viewers: [...new Set(d.viewers)],
        };
      }
      return {
        ...base,
        type: d.type,
        projectId: d.projectId,
        resource: d.resource,
        audience: [...new Set(d.audience ?? [])],
        viewers: [],
      };
    });
    await this.#repo.insert(docs, session);
    return docs;
  }
}
