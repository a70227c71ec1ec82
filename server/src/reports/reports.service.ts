import type { PeriodQuery, TimeInSystem, UserTimeResponse } from '@crewdeck/shared/reports';
import { limits } from '@crewdeck/shared/limits';
import type { SessionsRepository } from '../auth/sessions.repository.ts';
import type { AuthedContext } from '../http/context.ts';
import { NotFoundError, ValidationError } from '../http/errors.ts';
import type { AccessControl } from '../permissions/access-control.ts';
import type { UsersRepository } from '../users/users.repository.ts';
import { auditPerson } from '../users/user-status.ts';
import { timeInSystem, type SessionSpan } from './time-in-system.ts';

function period(query: PeriodQuery): { from: Date; to: Date } {
  const parse = (v: string) => new Date(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00.000Z` : v);
  const from = parse(query.from);
  const to = parse(query.to);
  if (to.getTime() <= from.getTime()) throw new ValidationError({ to: 'Must be after from' });
  if (to.getTime() - from.getTime() > limits.reportPeriodMaxDays * 86_400_000) {
    throw new ValidationError({ to: `The period may span at most ${limits.reportPeriodMaxDays} days` });
  }
  return { from, to };
}

/** Time in the system, computed from session records (login, last activity, logout). */
export class ReportsService {
  readonly #sessions: SessionsRepository;
  readonly #users: UsersRepository;
  readonly #access: AccessControl;

  constructor(deps: { sessions: SessionsRepository; users: UsersRepository; access: AccessControl }) {
    this.#sessions = deps.sessions;
    this.#users = deps.users;
    this.#access = deps.access;
  }

  async forAll(ctx: AuthedContext, query: PeriodQuery): Promise<TimeInSystem> {
    await this.#access.authorize(ctx, 'report.timeInSystem');
    const { from, to } = period(query);
    const totals = timeInSystem(await this.#spans(from, to), from, to);
    const users = await this.#users.list({ includeDisabled: true });
    const items = users.map((u) => {
      const t = totals.get(String(u._id)) ?? { seconds: 0, sessions: 0 };
      return { userId: String(u._id), code: u.code, name: u.name, login: u.login, ...t };
    });
    return { from: from.toISOString(), to: to.toISOString(), items };
  }

  async forUser(ctx: AuthedContext, userId: string, query: PeriodQuery): Promise<UserTimeResponse> {
    const user = await this.#users.findById(userId);
    if (!user) throw new NotFoundError('User');
    const resource = { kind: 'user' as const, id: userId, role: user.role };
    await this.#access.authorize(ctx, 'user.viewTime', resource, { affectedUser: auditPerson(user), code: user.code });
    const { from, to } = period(query);
    const t = timeInSystem(await this.#spans(from, to, userId), from, to).get(userId) ?? { seconds: 0, sessions: 0 };
    const item = { userId, code: user.code, name: user.name, login: user.login, ...t };
    return { from: from.toISOString(), to: to.toISOString(), item };
  }

  async #spans(from: Date, to: Date, userId?: string): Promise<SessionSpan[]> {
    const sessions = await this.#sessions.overlapping(from, to, userId);
    return sessions.map((s) => ({ userId: String(s.userId), start: s.createdAt, end: s.endedAt ?? s.lastActivityAt }));
  }
}
