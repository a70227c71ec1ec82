import type { z } from 'zod';
import type {
  Comment,
  CreateComment,
  CreateTimeLog,
  TimeLog,
  commentListSchema,
  timeLogListSchema,
} from '@crewdeck/shared/tasks';
import type { FeedPublisher } from '../feed/feed.publisher.ts';
import type { AuthedContext } from '../http/context.ts';
import type { ProjectDoc } from '../projects/projects.model.ts';
import type { Names, People } from '../users/people.ts';
import type { CommentDoc, TimeLogDoc } from './activity.model.ts';
import type { ActivityRepository } from './activity.repository.ts';
import { dayString, parseDay } from './task-dates.ts';
import type { TasksRepository } from './tasks.repository.ts';
import type { TasksService } from './tasks.service.ts';

export interface ActivityDeps {
  activity: ActivityRepository;
  tasks: TasksRepository;
  tasksService: TasksService;
  people: People;
  publisher: FeedPublisher;
}

/** `@login` tokens; a login may itself be an e-mail address. */
const MENTION = /(?:^|[^\w@])@([\w.+-]+(?:@[\w-]+(?:\.[\w-]+)+)?)/g;
const EXCERPT = 140;

function presentComment(doc: CommentDoc, names: Names): Comment {
  const ref = (id: unknown) => ({ id: String(id), name: names.get(String(id)) ?? '' });
  return {
    id: String(doc._id),
    taskId: String(doc.taskId),
    author: ref(doc.authorId),
    body: doc.body,
    mentions: doc.mentions.map(ref),
    createdAt: doc.createdAt.toISOString(),
  };
}

function presentTimeLog(doc: TimeLogDoc, names: Names): TimeLog {
  return {
    id: String(doc._id),
    taskId: String(doc.taskId),
    user: { id: String(doc.userId), name: names.get(String(doc.userId)) ?? '' },
    date: dayString(doc.date) ?? '',
    hours: doc.hours,
    note: doc.note,
    createdAt: doc.createdAt.toISOString(),
  };
}

/** Comments (with @mentions) and time logs on tasks. */
export class ActivityService {
  readonly #d: ActivityDeps;

  constructor(deps: ActivityDeps) {
    this.#d = deps;
  }

  async comments(ctx: AuthedContext, taskId: string): Promise<z.infer<typeof commentListSchema>> {
    await this.#d.tasksService.loadFor(ctx, 'project.read', taskId);
    const docs = await this.#d.activity.comments(taskId);
    const names = await this.#d.people.names(docs.flatMap((c) => [String(c.authorId), ...c.mentions.map(String)]));
    return { items: docs.map((c) => presentComment(c, names)) };
  }

  async comment(ctx: AuthedContext, taskId: string, input: CreateComment): Promise<{ comment: Comment }> {
    const { task, project } = await this.#d.tasksService.loadFor(ctx, 'task.comment', taskId);
    const mentions = await this.#mentions(project, input);
    const projectId = String(project._id);
    const created = await this.#d.publisher.publish(ctx, async (session) => {
      const doc = await this.#d.activity.addComment(
        { taskId, projectId, authorId: ctx.actor.id, body: input.body, mentions },
        session,
      );
      const ref = { id: taskId, code: task.code, title: task.title };
      const notified = mentions.filter((u) => u !== ctx.actor.id);
      const excerpt = input.body.slice(0, EXCERPT);
      return {
        result: doc,
        audit: {
          action: 'task.comment',
          permission: 'task.comment',
          code: task.code,
          changes: [{ field: 'comment', from: null, to: excerpt }],
        },
        feed: [
          {
            type: 'comment.added',
            projectId,
            resource: { kind: 'task', id: taskId, code: task.code },
            data: { title: task.title, commentId: String(doc._id), excerpt, mentions },
            audience: [...task.assignees.map(String), ...mentions],
            notify: [
              { kind: 'mentioned', userIds: notified, task: ref, data: { commentId: String(doc._id), excerpt } },
            ],
          },
        ],
      };
    });
    const names = await this.#d.people.names([ctx.actor.id, ...mentions]);
    return { comment: presentComment(created, names) };
  }

  async timeLogs(ctx: AuthedContext, taskId: string): Promise<z.infer<typeof timeLogListSchema>> {
    await this.#d.tasksService.loadFor(ctx, 'project.read', taskId);
    const docs = await this.#d.activity.timeLogs(taskId);
    const names = await this.#d.people.names(docs.map((l) => String(l.userId)));
    return {
      items: docs.map((l) => presentTimeLog(l, names)),
      totalHours: Math.round(docs.reduce((s, l) => s + l.hours, 0) * 100) / 100,
    };
  }

  async logTime(ctx: AuthedContext, taskId: string, input: CreateTimeLog): Promise<{ timeLog: TimeLog }> {
    const { task, project } = await this.#d.tasksService.loadFor(ctx, 'task.logTime', taskId);
    const date = parseDay(input.date ?? new Date().toISOString().slice(0, 10));
    const projectId = String(project._id);
    const created = await this.#d.publisher.publish(ctx, async (session) => {
      const doc = await this.#d.activity.addTimeLog(
        { taskId, projectId, userId: ctx.actor.id, date, hours: input.hours, note: input.note ?? '' },
        session,
      );
      // Logged time is not an edit of the task: it does not bump `version`, so editors are not refused.
      await this.#d.tasks.addLoggedHours(taskId, input.hours, session);
      return {
        result: doc,
        audit: {
          action: 'task.logTime',
          permission: 'task.logTime',
          code: task.code,
          changes: [{ field: 'hours', from: null, to: input.hours }],
          note: dayString(date) ?? undefined,
        },
        feed: [
          {
            type: 'time.logged',
            projectId,
            resource: { kind: 'task', id: taskId, code: task.code },
            data: { title: task.title, userId: ctx.actor.id, hours: input.hours, date: dayString(date) },
            audience: [ctx.actor.id],
          },
        ],
      };
    });
    return { timeLog: presentTimeLog(created, new Map([[ctx.actor.id, ctx.actor.name]])) };
  }

  /** Project members named by `@login` in the text or listed explicitly. */
  async #mentions(project: ProjectDoc, input: CreateComment): Promise<string[]> {
    const members = await this.#d.people.find(project.members.map((m) => String(m.userId)));
    const logins = new Set([...input.body.matchAll(MENTION)].map((m) => m[1].toLowerCase()));
    const explicit = new Set(input.mentions ?? []);
    return members
      .filter((u) => logins.has(u.login.toLowerCase()) || explicit.has(String(u._id)))
      .map((u) => String(u._id));
  }
}
