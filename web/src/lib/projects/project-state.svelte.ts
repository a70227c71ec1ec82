// Live state of one open project: the project, its tasks and milestones, kept current from the
// feed. Each feed entry about a task refetches that task (so its abilities stay the caller's);
// project and milestone progress are refetched once per burst of changes. Every task, milestone
// and member change the project pages make goes through this class.
import { getContext, setContext } from 'svelte';
import type { FeedEntry } from '@crewdeck/shared/feed';
import type {
  CreateMilestone,
  Milestone,
  Project,
  ProjectRole,
  UpdateMilestone,
  UpdateProject,
} from '@crewdeck/shared/projects';
import type { Abilities } from '@crewdeck/shared/permissions';
import type { CreateTask, Task, UpdateTask } from '@crewdeck/shared/tasks';
import type { User } from '@crewdeck/shared/users';
import { taskEndpoints } from '@crewdeck/shared/tasks';
import { milestoneEndpoints, projectEndpoints } from '@crewdeck/shared/projects';
import { userEndpoints } from '@crewdeck/shared/users';
import { call } from '../api.ts';
import { ApiError, handleError } from '../errors.ts';
import { realtime } from '../realtime.svelte.ts';
import { workloadWarning, type WorkloadWarning } from './workload.ts';

/** How a status move ended: moved, stopped by a workload warning to confirm, or failed (see `error`). */
export type MoveOutcome = { moved: true } | { moved: false; warning: WorkloadWarning | null };

export type ProjectData = {
  project: Project;
  tasks: Task[];
  taskAbilities: Abilities;
  milestones: Milestone[];
  milestoneAbilities: Abilities;
};

/** Loads everything the project pages show. */
export async function loadProject(projectId: string, fetchFn?: typeof fetch): Promise<ProjectData> {
  const [{ project }, tasks, milestones] = await Promise.all([
    call(projectEndpoints.get, { params: { id: projectId } }, fetchFn),
    call(taskEndpoints.list, { params: { id: projectId } }, fetchFn),
    call(milestoneEndpoints.list, { params: { id: projectId } }, fetchFn),
  ]);
  return {
    project,
    tasks: tasks.items,
    taskAbilities: tasks.abilities,
    milestones: milestones.items,
    milestoneAbilities: milestones.abilities,
  };
}

const SUMMARY_DELAY_MS = 300;

export class ProjectState {
  project = $state<Project>() as Project;
  tasks = $state<Task[]>([]);
  taskAbilities = $state<Abilities>({});
  milestones = $state<Milestone[]>([]);
  milestoneAbilities = $state<Abilities>({});
  /** Last error of a background refresh or a move, for an alert. */
  error = $state('');
  /** The project was removed from the caller's reach (membership revoked, deleted). */
  gone = $state(false);
  /** Bumped on every applied feed entry; detail views watch it to refetch their extras. */
  revision = $state(0);
  lastEntry = $state<FeedEntry | null>(null);

  #summaryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(data: ProjectData) {
    this.project = data.project;
    this.tasks = data.tasks;
    this.taskAbilities = data.taskAbilities;
    this.milestones = data.milestones;
    this.milestoneAbilities = data.milestoneAbilities;
  }

  get id(): string {
    return this.project.id;
  }

  /** Members online now (kept by the realtime client while the project is open). */
  get online() {
    return realtime.online[this.id] ?? [];
  }

  /** Top-level tasks (subtasks show inside their parent). */
  get topLevel(): Task[] {
    return this.tasks.filter((task) => task.parentId === null);
  }

  /** Subscribes to the live feed; returns the unsubscribe function. */
  connect(): () => void {
    const offFeed = realtime.onFeed((entry) => this.apply(entry));
    const offResync = realtime.onResync(() => void this.reload());
    const offAccess = realtime.onAccessChanged(() => void this.reload());
    const offPresence = realtime.watchPresence(this.id);
    return () => {
      offFeed();
      offResync();
      offAccess();
      offPresence();
      clearTimeout(this.#summaryTimer);
    };
  }

  apply(entry: FeedEntry): void {
    if (entry.projectId !== this.id) return;
    this.lastEntry = entry;
    this.revision++;
    if (entry.resource.kind === 'task') {
      if (entry.type === 'task.deleted') this.tasks = this.tasks.filter((task) => task.id !== entry.resource.id);
      else void this.refreshTask(entry.resource.id);
    }
    this.#scheduleSummary();
  }

  async reload(): Promise<void> {
    try {
      const data = await loadProject(this.id);
      this.project = data.project;
      this.tasks = data.tasks;
      this.taskAbilities = data.taskAbilities;
      this.milestones = data.milestones;
      this.milestoneAbilities = data.milestoneAbilities;
    } catch (err) {
      this.#fail(err);
    }
  }

  async refreshTask(taskId: string): Promise<void> {
    try {
      this.upsert((await call(taskEndpoints.get, { params: { id: taskId } })).task);
    } catch (err) {
      if (err instanceof ApiError && (err.status === 404 || err.status === 403)) {
        this.tasks = this.tasks.filter((task) => task.id !== taskId);
        return;
      }
      this.error = handleError(err).message;
    }
  }

  /** Inserts or replaces a task, never going back to an older version. */
  upsert(task: Task): void {
    if (task.projectId !== this.id) return;
    const index = this.tasks.findIndex((item) => item.id === task.id);
    if (index === -1) this.tasks = [...this.tasks, task].sort(byCode);
    else if (this.tasks[index].version <= task.version) this.tasks[index] = task;
  }

  /** Changes a task, optimistically for a status move; a 409 refetches and explains. */
  async update(task: Task, patch: Omit<UpdateTask, 'version'>): Promise<Task | null> {
    this.error = '';
    const before = task;
    if (patch.status) this.#replace({ ...task, status: patch.status });
    try {
      const { task: saved } = await call(taskEndpoints.update, {
        params: { id: task.id },
        body: { ...patch, version: task.version },
      });
      this.upsert(saved);
      this.#scheduleSummary();
      return saved;
    } catch (err) {
      this.#replace(before);
      if (err instanceof ApiError && err.status === 409 && err.code === 'conflict') {
        await this.refreshTask(task.id);
      }
      throw err;
    }
  }

  /** Moves a task to another status (board); a workload warning is returned for the person to
   *  confirm (retry with `force`), any other failure becomes `error`. */
  async move(task: Task, status: string, force = false): Promise<MoveOutcome> {
    try {
      await this.update(task, { status, force: force || undefined });
      return { moved: true };
    } catch (err) {
      const warning = workloadWarning(err, this.project.members);
      if (!warning) this.error = handleError(err).message;
      return { moved: false, warning };
    }
  }

  /** Creates a task or subtask and shows it at once; a workload warning is thrown as the ApiError. */
  async createTask(input: CreateTask): Promise<Task> {
    const { task } = await call(taskEndpoints.create, { params: { id: this.id }, body: input });
    this.upsert(task);
    return task;
  }

  /** Fetches the subtasks of `parentId` the project list may not include; failures are ignored. */
  async loadSubtasks(parentId: string): Promise<void> {
    const list = await call(taskEndpoints.list, { params: { id: this.id }, query: { parentId } }).catch(() => null);
    list?.items.forEach((task) => this.upsert(task));
  }

  async createMilestone(input: CreateMilestone): Promise<void> {
    await call(milestoneEndpoints.create, { params: { id: this.id }, body: input });
    await this.reload();
  }

  /** Edits a milestone; field errors (due before start → `dueDate`) come back as the ApiError. */
  async updateMilestone(id: string, patch: UpdateMilestone): Promise<void> {
    const { milestone } = await call(milestoneEndpoints.update, { params: { id }, body: patch });
    this.milestones = this.milestones.map((item) => (item.id === id ? milestone : item));
  }

  /** Renames, describes, archives or unarchives the project. */
  async updateProject(patch: UpdateProject): Promise<void> {
    this.project = (await call(projectEndpoints.update, { params: { id: this.id }, body: patch })).project;
  }

  /** Drops a task the caller deleted (the feed may arrive later). */
  forget(taskId: string): void {
    this.tasks = this.tasks.filter((task) => task.id !== taskId && task.parentId !== taskId);
    this.#scheduleSummary();
  }

  /** Active users, to choose new members from (empty when the list cannot be read). */
  async activeUsers(): Promise<User[]> {
    return call(userEndpoints.list, { query: { includeDisabled: 'false' } }).then(
      (list) => list.items,
      () => [],
    );
  }

  async addMember(userId: string, role: ProjectRole): Promise<void> {
    await call(projectEndpoints.addMember, { params: { id: this.id }, body: { userId, role } });
    await this.reload();
  }

  async setMemberRole(userId: string, role: ProjectRole): Promise<void> {
    await call(projectEndpoints.setRole, { params: { id: this.id, userId }, body: { role } });
    await this.reload();
  }

  async removeMember(userId: string): Promise<void> {
    await call(projectEndpoints.removeMember, { params: { id: this.id, userId } });
    await this.reload();
  }

  #replace(task: Task): void {
    const index = this.tasks.findIndex((item) => item.id === task.id);
    if (index !== -1) this.tasks[index] = task;
  }

  #scheduleSummary(): void {
    clearTimeout(this.#summaryTimer);
    this.#summaryTimer = setTimeout(() => void this.#refreshSummary(), SUMMARY_DELAY_MS);
  }

  async #refreshSummary(): Promise<void> {
    try {
      const [{ project }, milestones] = await Promise.all([
        call(projectEndpoints.get, { params: { id: this.id } }),
        call(milestoneEndpoints.list, { params: { id: this.id } }),
      ]);
      this.project = project;
      this.milestones = milestones.items;
      this.milestoneAbilities = milestones.abilities;
    } catch (err) {
      this.#fail(err);
    }
  }

  #fail(err: unknown): void {
    if (err instanceof ApiError && (err.status === 404 || err.status === 403)) {
      this.gone = true;
      return;
    }
    this.error = handleError(err).message;
  }
}

function byCode(a: Task, b: Task): number {
  return codeNumber(a.code) - codeNumber(b.code);
}

function codeNumber(code: string): number {
  return Number(code.slice(code.lastIndexOf('-') + 1)) || 0;
}

const KEY = Symbol('project-state');

export function setProjectState(state: ProjectState): ProjectState {
  return setContext(KEY, state);
}

export function getProjectState(): ProjectState {
  return getContext<ProjectState>(KEY);
}
