import { limits } from '@crewdeck/shared/limits';
import type { AuditWriter } from '../audit/audit.writer.ts';
import type { EventBus } from '../events/event-bus.ts';
import { systemContext } from '../http/context.ts';
import type { UsersRepository } from '../users/users.repository.ts';
import { auditPerson, inactiveReason, toActor } from '../users/user-status.ts';
import type { ResolvedSession } from './auth.service.ts';
import { hashToken } from './auth.service.ts';
import { ExpiryTimers } from './expiry-timers.ts';
import type { SessionsRepository } from './sessions.repository.ts';

/**
 * Turns a session token into the current user, re-checking everything on every call: the
 * session is open, not idle, not past its absolute end, and the user is neither disabled
 * nor expired. A user found inactive loses every session at once.
 *
 * Expiry also takes effect at its instant without any request: every user with an expiry
 * this instance resolves gets a timer (`ExpiryTimers`) that revokes them then, through the
 * same `user.accessRevoked` event that closes their live connections on every transport.
 */
export class SessionResolver {
  readonly #users: UsersRepository;
  readonly #sessions: SessionsRepository;
  readonly #audit: AuditWriter;
  readonly #events: EventBus;
  readonly #timers = new ExpiryTimers((userId) => void this.#expire(userId));
  readonly #unsubscribe: () => void;

  constructor(deps: { users: UsersRepository; sessions: SessionsRepository; audit: AuditWriter; events: EventBus }) {
    this.#users = deps.users;
    this.#sessions = deps.sessions;
    this.#audit = deps.audit;
    this.#events = deps.events;
    this.#unsubscribe = this.#events.on('user.expiryChanged', ({ userId, expiresAt }) =>
      this.#timers.track(userId, expiresAt),
    );
  }

  async resolve(token: string): Promise<ResolvedSession | null> {
    const record = await this.#sessions.findOpenByTokenHash(hashToken(token));
    if (!record) return null;
    const now = new Date();
    const sessionId = String(record._id);
    const idleLimit = record.lastActivityAt.getTime() + limits.sessionIdleSeconds * 1000;
    if (now.getTime() >= idleLimit || now.getTime() >= record.expiresAt.getTime()) {
      // Ended at the last sign of life, so idle time never counts as time in the system.
      await this.#sessions.end(sessionId, 'idle', record.lastActivityAt);
      return null;
    }
    const user = await this.#users.findById(String(record.userId));
    if (!user) return null;
    const reason = inactiveReason(user, now);
    if (reason) {
      await this.revokeUser(String(user._id), reason);
      return null;
    }
    this.#timers.track(String(user._id), user.expiresAt);
    if (now.getTime() - record.lastActivityAt.getTime() >= limits.sessionTouchSeconds * 1000) {
      await this.#sessions.touch(sessionId, now);
    }
    return { actor: toActor(user), sessionId };
  }

  /**
   * True from the user's expiry instant on, as this instance knows it (no database read):
   * for hot paths such as each co-editing update, which must not be stored once the account
   * expired even if the revocation is still under way.
   */
  isExpired(userId: string): boolean {
    return this.#timers.isExpired(userId);
  }

  /** Ends every session of a user who lost access and tells live connections; false when none was open. */
  async revokeUser(userId: string, reason: 'disabled' | 'expired'): Promise<boolean> {
    const user = await this.#users.findById(userId);
    const ended = await this.#audit.write(systemContext, async (session) => {
      const ids = await this.#sessions.endAllForUser(userId, reason, { session });
      if (ids.length === 0) return { result: ids, audit: null };
      const audit = {
        action: 'auth.sessionEnded' as const,
        affectedUser: user ? auditPerson(user) : null,
        code: user?.code ?? null,
        note: `${ids.length} sessions ended: account ${reason}`,
      };
      return { result: ids, audit };
    });
    if (ended.length === 0) return false;
    this.#events.emit('user.accessRevoked', { userId, reason });
    return true;
  }

  /**
   * Finds users with open sessions who became inactive and revokes them (the safety net for
   * a missed timer), and refreshes the expiry timers from the database, which picks up
   * expiries changed through another instance.
   */
  async sweep(): Promise<void> {
    const now = new Date();
    const ids = await this.#sessions.usersWithOpenSessions();
    const inactive = await this.#users.inactiveAmong(ids, now);
    for (const user of inactive) {
      await this.revokeUser(String(user._id), inactiveReason(user, now) ?? 'disabled');
    }
    this.#timers.retain(new Set(ids));
    const tracked = this.#timers.tracked();
    if (tracked.length === 0) return;
    for (const user of await this.#users.findByIds(tracked)) this.#timers.track(String(user._id), user.expiresAt);
  }

  /** Stops the expiry timers (server shutdown). */
  close(): void {
    this.#unsubscribe();
    this.#timers.close();
  }

  /**
   * A timer ran out: revoke, unless the expiry moved meanwhile (then follow the new one). When
   * another instance ended the sessions first, this one still closes its own live connections
   * (its copy of that instance's event may be late or lost).
   */
  async #expire(userId: string): Promise<void> {
    try {
      const user = await this.#users.findById(userId);
      if (!user) return;
      const reason = inactiveReason(user, new Date());
      if (!reason) return this.#timers.track(userId, user.expiresAt);
      if (!(await this.revokeUser(userId, reason))) this.#events.emit('user.accessRevoked', { userId, reason });
    } catch (error) {
      console.error(`[crewdeck] expiring ${userId} failed`, error);
    }
  }
}
