import type { NotificationSubjectKind } from '@crewdeck/shared/notifications';
import mongoose from 'mongoose';
import type { ProjectFeedEntry } from '@crewdeck/shared/feed';
import type {
  MarkReadResponse,
  NotificationKind,
  NotificationList,
  NotificationListQuery,
} from '@crewdeck/shared/notifications';
import { limits } from '@crewdeck/shared/limits';
import type { EventBus } from '../events/event-bus.ts';
import type { NotifyDraft } from '../feed/feed.drafts.ts';
import type { AuthedContext } from '../http/context.ts';
import type { NotificationDoc } from './notifications.model.ts';
import { presentNotification } from './notifications.presenter.ts';
import type { NotificationsRepository } from './notifications.repository.ts';

/** Kinds raised by the due-date sweep: at most one per task and person. */
const onceKinds: ReadonlySet<NotificationKind> = new Set(['dueSoon', 'overdue']);

export interface RaiseInput {
  kind: NotificationKind;
  userId: string;
  actor: { id: string; name: string } | null;
  projectId: string | null;
  task: { id: string; code: string; title: string } | null;
  subject?: { kind: NotificationSubjectKind; id: string; title: string } | null;
  data: Record<string, unknown>;
  /**
   * Raise at most once per key and person (e.g. a reminder per occurrence, "behind schedule"
   * per shortfall); the sweep kinds use the task id.
   */
  onceKey?: string;
}

/**
 * Stores notifications and raises `notification.created` (the gateway emits it to the
 * user's room). Fed by `feed.appended` for assignments, mentions and status changes, and
 * by the due-date sweep.
 */
export class NotificationsService {
  readonly #repo: NotificationsRepository;
  readonly #events: EventBus;
  readonly #mutedKinds: (userId: string) => Promise<readonly NotificationKind[]>;

  constructor(deps: {
    repo: NotificationsRepository;
    events: EventBus;
    /** Kinds the recipient turned off in their profile (none when absent). */
    mutedKinds?: (userId: string) => Promise<readonly NotificationKind[]>;
  }) {
    this.#repo = deps.repo;
    this.#events = deps.events;
    this.#mutedKinds = deps.mutedKinds ?? (async () => []);
  }

  /** Subscribes to the feed; returns the unsubscribe function. */
  listen(log: (error: unknown) => void): () => void {
    return this.#events.on('feed.appended', ({ entry, notify }) => {
      if (notify.length === 0) return;
      this.deliver(entry, notify).catch(log);
    });
  }

  async deliver(entry: ProjectFeedEntry, drafts: NotifyDraft[]): Promise<void> {
    for (const draft of drafts) {
      for (const userId of new Set(draft.userIds)) {
        await this.raise({
          kind: draft.kind,
          userId,
          actor: entry.actor,
          projectId: entry.projectId,
          task: draft.task,
          data: { ...draft.data, seq: entry.seq },
        });
      }
    }
  }

  /** Stores one notification and announces it; false when a sweep kind was already sent or the kind is off. */
  async raise(input: RaiseInput): Promise<boolean> {
    if ((await this.#mutedKinds(input.userId)).includes(input.kind)) return false;
    const onceKey = input.onceKey ?? (onceKinds.has(input.kind) ? input.task?.id : undefined);
    const dedupeKey =
      onceKey !== undefined ? `${input.kind}:${onceKey}:${input.userId}` : new mongoose.Types.ObjectId().toHexString();
    const { onceKey: _key, ...fields } = input;
    const doc = await this.#repo.insert({
      ...fields,
      subject: input.subject ?? null,
      read: false,
      at: new Date(),
      dedupeKey,
    });
    if (!doc) return false;
    this.#announce(input.userId, doc, await this.#repo.unreadCount(input.userId));
    return true;
  }

  async alreadySent(kind: NotificationKind, key: string, userId: string): Promise<boolean> {
    return this.#repo.exists(`${kind}:${key}:${userId}`);
  }

  async list(ctx: AuthedContext, query: NotificationListQuery): Promise<NotificationList> {
    const docs = await this.#repo.list(ctx.actor.id, {
      unreadOnly: query.unread === 'true',
      before: query.before,
      limit: query.limit ?? limits.pageDefault,
    });
    return { items: docs.map(presentNotification), unread: await this.#repo.unreadCount(ctx.actor.id) };
  }

  /** Own notifications only: the filter is the caller's id, so nobody marks someone else's. */
  async markRead(ctx: AuthedContext, id?: string): Promise<MarkReadResponse> {
    const updated = await this.#repo.markRead(ctx.actor.id, id);
    return { updated, unread: await this.#repo.unreadCount(ctx.actor.id) };
  }

  #announce(userId: string, doc: NotificationDoc, unread: number): void {
    this.#events.emit('notification.created', { userId, event: { notification: presentNotification(doc), unread } });
  }
}
