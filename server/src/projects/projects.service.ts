import {
  defaultStatuses,
  type CreateProject,
  type Progress,
  type Project,
  type ProjectList,
  type ProjectListQuery,
  type ProjectResponse,
  type Presence,
  type UpdateProject,
} from '@crewdeck/shared/projects';
import type { AuditChange } from '@crewdeck/shared/audit';
import { diffFields } from '../audit/changes.ts';
import type { FeedPublisher } from '../feed/feed.publisher.ts';
import type { Actor, AuthedContext } from '../http/context.ts';
import { ConflictError, NotFoundError } from '../http/errors.ts';
import type { AccessControl } from '../permissions/access-control.ts';
import type { PresenceService } from '../presence/presence.service.ts';
import type { TaskFacts } from '../tasks/task-status.ts';
import type { TasksRepository } from '../tasks/tasks.repository.ts';
import type { People } from '../users/people.ts';
import { computeProgress } from './progress.ts';
import { projectActions, projectResource } from './projects.policy.ts';
import { presentProject } from './projects.presenter.ts';
import type { ProjectDoc } from './projects.model.ts';
import type { ProjectsRepository } from './projects.repository.ts';

export interface ProjectsServiceDeps {
  projects: ProjectsRepository;
  tasks: TasksRepository;
  people: People;
  access: AccessControl;
  publisher: FeedPublisher;
  presence: PresenceService;
}

const auditedFields: (keyof UpdateProject & string)[] = ['name', 'description', 'archived', 'statuses'];

/** Projects: list, read, create, edit/archive, presence. Members live in `ProjectMembersService`. */
export class ProjectsService {
  readonly #d: ProjectsServiceDeps;

  constructor(deps: ProjectsServiceDeps) {
    this.#d = deps;
  }

  /** Projects whose feed `actor` may read: the rooms their sockets join. */
  async readableIds(actor: Actor): Promise<string[]> {
    return (await this.#readable(actor)).map((p) => String(p._id));
  }

  /** Codes of the projects `actor` may read (their tasks and milestones are `<code>-…`). */
  async readableCodes(actor: Actor): Promise<string[]> {
    return (await this.#readable(actor)).map((p) => p.code);
  }

  async #readable(actor: Actor): Promise<ProjectDoc[]> {
    if (!this.#d.access.can(actor, 'project.read')) return [];
    const admin = this.#d.access.can(actor, 'project.read', {
      kind: 'project',
      id: null,
      archived: false,
      members: [],
    });
    const docs = await this.#d.projects.list({ memberId: admin ? undefined : actor.id, includeArchived: true });
    return docs.filter((p) => this.#d.access.can(actor, 'project.read', projectResource(p)));
  }

  async list(ctx: AuthedContext, query: ProjectListQuery): Promise<ProjectList> {
    await this.#d.access.authorize(ctx, 'project.read');
    const ids = new Set(await this.readableIds(ctx.actor));
    const docs = (await this.#d.projects.list({ includeArchived: query.archived === 'true' })).filter((p) =>
      ids.has(String(p._id)),
    );
    const facts = await this.#d.tasks.factsOfProjects(docs.map((p) => String(p._id)));
    const names = await this.#d.people.names(docs.flatMap((p) => p.members.map((m) => String(m.userId))));
    return {
      items: docs.map((p) => this.#present(ctx.actor, p, names, facts)),
      abilities: this.#d.access.abilities(ctx.actor, ['project.create']),
    };
  }

  async get(ctx: AuthedContext, id: string): Promise<ProjectResponse> {
    const project = await this.loadFor(ctx, 'project.read', id);
    return { project: await this.present(ctx.actor, project) };
  }

  async create(ctx: AuthedContext, input: CreateProject): Promise<ProjectResponse> {
    await this.#d.access.authorize(ctx, 'project.create');
    if (await this.#d.projects.findByCode(input.code))
      throw new ConflictError('This project code is in use', { code: 'Already in use' });
    const created = await this.#d.publisher.publish(ctx, async (session) => {
      const data = {
        code: input.code,
        name: input.name,
        description: input.description ?? '',
        statuses: input.statuses ?? defaultStatuses,
      };
      // The creator leads the project, so they can see and manage what they made.
      const project = await this.#d.projects.create(
        { ...data, members: [{ userId: ctx.actor.id, role: 'lead' }] },
        session,
      );
      const id = String(project._id);
      const changes = diffFields({}, data, ['code', 'name', 'description']);
      return {
        result: project,
        audit: { action: 'project.create', permission: 'project.create', code: project.code, changes },
        feed: [
          {
            type: 'project.created',
            projectId: id,
            resource: { kind: 'project', id, code: project.code },
            data: { name: project.name },
          },
        ],
        access: [{ projectId: id, userId: ctx.actor.id, canRead: true }],
      };
    });
    return { project: await this.present(ctx.actor, created) };
  }

  async update(ctx: AuthedContext, id: string, patch: UpdateProject): Promise<ProjectResponse> {
    const project = await this.loadFor(ctx, 'project.update', id);
    if (patch.statuses)
      await this.#assertStatusesKept(
        project,
        patch.statuses.map((s) => s.key),
      );
    const changes: AuditChange[] = diffFields<UpdateProject>(project, { ...project, ...patch }, auditedFields);
    if (changes.length === 0) return { project: await this.present(ctx.actor, project) };
    const updated = await this.#d.publisher.publish(ctx, async (session) => {
      const next = await this.#d.projects.update(id, patch, session);
      if (!next) throw new NotFoundError('Project');
      return {
        result: next,
        audit: { action: 'project.update', permission: 'project.update', code: project.code, changes },
        feed: [
          {
            type: 'project.updated',
            projectId: id,
            resource: { kind: 'project', id, code: project.code },
            data: { fields: changes.map((c) => c.field) },
          },
        ],
      };
    });
    return { project: await this.present(ctx.actor, updated) };
  }

  async presence(ctx: AuthedContext, id: string): Promise<Presence> {
    await this.loadFor(ctx, 'project.read', id);
    return this.#d.presence.list(id);
  }

  /**
   * Loads a project and authorizes `action` on it. Someone who may not read the project gets
   * 404, as for a project that does not exist; a reader lacking `action` gets 403. `what` names
   * the thing addressed (a task's 404 must read like a made-up task id's).
   */
  async loadFor(
    ctx: AuthedContext,
    action: (typeof projectActions)[number],
    id: string,
    what = 'Project',
  ): Promise<ProjectDoc> {
    const project = await this.#d.projects.findById(id);
    if (!project) throw new NotFoundError(what);
    const resource = projectResource(project);
    await this.#d.access.authorizeVisible(ctx, 'project.read', resource, what, { code: project.code });
    await this.#d.access.authorize(ctx, action, resource, { code: project.code });
    return project;
  }

  async present(actor: Actor, project: ProjectDoc): Promise<Project> {
    const facts = await this.#d.tasks.factsOfProjects([String(project._id)]);
    const names = await this.#d.people.names(project.members.map((m) => String(m.userId)));
    return this.#present(actor, project, names, facts);
  }

  #present(actor: Actor, project: ProjectDoc, names: ReadonlyMap<string, string>, facts: TaskFacts[]): Project {
    const id = String(project._id);
    const progress: Progress = computeProgress(
      facts.filter((f) => f.projectId === id),
      project.statuses,
    );
    return presentProject(
      project,
      names,
      progress,
      this.#d.access.abilities(actor, projectActions, projectResource(project)),
    );
  }

  async #assertStatusesKept(project: ProjectDoc, keys: string[]): Promise<void> {
    const dropped = project.statuses.map((s) => s.key).filter((k) => !keys.includes(k));
    if (dropped.length === 0) return;
    const used = await this.#d.tasks.countWithStatus(String(project._id), dropped);
    if (used > 0)
      throw new ConflictError(`${used} tasks still use a removed status`, {
        statuses: `In use: ${dropped.join(', ')}`,
      });
  }
}
