import { AuditRepository } from './audit/audit.repository.ts';
import { AuditService } from './audit/audit.service.ts';
import { AuditWriter } from './audit/audit.writer.ts';
import { AuthService } from './auth/auth.service.ts';
import { LoginLimiter } from './auth/login-limiter.ts';
import { SessionResolver } from './auth/session-resolver.ts';
import { SessionsRepository } from './auth/sessions.repository.ts';
import { CountersRepository } from './counters/counters.repository.ts';
import { EventBus } from './events/event-bus.ts';
import { GroupsRepository } from './groups/groups.repository.ts';
import { GroupsService } from './groups/groups.service.ts';
import { AccessControl } from './permissions/access-control.ts';
import { PermissionTable } from './permissions/permission-table.ts';
import { PermissionsRepository } from './permissions/permissions.repository.ts';
import { PermissionsService } from './permissions/permissions.service.ts';
import { ReportsService } from './reports/reports.service.ts';
import { UsersRepository } from './users/users.repository.ts';
import { UsersService } from './users/users.service.ts';

/** Wires repositories into services; each service gets only what it uses. */
export function createServices() {
  const events = new EventBus();
  const repos = {
    audit: new AuditRepository(),
    users: new UsersRepository(),
    groups: new GroupsRepository(),
    sessions: new SessionsRepository(),
    counters: new CountersRepository(),
    permissions: new PermissionsRepository(),
  };
  const audit = new AuditWriter(repos.audit);
  const table = new PermissionTable();
  const access = new AccessControl(table, audit);
  const base = { access, audit, events };
  return {
    events,
    repos,
    audit,
    access,
    resolver: new SessionResolver({ users: repos.users, sessions: repos.sessions, audit, events }),
    auth: new AuthService({ users: repos.users, sessions: repos.sessions, limiter: new LoginLimiter(), audit, events }),
    users: new UsersService({ ...base, users: repos.users, groups: repos.groups, sessions: repos.sessions, counters: repos.counters }),
    groups: new GroupsService({ ...base, groups: repos.groups, users: repos.users, counters: repos.counters }),
    permissions: new PermissionsService({ ...base, repo: repos.permissions, table }),
    auditQueries: new AuditService({ repo: repos.audit, access }),
    reports: new ReportsService({ sessions: repos.sessions, users: repos.users, access }),
  };
}

export type Services = ReturnType<typeof createServices>;
