import { limits } from '@crewdeck/shared/limits';
import type { BillingSummary, OverdueSummary } from '@crewdeck/shared/projects';
import type { Workload, WorkloadQuery } from '@crewdeck/shared/tasks';
import type { AuthedContext } from '../http/context.ts';
import { ConflictError, ValidationError } from '../http/errors.ts';
import type { AccessControl } from '../permissions/access-control.ts';
import type { ProjectsRepository } from '../projects/projects.repository.ts';
import type { ProjectsService } from '../projects/projects.service.ts';
import type { People } from '../users/people.ts';
import type { ActivityRepository } from './activity.repository.ts';
import { isOverdue, parseDay } from './task-dates.ts';
import { categoryOf } from './task-status.ts';
import type { TasksRepository } from './tasks.repository.ts';
import {
  addPlans,
  flatCapacity,
  overloadsFor,
  planOf,
  spanOf,
  type DayCapacity,
  type PlannedWork,
} from './workload.ts';

export interface PlanningDeps {
  tasks: TasksRepository;
  activity: ActivityRepository;
  projects: ProjectsRepository;
  projectsService: ProjectsService;
  people: People;
  access: AccessControl;
  /** People's real working hours per day (schedules, holidays, absences); flat Mon–Fri 8 h without it. */
  capacity?: CapacitySource;
}

/** Working hours of each of a person's local days from `fromDay` to `toDay` inclusive. */
export interface CapacitySource {
  dailyHours(userId: string, fromDay: string, toDay: string): Promise<Map<string, number>>;
}

const DAY = 86_400_000;
const round2 = (n: number) => Math.round(n * 100) / 100;

/** Workload, billing and overdue figures: reads only, computed from tasks and time logs. */
export class PlanningService {
  readonly #d: PlanningDeps;

  constructor(deps: PlanningDeps) {
    this.#d = deps;
  }

  /** A person's hours per day over `fromDay`–`toDay` (their schedule, holidays and absences). */
  async capacityOf(userId: string, fromDay: string, toDay: string): Promise<DayCapacity> {
    if (!this.#d.capacity || toDay < fromDay) return flatCapacity;
    const hours = await this.#d.capacity.dailyHours(userId, fromDay, toDay);
    return (day) => hours.get(day) ?? 0;
  }

  /** The capacity covering every day `work` plans over, and `extra` days. */
  async #capacityFor(userId: string, work: (PlannedWork | null)[], extra?: { from: string; to: string }) {
    const spans = [...work.map((w) => (w ? spanOf(w) : null)), extra ?? null].filter((x) => x !== null);
    if (spans.length === 0) return flatCapacity;
    const from = spans.reduce((min, x) => (x.from < min ? x.from : min), spans[0].from);
    const to = spans.reduce((max, x) => (x.to > max ? x.to : max), spans[0].to);
    return this.capacityOf(userId, from, to);
  }

  /**
   * 409 listing the days the change pushes someone over capacity (the client may retry with
   * `force`). The hours are shown only to callers who may read that person's workload (their
   * own, or with `workload.read`); anyone else learns that the day is over capacity, never
   * how many hours other work (possibly in projects they cannot see) takes.
   */
  async assertCapacity(ctx: AuthedContext, before: PlannedWork | null, after: PlannedWork): Promise<void> {
    const fields: Record<string, string> = {};
    for (const userId of after.assignees) {
      const others = await this.#openWorkOf(userId);
      const showHours = userId === ctx.actor.id || this.#d.access.can(ctx.actor, 'workload.read');
      const capacity = await this.#capacityFor(userId, [...others, before, after]);
      for (const o of overloadsFor(userId, others, before, after, capacity)) {
        fields[`overload.${o.userId}.${o.date}`] = showHours
          ? `${o.planned} h planned of ${o.capacity} h`
          : 'Over capacity on this day';
      }
    }
    if (Object.keys(fields).length > 0) {
      throw new ConflictError(
        'This would plan more hours than someone has on some days; send force: true to assign anyway',
        fields,
      );
    }
  }

  async workload(ctx: AuthedContext, query: WorkloadQuery): Promise<Workload> {
    const userId = query.userId ?? ctx.actor.id;
    if (userId !== ctx.actor.id) await this.#d.access.authorize(ctx, 'workload.read');
    const from = parseDay(query.from);
    const to = parseDay(query.to);
    const span = (to.getTime() - from.getTime()) / DAY;
    if (span < 0 || span > limits.workloadPeriodMaxDays)
      throw new ValidationError({ to: `Period must be 0–${limits.workloadPeriodMaxDays} days` });
    const work = await this.#openWorkOf(userId);
    const capacity = await this.#capacityFor(userId, work, { from: query.from, to: query.to });
    const plan = addPlans(work.map((w) => planOf(w, userId, capacity)));
    const days = [];
    // The period's fullest day stands for "daily capacity"; each day is judged by its own hours.
    let most = 0;
    for (let t = from.getTime(); t <= to.getTime(); t += DAY) {
      const date = new Date(t).toISOString().slice(0, 10);
      const planned = round2(plan.get(date) ?? 0);
      most = Math.max(most, capacity(date));
      days.push({ date, planned, over: planned > capacity(date) + 1e-9 });
    }
    return { userId, capacity: round2(most), days };
  }

  async billing(ctx: AuthedContext, projectId: string, milestoneId?: string): Promise<BillingSummary> {
    await this.#d.projectsService.loadFor(ctx, 'billing.read', projectId);
    const tasks = milestoneId
      ? await this.#d.tasks.list({ projectId, milestoneId })
      : await this.#d.tasks.list({ projectId });
    const byId = new Map(tasks.map((t) => [String(t._id), t]));
    const logs = await this.#d.activity.timeLogsOfProject(projectId, milestoneId ? [...byId.keys()] : undefined);
    const lines = new Map<string, { hours: number; billableHours: number; amount: number }>();
    for (const log of logs) {
      const task = byId.get(String(log.taskId));
      const line = lines.get(String(log.userId)) ?? { hours: 0, billableHours: 0, amount: 0 };
      line.hours += log.hours;
      if (task?.billable) {
        line.billableHours += log.hours;
        line.amount += log.hours * (task.hourlyRate ?? 0);
      }
      lines.set(String(log.userId), line);
    }
    const names = await this.#d.people.names(lines.keys());
    const people = [...lines].map(([userId, l]) => ({
      userId,
      name: names.get(userId) ?? '',
      hours: round2(l.hours),
      billableHours: round2(l.billableHours),
      amount: round2(l.amount),
    }));
    people.sort((a, b) => a.name.localeCompare(b.name));
    const total = people.reduce(
      (t, p) => ({
        hours: t.hours + p.hours,
        billableHours: t.billableHours + p.billableHours,
        amount: t.amount + p.amount,
      }),
      { hours: 0, billableHours: 0, amount: 0 },
    );
    return {
      projectId,
      milestoneId: milestoneId ?? null,
      people,
      total: { hours: round2(total.hours), billableHours: round2(total.billableHours), amount: round2(total.amount) },
    };
  }

  /** Overdue counts per project and per assignee over the projects the caller may read. */
  async overdue(ctx: AuthedContext): Promise<OverdueSummary> {
    await this.#d.access.authorize(ctx, 'project.read');
    const projects = await this.#d.projects.findByIds(await this.#d.projectsService.readableIds(ctx.actor));
    const facts = await this.#d.tasks.factsOfProjects(projects.map((p) => String(p._id)));
    const now = new Date();
    const perProject = new Map<string, number>();
    const perPerson = new Map<string, number>();
    let total = 0;
    for (const project of projects) {
      const id = String(project._id);
      for (const f of facts.filter(
        (x) => x.projectId === id && isOverdue(x.dueDate, categoryOf(project.statuses, x.status), now),
      )) {
        total += 1;
        perProject.set(id, (perProject.get(id) ?? 0) + 1);
        for (const u of f.assignees) perPerson.set(u, (perPerson.get(u) ?? 0) + 1);
      }
    }
    const names = await this.#d.people.names(perPerson.keys());
    return {
      projects: projects
        .filter((p) => perProject.has(String(p._id)))
        .map((p) => ({
          projectId: String(p._id),
          code: p.code,
          name: p.name,
          count: perProject.get(String(p._id)) ?? 0,
        })),
      people: [...perPerson].map(([userId, count]) => ({ userId, name: names.get(userId) ?? '', count })),
      total,
    };
  }

  /** Someone's assigned work with an estimate and a due day, with "done" decided by each project's statuses. */
  async #openWorkOf(userId: string): Promise<PlannedWork[]> {
    const tasks = await this.#d.tasks.plannedFor(userId);
    const projects = await this.#d.projects.findByIds([...new Set(tasks.map((t) => String(t.projectId)))]);
    const statuses = new Map(projects.map((p) => [String(p._id), p.statuses]));
    return tasks.map((t) => ({
      id: String(t._id),
      assignees: t.assignees.map(String),
      estimate: t.estimate,
      startDate: t.startDate,
      dueDate: t.dueDate,
      createdAt: t.createdAt,
      done: categoryOf(statuses.get(String(t.projectId)) ?? [], t.status) === 'done',
    }));
  }
}
