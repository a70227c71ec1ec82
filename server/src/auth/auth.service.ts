import { createHash, randomBytes } from 'node:crypto';
import type { ChangePassword, LoginInput } from '@crewdeck/shared/auth';
import { limits } from '@crewdeck/shared/limits';
import type { AuditWriter } from '../audit/audit.writer.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { Actor, AuthedContext, RequestContext } from '../http/context.ts';
import { ForbiddenError, InvalidCredentialsError, ValidationError } from '../http/errors.ts';
import type { UserDoc } from '../users/users.model.ts';
import type { UsersRepository } from '../users/users.repository.ts';
import { auditPerson, inactiveReason, toActor } from '../users/user-status.ts';
import type { LoginLimiter } from './login-limiter.ts';
import { hashPassword, newPasswordProblem, verifyPassword } from './passwords.ts';
import type { SessionsRepository } from './sessions.repository.ts';

export interface LoginResult {
  token: string;
  expiresAt: Date;
  actor: Actor;
  sessionId: string;
}

export interface ResolvedSession {
  actor: Actor;
  sessionId: string;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Login, logout, password change, and turning a session token back into a user. */
export class AuthService {
  readonly #users: UsersRepository;
  readonly #sessions: SessionsRepository;
  readonly #limiter: LoginLimiter;
  readonly #audit: AuditWriter;
  readonly #events: EventBus;

  constructor(deps: {
    users: UsersRepository;
    sessions: SessionsRepository;
    limiter: LoginLimiter;
    audit: AuditWriter;
    events: EventBus;
  }) {
    this.#users = deps.users;
    this.#sessions = deps.sessions;
    this.#limiter = deps.limiter;
    this.#audit = deps.audit;
    this.#events = deps.events;
  }

  async login(ctx: RequestContext, input: LoginInput): Promise<LoginResult> {
    const attempt = await this.#limiter.beginLogin(ctx.ip, input.login);
    const user = await this.#users.findByLogin(input.login);
    const valid = await verifyPassword(user?.passwordHash ?? null, input.password);
    if (!user || !valid) {
      const locked = await this.#limiter.recordLoginFailure(ctx.ip, input.login);
      const waits = attempt.waitSeconds > 0 ? `next attempt from this address in ${attempt.waitSeconds} s` : '';
      await this.#audit.record(ctx, {
        action: 'auth.loginFailed',
        outcome: 'failed',
        affectedUser: user ? auditPerson(user) : null,
        code: user?.code ?? null,
        // The attempted login is not journaled: people type passwords into login fields.
        note: [user ? 'wrong password' : 'unknown login', locked ? 'locked out' : '', waits].filter(Boolean).join('; '),
      });
      throw new InvalidCredentialsError();
    }
    // The password was right, so this was no guess, even when the account turns out inactive.
    await this.#limiter.recordLoginSuccess(ctx.ip, input.login);
    await this.#assertActive(ctx, user);
    return this.#openSession(ctx, user);
  }

  async #assertActive(ctx: RequestContext, user: UserDoc): Promise<void> {
    const reason = inactiveReason(user, new Date());
    if (!reason) return;
    await this.#audit.record(ctx, {
      action: 'auth.loginFailed',
      outcome: 'denied',
      affectedUser: auditPerson(user),
      code: user.code,
      note: `account ${reason}`,
    });
    throw new ForbiddenError(reason === 'disabled' ? 'This account is disabled' : 'This account has expired');
  }

  async #openSession(ctx: RequestContext, user: UserDoc): Promise<LoginResult> {
    const token = randomBytes(32).toString('base64url');
    const now = new Date();
    const expiresAt = new Date(now.getTime() + limits.sessionAbsoluteSeconds * 1000);
    const asUser = { ...ctx, actor: toActor(user) };
    const record = await this.#audit.write(asUser, async (session) => {
      const created = await this.#sessions.create(
        { tokenHash: hashToken(token), userId: String(user._id), ip: ctx.ip, userAgent: ctx.userAgent, now, expiresAt },
        session,
      );
      const note = `session ${String(created._id)}; ${ctx.userAgent.slice(0, 200)}`;
      return {
        result: created,
        audit: { action: 'auth.login', affectedUser: auditPerson(user), code: user.code, note },
      };
    });
    return { token, expiresAt, actor: asUser.actor, sessionId: String(record._id) };
  }

  async logout(ctx: AuthedContext): Promise<void> {
    await this.#audit.write(ctx, async (session) => {
      await this.#sessions.end(ctx.sessionId, 'logout', new Date(), session);
      return {
        result: undefined,
        audit: { action: 'auth.logout', code: ctx.actor.code, note: `session ${ctx.sessionId}` },
      };
    });
    this.#events.emit('sessions.ended', { userId: ctx.actor.id, sessionIds: [ctx.sessionId], reason: 'logout' });
  }

  /** Ends every session of the caller, the current one included. */
  async logoutAll(ctx: AuthedContext): Promise<number> {
    const ids = await this.#audit.write(ctx, async (session) => {
      const ended = await this.#sessions.endAllForUser(ctx.actor.id, 'logout_all', { session });
      return {
        result: ended,
        audit: { action: 'auth.logoutAll', code: ctx.actor.code, note: `${ended.length} sessions ended` },
      };
    });
    this.#events.emit('sessions.ended', { userId: ctx.actor.id, sessionIds: ids, reason: 'logout_all' });
    return ids.length;
  }

  /**
   * Replaces the password and ends the caller's other sessions. Wrong current passwords are
   * throttled per user, apart from logins, so a stolen session is no free guessing oracle
   * and cannot lock the owner out of signing in.
   */
  async changePassword(ctx: AuthedContext, input: ChangePassword): Promise<void> {
    const user = await this.#users.findById(ctx.actor.id);
    if (!user) throw new InvalidCredentialsError();
    await this.#limiter.beginPasswordChange(ctx.actor.id);
    if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
      throw new ValidationError({ currentPassword: 'Current password is incorrect' });
    }
    await this.#limiter.recordPasswordChangeSuccess(ctx.actor.id);
    const problem = await newPasswordProblem(user, input.newPassword);
    if (problem) throw new ValidationError({ newPassword: problem }, problem);
    const passwordHash = await hashPassword(input.newPassword);
    const ended = await this.#audit.write(ctx, async (session) => {
      await this.#users.update(ctx.actor.id, { passwordHash, mustChangePassword: false }, session);
      const others = await this.#sessions.endAllForUser(ctx.actor.id, 'password_changed', {
        session,
        exceptId: ctx.sessionId,
      });
      const changes = [{ field: 'password', from: '***', to: '***' }];
      return {
        result: others,
        audit: {
          action: 'auth.passwordChange',
          affectedUser: auditPerson(user),
          code: user.code,
          changes,
          note: `${others.length} other sessions ended`,
        },
      };
    });
    if (ended.length > 0) {
      this.#events.emit('sessions.ended', { userId: ctx.actor.id, sessionIds: ended, reason: 'password_changed' });
    }
  }
}
