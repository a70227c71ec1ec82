import { limits } from '@crewdeck/shared/limits';
import type { AuditWriter } from '../audit/audit.writer.ts';
import type { EventBus } from '../events/event-bus.ts';
import { systemContext } from '../http/context.ts';
import type { UsersRepository } from '../users/users.repository.ts';
import { auditPerson, inactiveReason, toActor } from '../users/user-status.ts';
import type { ResolvedSession } from './auth.service.ts';
import { hashToken } from './auth.service.ts';
import type { SessionsRepository } from './sessions.repository.ts';

/**
 * Turns a session token into the current user, re-checking everything on every call: the
 * session is open, not idle, not past its absolute end, and the user is neither disabled
 * nor expired. A user found inactive loses every session at once.
 */
export class SessionResolver {
  readonly #users: UsersRepository;
  readonly #sessions: SessionsRepository;
  readonly #audit: AuditWriter;
  readonly #events: EventBus;

  constructor(deps: { users: UsersRepository; sessions: SessionsRepository; audit: AuditWriter; events: EventBus }) {
    this.#users = deps.users;
    this.#sessions = deps.sessions;
    this.#audit = deps.audit;
    this.#events = deps.events;
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
    if (now.getTime() - record.lastActivityAt.getTime() >= limits.sessionTouchSeconds * 1000) {
      await this.#sessions.touch(sessionId, now);
    }
    return { actor: toActor(user), sessionId };
  }

  /** Ends every session of a user who lost access and tells live connections. */
  async revokeUser(userId: string, reason: 'disabled' | 'expired'): Promise<void> {
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
    if (ended.length > 0) this.#events.emit('user.accessRevoked', { userId, reason });
  }

  /** Finds users with open sessions who became inactive (e.g. expiry passed) and revokes them. */
  async sweep(): Promise<void> {
    const now = new Date();
    const ids = await this.#sessions.usersWithOpenSessions();
    const inactive = await this.#users.inactiveAmong(ids, now);
    for (const user of inactive) {
      await this.revokeUser(String(user._id), inactiveReason(user, now) ?? 'disabled');
    }
  }
}
