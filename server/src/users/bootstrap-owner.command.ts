import type { AuditWriter } from '../audit/audit.writer.ts';
import { generateOneTimePassword, hashPassword } from '../auth/passwords.ts';
import type { CountersRepository } from '../counters/counters.repository.ts';
import { systemContext } from '../http/context.ts';
import type { UsersRepository } from './users.repository.ts';
import { auditPerson } from './user-status.ts';

export interface BootstrapProps {
  login?: string;
  password?: string;
}

/**
 * First start: with no users at all, create the Owner. A generated password is one-time;
 * a password the operator chose (ADMIN_PASSWORD) is not.
 */
export async function bootstrapOwner(
  ctx: { users: UsersRepository; counters: CountersRepository; audit: AuditWriter },
  props: BootstrapProps,
): Promise<{ login: string; password: string } | null> {
  if ((await ctx.users.count()) > 0) return null;
  const login = (props.login ?? 'admin').trim().toLowerCase();
  const password = props.password ?? generateOneTimePassword();
  const passwordHash = await hashPassword(password);
  await ctx.audit.write(systemContext, async (session) => {
    const code = await ctx.counters.nextCode('USR', session);
    const user = await ctx.users.create(
      {
        code,
        name: 'Owner',
        login,
        passwordHash,
        role: 'Owner',
        groups: [],
        expiresAt: null,
        showInEmployees: true,
        mustChangePassword: props.password === undefined,
      },
      session,
    );
    const changes = [
      { field: 'role', from: null, to: 'Owner' },
      { field: 'login', from: null, to: login },
    ];
    return { result: user, audit: { action: 'system.bootstrap', affectedUser: auditPerson(user), code, changes } };
  });
  return { login, password };
}
