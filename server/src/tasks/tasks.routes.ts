import { okSchema } from '@crewdeck/shared/auth';
import { idParamsSchema } from '@crewdeck/shared/common';
import {
  commentListSchema,
  commentResponseSchema,
  createCommentSchema,
  createTaskSchema,
  createTimeLogSchema,
  taskListQuerySchema,
  taskListSchema,
  taskResponseSchema,
  timeLogListSchema,
  timeLogResponseSchema,
  updateTaskSchema,
  workloadQuerySchema,
  workloadSchema,
} from '@crewdeck/shared/tasks';
import type { RouteRegistry } from '../http/route.ts';
import type { ActivityService } from './activity.service.ts';
import type { PlanningService } from './planning.service.ts';
import type { TasksService } from './tasks.service.ts';

export interface TaskRouteServices {
  tasks: TasksService;
  activity: ActivityService;
  planning: PlanningService;
}

const tag = 'tasks';

export function registerTaskRoutes(routes: RouteRegistry, s: TaskRouteServices): void {
  routes.json({ method: 'get', path: '/api/projects/:id/tasks', summary: 'Tasks of a project (filters: assignee, milestone, label, status, overdue, parentId)', tag, auth: 'user', params: idParamsSchema, query: taskListQuerySchema, response: taskListSchema, handler: ({ ctx, params, query }) => s.tasks.list(ctx, params.id, query) });
  routes.json({ method: 'post', path: '/api/projects/:id/tasks', summary: 'Create a task or subtask; 409 with `overload.*` fields when it overloads someone (retry with force)', tag, auth: 'user', params: idParamsSchema, body: createTaskSchema, response: taskResponseSchema, status: 201, handler: ({ ctx, params, body }) => s.tasks.create(ctx, params.id, body) });
  routes.json({ method: 'get', path: '/api/tasks/:id', summary: 'One task', tag, auth: 'user', params: idParamsSchema, response: taskResponseSchema, handler: ({ ctx, params }) => s.tasks.get(ctx, params.id) });
  routes.json({ method: 'patch', path: '/api/tasks/:id', summary: 'Edit a task; `version` must be current (409 otherwise)', tag, auth: 'user', params: idParamsSchema, body: updateTaskSchema, response: taskResponseSchema, handler: ({ ctx, params, body }) => s.tasks.update(ctx, params.id, body) });
  routes.json({ method: 'delete', path: '/api/tasks/:id', summary: 'Delete a task and its subtasks (refused once time was logged)', tag, auth: 'user', params: idParamsSchema, response: okSchema, handler: ({ ctx, params }) => s.tasks.delete(ctx, params.id) });
  routes.json({ method: 'get', path: '/api/tasks/:id/comments', summary: 'Comments, oldest first', tag, auth: 'user', params: idParamsSchema, response: commentListSchema, handler: ({ ctx, params }) => s.activity.comments(ctx, params.id) });
  routes.json({ method: 'post', path: '/api/tasks/:id/comments', summary: 'Comment; `@login` mentions notify project members', tag, auth: 'user', params: idParamsSchema, body: createCommentSchema, response: commentResponseSchema, status: 201, handler: ({ ctx, params, body }) => s.activity.comment(ctx, params.id, body) });
  routes.json({ method: 'get', path: '/api/tasks/:id/time', summary: 'Time log entries', tag, auth: 'user', params: idParamsSchema, response: timeLogListSchema, handler: ({ ctx, params }) => s.activity.timeLogs(ctx, params.id) });
  routes.json({ method: 'post', path: '/api/tasks/:id/time', summary: 'Log time worked on a task', tag, auth: 'user', params: idParamsSchema, body: createTimeLogSchema, response: timeLogResponseSchema, status: 201, handler: ({ ctx, params, body }) => s.activity.logTime(ctx, params.id, body) });
  routes.json({ method: 'get', path: '/api/workload', summary: 'Planned hours per day against capacity (default: the caller)', tag, auth: 'user', query: workloadQuerySchema, response: workloadSchema, handler: ({ ctx, query }) => s.planning.workload(ctx, query) });
}
