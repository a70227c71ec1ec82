import type { z } from 'zod';
import type { Trashed } from '@crewdeck/shared/projects';
import type {
  Comment,
  CreateComment,
  UpdateComment,
  CreateTimeLog,
  TimeLog,
  commentListSchema,
  timeLogListSchema,
} from '@crewdeck/shared/tasks';
import type { Abilities } from '@crewdeck/shared/permissions';
import type { FeedPublisher } from '../feed/feed.publisher.ts';
import type { AuthedContext } from '../http/context.ts';
import { NotFoundError } from '../http/errors.ts';
import type { AccessControl } from '../permissions/access-control.ts';
import type { ProjectDoc } from '../projects/projects.model.ts';
import { restorable, restoreUntil } from '../projects/trash.ts';
import type { Names, People } from '../users/people.ts';
import type { CommentDoc, TimeLogDoc } from './activity.model.ts';
import type { ActivityRepository } from './activity.repository.ts';
import { dayString, parseDay } from './task-dates.ts';
import type { TaskDoc } from './tasks.model.ts';
import { commentActions, taskResource } from './tasks.policy.ts';
import type { TasksRepository } from './tasks.repository.ts';
import type { TasksService } from './tasks.service.ts';

export interface ActivityDeps {
  activity: ActivityRepository;
  tasks: TasksRepository;
  tasksService: TasksService;
  people: People;
  access: AccessControl;
  publisher: FeedPublisher;
}

/** A comment with the task and project it belongs to. */
interface CommentInContext {
  comment: CommentDoc;
  task: TaskDoc;
  project: ProjectDoc;
}

/** `@login` tokens; a login may itself be an e-mail address. */
const MENTION = /(?:^|[^\w@])@([\w.+-]+(?:@[\w-]+(?:\.[\w-]+)+)?)/g;
const EXCERPT = 140;

function presentComment(doc: CommentDoc, names: Names, abilities: Abilities): Comment {
  const ref = (id: unknown) => ({ id: String(id), name: names.get(String(id)) ?? '' });
  return {
    id: String(doc._id),
    taskId: String(doc.taskId),
    author: ref(doc.authorId),
    body: doc.body,
    mentions: doc.mentions.map(ref),
    createdAt: doc.createdAt.toISOString(),
    editedAt: doc.editedAt ? doc.editedAt.toISOString() : null,
    abilities,
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
    const { task, project } = await this.#d.tasksService.loadFor(ctx, 'project.read', taskId);
    const docs = await this.#d.activity.comments(taskId);
    return { items: await this.#present(ctx, task, project, docs) };
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
    return { comment: (await this.#present(ctx, task, project, [created]))[0] };
  }

  /** Edits the text (its author only); mentions are re-read and only new ones are notified. */
  async updateComment(ctx: AuthedContext, id: string, input: UpdateComment): Promise<{ comment: Comment }> {
    const { comment, task, project } = await this.#load(ctx, 'comment.update', id);
    const mentions = await this.#mentions(project, input);
    const before = new Set(comment.mentions.map(String));
    const added = mentions.filter((u) => !before.has(u) && u !== ctx.actor.id);
    const excerpt = input.body.slice(0, EXCERPT);
    const updated = await this.#d.publisher.publish(ctx, async (session) => {
      const doc = await this.#d.activity.editComment(id, { body: input.body, mentions, editedAt: new Date() }, session);
      if (!doc) throw new NotFoundError('Comment');
      const ref = { id: String(task._id), code: task.code, title: task.title };
      return {
        result: doc,
        audit: {
          action: 'comment.update',
          permission: 'comment.update',
          code: task.code,
          changes: [{ field: 'comment', from: comment.body.slice(0, EXCERPT), to: excerpt }],
        },
        feed: [
          {
            ...this.#entry('comment.updated', task, doc),
            data: { title: task.title, commentId: id, excerpt, mentions },
            notify: [{ kind: 'mentioned', userIds: added, task: ref, data: { commentId: id, excerpt } }],
          },
        ],
      };
    });
    return { comment: (await this.#present(ctx, task, project, [updated]))[0] };
  }

  /** Moves a comment to the trash (its author, a project lead or a workspace admin). */
  async removeComment(ctx: AuthedContext, id: string): Promise<Trashed> {
    const { comment, task } = await this.#load(ctx, 'comment.delete', id);
    const at = new Date();
    await this.#d.publisher.publish(ctx, async (session) => {
      await this.#d.activity.trashComment(id, ctx.actor.id, at, session);
      return {
        result: undefined,
        audit: {
          action: 'comment.delete',
          permission: 'comment.delete',
          code: task.code,
          changes: [{ field: 'comment', from: comment.body.slice(0, EXCERPT), to: null }],
        },
        feed: [this.#entry('comment.deleted', task, comment)],
      };
    });
    return { ok: true, restoreUntil: restoreUntil(at).toISOString() };
  }

  async restoreComment(ctx: AuthedContext, id: string): Promise<{ comment: Comment }> {
    const trashed = await this.#d.activity.findTrashedComment(id);
    // Comments deleted with their task come back with it, not on their own.
    if (!trashed || trashed.trashedWith || !restorable(trashed)) throw new NotFoundError('Comment');
    const { task, project } = await this.#authorize(ctx, 'comment.delete', trashed);
    const restored = await this.#d.publisher.publish(ctx, async (session) => {
      const doc = await this.#d.activity.restoreComment(id, session);
      if (!doc) throw new NotFoundError('Comment');
      return {
        result: doc,
        audit: {
          action: 'comment.restore',
          permission: 'comment.delete',
          code: task.code,
          changes: [{ field: 'comment', from: null, to: doc.body.slice(0, EXCERPT) }],
        },
        feed: [this.#entry('comment.restored', task, doc)],
      };
    });
    return { comment: (await this.#present(ctx, task, project, [restored]))[0] };
  }

  async #load(ctx: AuthedContext, action: (typeof commentActions)[number], id: string): Promise<CommentInContext> {
    const comment = await this.#d.activity.findComment(id);
    if (!comment) throw new NotFoundError('Comment');
    return { comment, ...(await this.#authorize(ctx, action, comment)) };
  }

  /** Someone who may not read the task gets 404, as for a made-up id; a reader lacking `action` gets 403. */
  async #authorize(
    ctx: AuthedContext,
    action: (typeof commentActions)[number],
    comment: CommentDoc,
  ): Promise<{ task: TaskDoc; project: ProjectDoc }> {
    const task = await this.#d.tasks.findById(String(comment.taskId));
    if (!task) throw new NotFoundError('Comment');
    const { project } = await this.#d.tasksService.loadFor(ctx, 'project.read', String(task._id));
    await this.#d.access.authorize(ctx, action, taskResource(task, project, comment), { code: task.code });
    return { task, project };
  }

  #entry(type: 'comment.updated' | 'comment.deleted' | 'comment.restored', task: TaskDoc, comment: CommentDoc) {
    return {
      type,
      projectId: String(task.projectId),
      resource: { kind: 'task' as const, id: String(task._id), code: task.code },
      data: { title: task.title, commentId: String(comment._id) },
      audience: task.assignees.map(String),
    };
  }

  async #present(ctx: AuthedContext, task: TaskDoc, project: ProjectDoc, docs: CommentDoc[]): Promise<Comment[]> {
    const names = await this.#d.people.names(docs.flatMap((c) => [String(c.authorId), ...c.mentions.map(String)]));
    return docs.map((c) =>
      presentComment(c, names, this.#d.access.abilities(ctx.actor, commentActions, taskResource(task, project, c))),
    );
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
  async #mentions(project: ProjectDoc, input: CreateComment | UpdateComment): Promise<string[]> {
    const members = await this.#d.people.find(project.members.map((m) => String(m.userId)));
    const logins = new Set([...input.body.matchAll(MENTION)].map((m) => m[1].toLowerCase()));
    const explicit = new Set(input.mentions ?? []);
    return members
      .filter((u) => logins.has(u.login.toLowerCase()) || explicit.has(String(u._id)))
      .map((u) => String(u._id));
  }
}
