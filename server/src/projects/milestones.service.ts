import {
  dueBeforeStartMessage,
  type CreateMilestone,
  type Milestone,
  type Trashed,
  type UpdateMilestone,
} from '@crewdeck/shared/projects';
import type { z } from 'zod';
import type { milestoneListSchema } from '@crewdeck/shared/projects';
import { diffFields } from '../audit/changes.ts';
import type { FeedPublisher } from '../feed/feed.publisher.ts';
import type { AuthedContext } from '../http/context.ts';
import { NotFoundError, ValidationError } from '../http/errors.ts';
import type { AccessControl } from '../permissions/access-control.ts';
import { dayString, parseOptionalDay } from '../tasks/task-dates.ts';
import type { TasksRepository } from '../tasks/tasks.repository.ts';
import type { MilestoneDoc } from './milestones.model.ts';
import type { MilestoneFields, MilestonesRepository } from './milestones.repository.ts';
import { computeProgress } from './progress.ts';
import type { ProjectDoc } from './projects.model.ts';
import { projectResource } from './projects.policy.ts';
import type { ProjectsRepository } from './projects.repository.ts';
import type { ProjectsService } from './projects.service.ts';
import { restorable, restoreUntil } from './trash.ts';

export interface MilestonesDeps {
  milestones: MilestonesRepository;
  projects: ProjectsRepository;
  projectsService: ProjectsService;
  tasks: TasksRepository;
  access: AccessControl;
  publisher: FeedPublisher;
}

type MilestoneList = z.infer<typeof milestoneListSchema>;

function fields(input: UpdateMilestone): MilestoneFields {
  const out: MilestoneFields = {};
  if (input.title !== undefined) out.title = input.title;
  if (input.description !== undefined) out.description = input.description;
  if (input.status !== undefined) out.status = input.status;
  if (input.startDate !== undefined) out.startDate = parseOptionalDay(input.startDate);
  if (input.dueDate !== undefined) out.dueDate = parseOptionalDay(input.dueDate);
  return out;
}

/** The due day may not come before the first day (a date changed alone is checked against the stored other one). */
function assertDatesInOrder(m: { startDate?: Date | null; dueDate?: Date | null }): void {
  if (m.startDate && m.dueDate && m.dueDate.getTime() < m.startDate.getTime())
    throw new ValidationError({ dueDate: dueBeforeStartMessage });
}

const audited: (keyof MilestoneFields & string)[] = ['title', 'description', 'startDate', 'dueDate', 'status'];

/** Milestones of a project with their progress (done / in progress / remaining tasks and hours). */
export class MilestonesService {
  readonly #d: MilestonesDeps;

  constructor(deps: MilestonesDeps) {
    this.#d = deps;
  }

  async list(ctx: AuthedContext, projectId: string): Promise<MilestoneList> {
    const project = await this.#d.projectsService.loadFor(ctx, 'project.read', projectId);
    const docs = await this.#d.milestones.listByProject(projectId);
    return { items: await this.#present(ctx, project, docs), abilities: this.#abilities(ctx, project) };
  }

  async create(ctx: AuthedContext, projectId: string, input: CreateMilestone): Promise<{ milestone: Milestone }> {
    const project = await this.#d.projectsService.loadFor(ctx, 'milestone.manage', projectId);
    const data = fields(input);
    const created = await this.#d.publisher.publish(ctx, async (session) => {
      const n = await this.#d.projects.nextNumber(projectId, 'milestoneSeq', session);
      const code = `${project.code}-M${n}`;
      const doc = await this.#d.milestones.create({ ...data, title: input.title, projectId, code }, session);
      const id = String(doc._id);
      return {
        result: doc,
        audit: {
          action: 'milestone.create',
          permission: 'milestone.manage',
          code,
          changes: diffFields({}, data, audited),
        },
        feed: [
          {
            type: 'milestone.created',
            projectId,
            resource: { kind: 'milestone', id, code },
            data: { title: doc.title, dueDate: dayString(doc.dueDate) },
          },
        ],
      };
    });
    const [milestone] = await this.#present(ctx, project, [created]);
    return { milestone };
  }

  async update(ctx: AuthedContext, id: string, input: UpdateMilestone): Promise<{ milestone: Milestone }> {
    const current = await this.#d.milestones.findById(id);
    if (!current) throw new NotFoundError('Milestone');
    const projectId = String(current.projectId);
    const project = await this.#d.projectsService.loadFor(ctx, 'milestone.manage', projectId, 'Milestone');
    const data = fields(input);
    assertDatesInOrder({ ...current, ...data });
    const changes = diffFields<MilestoneFields>(current, { ...current, ...data }, audited);
    if (changes.length === 0) return { milestone: (await this.#present(ctx, project, [current]))[0] };
    const updated = await this.#d.publisher.publish(ctx, async (session) => {
      const doc = await this.#d.milestones.update(id, data, session);
      if (!doc) throw new NotFoundError('Milestone');
      return {
        result: doc,
        audit: { action: 'milestone.update', permission: 'milestone.manage', code: current.code, changes },
        feed: [
          {
            type: 'milestone.updated',
            projectId,
            resource: { kind: 'milestone', id, code: current.code },
            data: { fields: changes.map((c) => c.field), title: doc.title },
          },
        ],
      };
    });
    return { milestone: (await this.#present(ctx, project, [updated]))[0] };
  }

  /** Moves a milestone to the trash; its tasks keep the reference, so a restore reattaches them. */
  async remove(ctx: AuthedContext, id: string): Promise<Trashed> {
    const current = await this.#d.milestones.findById(id);
    if (!current) throw new NotFoundError('Milestone');
    const projectId = String(current.projectId);
    await this.#d.projectsService.loadFor(ctx, 'milestone.manage', projectId, 'Milestone');
    const at = new Date();
    await this.#d.publisher.publish(ctx, async (session) => {
      await this.#d.milestones.trash(id, ctx.actor.id, at, session);
      return {
        result: undefined,
        audit: {
          action: 'milestone.delete',
          permission: 'milestone.manage',
          code: current.code,
          changes: [{ field: 'title', from: current.title, to: null }],
        },
        feed: [this.#entry('milestone.deleted', current)],
      };
    });
    return { ok: true, restoreUntil: restoreUntil(at).toISOString() };
  }

  async restore(ctx: AuthedContext, id: string): Promise<{ milestone: Milestone }> {
    const trashed = await this.#d.milestones.findTrashed(id);
    // Milestones deleted with their project come back with it, not on their own.
    if (!trashed || trashed.trashedWith || !restorable(trashed)) throw new NotFoundError('Milestone');
    const project = await this.#d.projectsService.loadFor(
      ctx,
      'milestone.manage',
      String(trashed.projectId),
      'Milestone',
    );
    const restored = await this.#d.publisher.publish(ctx, async (session) => {
      const doc = await this.#d.milestones.restore(id, session);
      if (!doc) throw new NotFoundError('Milestone');
      return {
        result: doc,
        audit: {
          action: 'milestone.restore',
          permission: 'milestone.manage',
          code: doc.code,
          changes: [{ field: 'title', from: null, to: doc.title }],
        },
        feed: [this.#entry('milestone.restored', doc)],
      };
    });
    return { milestone: (await this.#present(ctx, project, [restored]))[0] };
  }

  #entry(type: 'milestone.deleted' | 'milestone.restored', m: MilestoneDoc) {
    const id = String(m._id);
    return {
      type,
      projectId: String(m.projectId),
      resource: { kind: 'milestone' as const, id, code: m.code },
      data: { title: m.title },
    };
  }

  #abilities(ctx: AuthedContext, project: ProjectDoc) {
    return this.#d.access.abilities(ctx.actor, ['milestone.manage'], projectResource(project));
  }

  async #present(ctx: AuthedContext, project: ProjectDoc, docs: MilestoneDoc[]): Promise<Milestone[]> {
    const facts = await this.#d.tasks.factsOfProjects([String(project._id)]);
    const abilities = this.#abilities(ctx, project);
    return docs.map((m) => ({
      id: String(m._id),
      projectId: String(m.projectId),
      code: m.code,
      title: m.title,
      description: m.description,
      startDate: dayString(m.startDate),
      dueDate: dayString(m.dueDate),
      status: m.status,
      progress: computeProgress(
        facts.filter((f) => f.milestoneId === String(m._id)),
        project.statuses,
      ),
      abilities,
    }));
  }
}
