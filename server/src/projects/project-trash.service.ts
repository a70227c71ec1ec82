import type { ProjectResponse, TrashItem, TrashList, Trashed } from '@crewdeck/shared/projects';
import type { FeedPublisher } from '../feed/feed.publisher.ts';
import type { AuthedContext } from '../http/context.ts';
import { ConflictError, NotFoundError } from '../http/errors.ts';
import type { AccessControl } from '../permissions/access-control.ts';
import type { ActivityRepository } from '../tasks/activity.repository.ts';
import { taskResource } from '../tasks/tasks.policy.ts';
import type { TasksRepository } from '../tasks/tasks.repository.ts';
import type { People } from '../users/people.ts';
import type { MilestonesRepository } from './milestones.repository.ts';
import type { ProjectDoc } from './projects.model.ts';
import { projectResource } from './projects.policy.ts';
import type { ProjectsRepository } from './projects.repository.ts';
import type { ProjectsService } from './projects.service.ts';
import { restorable, restoreUntil, type TrashFields } from './trash.ts';

export interface ProjectTrashDeps {
  projects: ProjectsRepository;
  projectsService: ProjectsService;
  milestones: MilestonesRepository;
  tasks: TasksRepository;
  activity: ActivityRepository;
  people: People;
  access: AccessControl;
  publisher: FeedPublisher;
}

type Row = Omit<TrashItem, 'deletedBy' | 'deletedAt' | 'restoreUntil'> & { doc: TrashFields };
const EXCERPT = 140;

/**
 * The trash: deleting a project takes its milestones, tasks and comments along (restored with
 * it); everything stays restorable for `trashDays`, then the TTL index purges it.
 */
export class ProjectTrashService {
  readonly #d: ProjectTrashDeps;

  constructor(deps: ProjectTrashDeps) {
    this.#d = deps;
  }

  async remove(ctx: AuthedContext, id: string): Promise<Trashed> {
    const project = await this.#d.projectsService.loadFor(ctx, 'project.delete', id);
    // Logged time is billed; deleting it would silently change invoices.
    if (await this.#d.activity.hasTimeLogs(id))
      throw new ConflictError('Time was logged in this project; archive it instead', { id: 'Has logged time' });
    const at = new Date();
    const by = ctx.actor.id;
    await this.#d.publisher.publish(ctx, async (session) => {
      await this.#d.projects.trash(id, by, at, session);
      await this.#d.milestones.trashOfProject(id, by, at, session);
      await this.#d.tasks.trashOfProject(id, by, at, session);
      await this.#d.activity.trashCommentsOf({ projectId: id }, id, by, at, session);
      return {
        result: undefined,
        audit: {
          action: 'project.delete',
          permission: 'project.delete',
          code: project.code,
          changes: [{ field: 'name', from: project.name, to: null }],
        },
        feed: [this.#entry('project.deleted', project)],
      };
    });
    return { ok: true, restoreUntil: restoreUntil(at).toISOString() };
  }

  async restore(ctx: AuthedContext, id: string): Promise<ProjectResponse> {
    const project = await this.#d.projects.findTrashed(id);
    if (!project || !restorable(project)) throw new NotFoundError('Project');
    const resource = projectResource(project);
    await this.#d.access.authorizeVisible(ctx, 'project.read', resource, 'Project', { code: project.code });
    await this.#d.access.authorize(ctx, 'project.delete', resource, { code: project.code });
    const restored = await this.#d.publisher.publish(ctx, async (session) => {
      const doc = await this.#d.projects.restore(id, session);
      if (!doc) throw new NotFoundError('Project');
      await this.#d.milestones.restoreWith(id, session);
      await this.#d.tasks.restoreWith(id, session);
      await this.#d.activity.restoreCommentsWith(id, session);
      return {
        result: doc,
        audit: {
          action: 'project.restore',
          permission: 'project.delete',
          code: doc.code,
          changes: [{ field: 'name', from: null, to: doc.name }],
        },
        feed: [this.#entry('project.restored', doc)],
      };
    });
    return { project: await this.#d.projectsService.present(ctx.actor, restored) };
  }

  /** What the caller may restore, newest deletion first (optionally of one project). */
  async list(ctx: AuthedContext, projectId?: string): Promise<TrashList> {
    await this.#d.access.authorize(ctx, 'project.read');
    let readable = await this.#d.projects.findByIds(await this.#d.projectsService.readableIds(ctx.actor));
    if (projectId) readable = readable.filter((p) => String(p._id) === projectId);
    const rows = [
      ...(await this.#projects(ctx, projectId)),
      ...(await this.#inProjects(ctx, readable)),
      ...(await this.#comments(ctx, readable)),
    ].filter((r) => restorable(r.doc));
    const names = await this.#d.people.names(rows.flatMap((r) => (r.doc.deletedBy ? [String(r.doc.deletedBy)] : [])));
    const items = rows.map(({ doc, ...row }): TrashItem => {
      const deletedAt = doc.deletedAt ?? new Date(0);
      const by = doc.deletedBy ? String(doc.deletedBy) : null;
      return {
        ...row,
        deletedAt: deletedAt.toISOString(),
        deletedBy: by ? { id: by, name: names.get(by) ?? '' } : null,
        restoreUntil: restoreUntil(deletedAt).toISOString(),
      };
    });
    items.sort((a, b) => b.deletedAt.localeCompare(a.deletedAt));
    return { items };
  }

  async #projects(ctx: AuthedContext, projectId?: string): Promise<Row[]> {
    const docs = (await this.#d.projects.listTrashed()).filter(
      (p) =>
        (!projectId || String(p._id) === projectId) &&
        this.#d.access.can(ctx.actor, 'project.read', projectResource(p)) &&
        this.#d.access.can(ctx.actor, 'project.delete', projectResource(p)),
    );
    return docs.map((p) => ({
      kind: 'project',
      id: String(p._id),
      projectId: String(p._id),
      code: p.code,
      title: p.name,
      taskId: null,
      doc: p,
    }));
  }

  async #inProjects(ctx: AuthedContext, projects: ProjectDoc[]): Promise<Row[]> {
    const byId = new Map(projects.map((p) => [String(p._id), p]));
    const ids = [...byId.keys()];
    const manage = (pid: string, action: 'milestone.manage') => {
      const p = byId.get(pid);
      return p !== undefined && this.#d.access.can(ctx.actor, action, projectResource(p));
    };
    const milestones = (await this.#d.milestones.listTrashed(ids))
      .filter((m) => manage(String(m.projectId), 'milestone.manage'))
      .map((m): Row => {
        const pid = String(m.projectId);
        return {
          kind: 'milestone',
          id: String(m._id),
          projectId: pid,
          code: m.code,
          title: m.title,
          taskId: null,
          doc: m,
        };
      });
    const tasks = (await this.#d.tasks.listTrashed(ids))
      .filter((t) => {
        const p = byId.get(String(t.projectId));
        return p !== undefined && this.#d.access.can(ctx.actor, 'task.delete', taskResource(t, p));
      })
      .map((t): Row => {
        const pid = String(t.projectId);
        return { kind: 'task', id: String(t._id), projectId: pid, code: t.code, title: t.title, taskId: null, doc: t };
      });
    return [...milestones, ...tasks];
  }

  async #comments(ctx: AuthedContext, projects: ProjectDoc[]): Promise<Row[]> {
    const byId = new Map(projects.map((p) => [String(p._id), p]));
    const comments = await this.#d.activity.trashedComments([...byId.keys()]);
    const tasks = new Map(
      (await this.#d.tasks.findByIds([...new Set(comments.map((c) => String(c.taskId)))])).map((t) => [
        String(t._id),
        t,
      ]),
    );
    const rows: Row[] = [];
    for (const c of comments) {
      const task = tasks.get(String(c.taskId));
      const project = byId.get(String(c.projectId));
      if (!task || !project) continue;
      if (!this.#d.access.can(ctx.actor, 'comment.delete', taskResource(task, project, c))) continue;
      const title = c.body.slice(0, EXCERPT);
      rows.push({
        kind: 'comment',
        id: String(c._id),
        projectId: String(project._id),
        code: task.code,
        title,
        taskId: String(task._id),
        doc: c,
      });
    }
    return rows;
  }

  #entry(type: 'project.deleted' | 'project.restored', p: ProjectDoc) {
    const id = String(p._id);
    return { type, projectId: id, resource: { kind: 'project' as const, id, code: p.code }, data: { name: p.name } };
  }
}
