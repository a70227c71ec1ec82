import { EventEmitter } from 'node:events';
import type { SessionEndReason } from '@crewdeck/shared/realtime';
import type { LibraryFeedEntry, ProjectFeedEntry } from '@crewdeck/shared/feed';
import type { NotificationEvent } from '@crewdeck/shared/notifications';
import type { PresenceDelta } from '@crewdeck/shared/projects';
import type { NotifyDraft } from '../feed/feed.drafts.ts';
import type { EventDoc } from '../calendar/calendar.model.ts';

/** Domain events raised by services after their write committed. */
export interface DomainEvents {
  /** Specific sessions ended (logout, logout-all, password change). */
  'sessions.ended': { userId: string; sessionIds: string[]; reason: SessionEndReason };
  /** A user lost access entirely (disabled, expired): every session of theirs ended. */
  'user.accessRevoked': { userId: string; reason: SessionEndReason };
  /** A user's expiry was set, moved or cleared: expiry timers are re-armed for the new instant. */
  'user.expiryChanged': { userId: string; expiresAt: Date | null };
  /** A user's role or groups changed: live connections must be re-authorized. */
  'user.accessChanged': { userId: string };
  /** The permission table changed: every live connection must be re-authorized. */
  'permissions.changed': Record<string, never>;
  /** Grants, ownership or existence of these library documents changed: co-editing connections are re-authorized. */
  'library.accessChanged': { documentIds: string[] };
  /**
   * The people editing a library document (on this instance) changed; for live "who is editing".
   * Raised after the cross-instance presence was written, so reading it back includes this change.
   */
  'library.presenceChanged': { documentId: string; userIds: string[] };
  /** A project member was added, removed or changed role: their live sockets join or leave the project room. */
  'project.accessChanged': { projectId: string; userId: string; canRead: boolean };
  /** Who is online in a project changed (a batch of joins and leaves): sent to the project room. */
  'project.presenceChanged': PresenceDelta;
  /** A project feed entry was stored (raised in seq order, before anything later is stored). */
  'feed.appended': { entry: ProjectFeedEntry; notify: NotifyDraft[] };
  /**
   * A library feed entry was stored (same seq order as `feed.appended`); `viewers` are the
   * users who could view the document at publish time, the only ones it is delivered to.
   */
  'library.feedAppended': { entry: LibraryFeedEntry; viewers: string[] };
  /**
   * A calendar event was created (`before` null), changed, or deleted (`after` null), after the
   * commit. `fromGoogle` names the connected user whose Google calendar the change came from, so
   * the outbound sync does not send it back to that same calendar (echo suppression).
   */
  'calendar.eventChanged': { before: EventDoc | null; after: EventDoc | null; fromGoogle: string | null };
  /** A notification was stored for `userId`. */
  'notification.created': { userId: string; event: NotificationEvent };
}

type Listener<K extends keyof DomainEvents> = (payload: DomainEvents[K]) => void;

/** Typed, synchronous in-process event bus. Listeners must not throw. */
export class EventBus {
  readonly #emitter = new EventEmitter();

  emit<K extends keyof DomainEvents>(name: K, payload: DomainEvents[K]): void {
    this.#emitter.emit(name, payload);
  }

  on<K extends keyof DomainEvents>(name: K, listener: Listener<K>): () => void {
    this.#emitter.on(name, listener);
    return () => this.#emitter.off(name, listener);
  }
}
