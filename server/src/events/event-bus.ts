import { EventEmitter } from 'node:events';
import type { SessionEndReason } from '@crewdeck/shared/realtime';

/** Domain events raised by services after their write committed. */
export interface DomainEvents {
  /** Specific sessions ended (logout, logout-all, password change). */
  'sessions.ended': { userId: string; sessionIds: string[]; reason: SessionEndReason };
  /** A user lost access entirely (disabled, expired): every session of theirs ended. */
  'user.accessRevoked': { userId: string; reason: SessionEndReason };
  /** A user's role or groups changed: live connections must be re-authorized. */
  'user.accessChanged': { userId: string };
  /** The permission table changed: every live connection must be re-authorized. */
  'permissions.changed': Record<string, never>;
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
