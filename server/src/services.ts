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
import { createLibrary, type LibraryOptions } from './library/library.module.ts';
import { AccessControl } from './permissions/access-control.ts';
import { PermissionTable } from './permissions/permission-table.ts';
import { PermissionsRepository } from './permissions/permissions.repository.ts';
import { PermissionsService } from './permissions/permissions.service.ts';
import { ReportsService } from './reports/reports.service.ts';
import { UsersRepository } from './users/users.repository.ts';
import { UsersService } from './users/users.service.ts';
import { AvatarsRepository } from './users/avatars.repository.ts';
import { DirectoryService } from './users/directory.service.ts';
import { ProfileService } from './users/profile.service.ts';
import { limits } from '@crewdeck/shared/limits';
import { FeedPublisher } from './feed/feed.publisher.ts';
import { FeedRepository } from './feed/feed.repository.ts';
import { FeedService } from './feed/feed.service.ts';
import { NotificationsRepository } from './notifications/notifications.repository.ts';
import { NotificationsService } from './notifications/notifications.service.ts';
import { PresenceService } from './presence/presence.service.ts';
import { MilestonesRepository } from './projects/milestones.repository.ts';
import { MilestonesService } from './projects/milestones.service.ts';
import { People } from './users/people.ts';
import { ProjectMembersService } from './projects/project-members.service.ts';
import { ProjectTrashService } from './projects/project-trash.service.ts';
import { ProjectsRepository } from './projects/projects.repository.ts';
import { ProjectsService } from './projects/projects.service.ts';
import { ActivityRepository } from './tasks/activity.repository.ts';
import { ActivityService } from './tasks/activity.service.ts';
import { PlanningService } from './tasks/planning.service.ts';
import { TasksRepository } from './tasks/tasks.repository.ts';
import { TasksService } from './tasks/tasks.service.ts';
import { TaskTrashService } from './tasks/task-trash.service.ts';
import { createAvailability, createScheduleServices } from './schedules/schedules.module.ts';
import type { Availability } from './schedules/availability.ts';
import { createCalendar } from './calendar/calendar.module.ts';
import { SecretBox } from './security/secret-box.ts';
import { randomBytes } from 'node:crypto';
import { createCrm } from './crm.module.ts';
import { CrmSettingsStore } from './clients/crm-settings.ts';

/** Options for services that need more than the database. */
export interface ServiceOptions {
  /** Library and co-editing (relay across instances, upload limit, timers). */
  library?: LibraryOptions;
  /** Key sealing secrets at rest (Google refresh tokens, feed tokens); random per process when absent. */
  secretKey?: Buffer;
}

/** Wires repositories into services; each service gets only what it uses. */
export function createServices(options: ServiceOptions = {}) {
  const events = new EventBus();
  const repos = {
    audit: new AuditRepository(),
    users: new UsersRepository(),
    groups: new GroupsRepository(),
    sessions: new SessionsRepository(),
    counters: new CountersRepository(),
    permissions: new PermissionsRepository(),
    projects: new ProjectsRepository(),
    milestones: new MilestonesRepository(),
    tasks: new TasksRepository(),
    activity: new ActivityRepository(),
    feed: new FeedRepository(),
    notifications: new NotificationsRepository(),
  };
  const audit = new AuditWriter(repos.audit);
  const table = new PermissionTable();
  const crmSettings = new CrmSettingsStore();
  const access = new AccessControl(table, audit, crmSettings);
  const base = { access, audit, events };
  const people = new People(repos.users);
  const availability = createAvailability(repos.users);
  const work = createWorkServices(repos, people, access, audit, events, availability);
  const schedules = createScheduleServices(
    { access, publisher: work.publisher, users: repos.users, notifications: work.notifications },
    availability,
  );
  const secretBox = new SecretBox(options.secretKey ?? randomBytes(32));
  const calendar = createCalendar({
    access,
    publisher: work.publisher,
    bus: events,
    users: repos.users,
    projects: repos.projects,
    notifications: work.notifications,
    availability,
    box: secretBox,
  });
  // The library publishes through the same feed publisher as projects: one seq, one order.
  const library = createLibrary(
    {
      access,
      audit,
      publisher: work.publisher,
      events,
      users: repos.users,
      people,
      groups: repos.groups,
      counters: repos.counters,
    },
    options.library,
  );
  const crm = createCrm({
    settings: crmSettings,
    access,
    audit,
    publisher: work.publisher,
    events,
    users: repos.users,
    people,
    notifications: work.notifications,
    tasks: work.tasks,
    projects: work.projects,
    library,
    counters: repos.counters,
    secretBox,
  });
  const directory = new DirectoryService({
    users: repos.users,
    groups: repos.groups,
    access,
    projects: {
      async readable(actor) {
        const projects = await repos.projects.findByIds(await work.projects.readableIds(actor));
        return projects.map((p) => ({
          id: String(p._id),
          code: p.code,
          name: p.name,
          memberIds: p.members.map((m) => String(m.userId)),
        }));
      },
    },
  });
  return {
    ...work,
    schedules,
    calendar,
    crm,
    secretBox,
    availability,
    events,
    repos,
    audit,
    access,
    resolver: new SessionResolver({ users: repos.users, sessions: repos.sessions, audit, events }),
    auth: new AuthService({ users: repos.users, sessions: repos.sessions, limiter: new LoginLimiter(), audit, events }),
    users: new UsersService({
      ...base,
      users: repos.users,
      groups: repos.groups,
      sessions: repos.sessions,
      counters: repos.counters,
    }),
    groups: new GroupsService({ ...base, groups: repos.groups, users: repos.users, counters: repos.counters }),
    permissions: new PermissionsService({ ...base, repo: repos.permissions, table }),
    auditQueries: new AuditService({
      repo: repos.audit,
      access,
      scope: {
        projectCodes: (ctx) => work.projects.readableCodes(ctx.actor),
        documentCodes: (ctx) => library.documents.viewableCodes(ctx),
        clientCodes: (ctx) => crm.clients.auditCodes(ctx),
      },
    }),
    reports: new ReportsService({ sessions: repos.sessions, users: repos.users, access }),
    library,
    directory,
    profile: new ProfileService({
      users: repos.users,
      avatars: new AvatarsRepository(),
      directory,
      audit,
      maxAvatarBytes: limits.avatarMaxBytes,
    }),
  };
}

export type Services = ReturnType<typeof createServices>;

/** Projects, tasks, feed, notifications and presence: every change goes through the one publisher. */
function createWorkServices(
  repos: {
    users: UsersRepository;
    projects: ProjectsRepository;
    milestones: MilestonesRepository;
    tasks: TasksRepository;
    activity: ActivityRepository;
    feed: FeedRepository;
    notifications: NotificationsRepository;
  },
  people: People,
  access: AccessControl,
  audit: AuditWriter,
  events: EventBus,
  availability: Availability,
) {
  const publisher = new FeedPublisher({ audit, repo: repos.feed, events });
  const presence = new PresenceService({ events });
  const projects = new ProjectsService({
    projects: repos.projects,
    tasks: repos.tasks,
    people,
    access,
    publisher,
    presence,
  });
  const planning = new PlanningService({
    tasks: repos.tasks,
    activity: repos.activity,
    projects: repos.projects,
    projectsService: projects,
    people,
    access,
    capacity: availability,
  });
  const tasks = new TasksService({
    tasks: repos.tasks,
    projects: repos.projects,
    projectsService: projects,
    milestones: repos.milestones,
    people,
    access,
    publisher,
    planning,
  });
  return {
    publisher,
    presence,
    projects,
    planning,
    tasks,
    members: new ProjectMembersService({
      projects: repos.projects,
      projectsService: projects,
      people,
      access,
      publisher,
    }),
    milestones: new MilestonesService({
      milestones: repos.milestones,
      projects: repos.projects,
      projectsService: projects,
      tasks: repos.tasks,
      access,
      publisher,
    }),
    activity: new ActivityService({
      activity: repos.activity,
      tasks: repos.tasks,
      tasksService: tasks,
      people,
      access,
      publisher,
    }),
    taskTrash: new TaskTrashService({
      tasks: repos.tasks,
      activity: repos.activity,
      tasksService: tasks,
      projectsService: projects,
      access,
      publisher,
    }),
    projectTrash: new ProjectTrashService({
      projects: repos.projects,
      projectsService: projects,
      milestones: repos.milestones,
      tasks: repos.tasks,
      activity: repos.activity,
      people,
      access,
      publisher,
    }),
    feed: new FeedService({ repo: repos.feed, projects, access }),
    // Each recipient's profile says which kinds they receive.
    notifications: new NotificationsService({
      repo: repos.notifications,
      events,
      mutedKinds: (userId) => repos.users.notificationsOff(userId),
    }),
  };
}
