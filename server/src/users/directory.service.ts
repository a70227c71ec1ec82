import type { PeopleList, PeopleQuery, Person } from '@crewdeck/shared/users';
import type { GroupsRepository } from '../groups/groups.repository.ts';
import type { Actor, AuthedContext } from '../http/context.ts';
import type { AccessControl } from '../permissions/access-control.ts';
import type { UserDoc } from './users.model.ts';
import { avatarUrl } from './users.presenter.ts';
import type { UsersRepository } from './users.repository.ts';
import { inactiveReason } from './user-status.ts';

/** A project as the directory needs it: who is in it. */
export interface DirectoryProject {
  id: string;
  code: string;
  name: string;
  memberIds: string[];
}

/** The projects `actor` may read (provided by `projects/`, so the one project rule decides). */
export interface ReadableProjects {
  readable(actor: Actor): Promise<DirectoryProject[]>;
}

export interface DirectoryServiceDeps {
  users: UsersRepository;
  groups: GroupsRepository;
  projects: ReadableProjects;
  access: AccessControl;
}

const matches = (user: UserDoc, q: string) =>
  [user.name, user.login, user.email ?? '', user.phone ?? ''].some((field) => field.toLowerCase().includes(q));

/**
 * The people directory: active users with "show in employees list", for those with
 * `people.read`. Projects are only those the viewer may read, so the directory reveals no
 * project the viewer could not open.
 */
export class DirectoryService {
  readonly #d: DirectoryServiceDeps;

  constructor(deps: DirectoryServiceDeps) {
    this.#d = deps;
  }

  async list(ctx: AuthedContext, query: PeopleQuery): Promise<PeopleList> {
    await this.#d.access.authorize(ctx, 'people.read');
    const [users, groups, projects] = await Promise.all([
      this.#d.users.list({ role: query.role, group: query.group, includeDisabled: false }),
      this.#d.groups.list(),
      this.#d.projects.readable(ctx.actor),
    ]);
    const now = new Date();
    const q = query.q?.toLowerCase();
    const inProject = query.project ? projects.find((p) => p.id === query.project) : undefined;
    // A project the viewer may not read filters to nobody, exactly like one that does not exist.
    if (query.project && !inProject) return { items: [] };
    const groupNames = new Map(groups.map((g) => [String(g._id), g.name]));
    const items = users
      .filter((u) => u.showInEmployees && !inactiveReason(u, now))
      .filter((u) => !q || matches(u, q))
      .filter((u) => !inProject || inProject.memberIds.includes(String(u._id)))
      .map((u) => presentPerson(u, groupNames, projects));
    return { items };
  }

  /**
   * Whether `viewer` may see `userId` (their avatar): themselves; with `people.read` or
   * `user.read` anyone; others (guests) only people they share a project with.
   */
  async maySee(viewer: Actor, userId: string): Promise<boolean> {
    if (viewer.id === userId) return true;
    if (this.#d.access.can(viewer, 'people.read') || this.#d.access.can(viewer, 'user.read')) return true;
    const projects = await this.#d.projects.readable(viewer);
    return projects.some((p) => p.memberIds.includes(userId));
  }
}

function presentPerson(user: UserDoc, groupNames: ReadonlyMap<string, string>, projects: DirectoryProject[]): Person {
  const id = String(user._id);
  return {
    id,
    name: user.name,
    login: user.login,
    role: user.role,
    groups: user.groups.flatMap((g) => {
      const name = groupNames.get(String(g));
      return name === undefined ? [] : [{ id: String(g), name }];
    }),
    projects: projects.filter((p) => p.memberIds.includes(id)).map((p) => ({ id: p.id, code: p.code, name: p.name })),
    email: user.email ?? '',
    phone: user.phone ?? '',
    timeZone: user.timeZone ?? null,
    avatarUrl: avatarUrl(user),
  };
}
