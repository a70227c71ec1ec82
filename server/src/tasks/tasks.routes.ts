import { taskEndpoints } from '@crewdeck/shared/tasks';
import type { RouteRegistry } from '../http/route.ts';
import type { ActivityService } from './activity.service.ts';
import type { PlanningService } from './planning.service.ts';
import type { TaskTrashService } from './task-trash.service.ts';
import type { TasksService } from './tasks.service.ts';

export interface TaskRouteServices {
  tasks: TasksService;
  taskTrash: TaskTrashService;
  activity: ActivityService;
  planning: PlanningService;
}

export function registerTaskRoutes(routes: RouteRegistry, s: TaskRouteServices): void {
  routes.json(taskEndpoints.list, {
    auth: 'user',
    handler: ({ ctx, params, query }) => s.tasks.list(ctx, params.id, query),
  });
  routes.json(taskEndpoints.create, {
    auth: 'user',
    handler: ({ ctx, params, body }) => s.tasks.create(ctx, params.id, body),
  });
  routes.json(taskEndpoints.get, {
    auth: 'user',
    handler: ({ ctx, params }) => s.tasks.get(ctx, params.id),
  });
  routes.json(taskEndpoints.update, {
    auth: 'user',
    handler: ({ ctx, params, body }) => s.tasks.update(ctx, params.id, body),
  });
  routes.json(taskEndpoints.remove, {
    auth: 'user',
    handler: ({ ctx, params }) => s.taskTrash.remove(ctx, params.id),
  });
  routes.json(taskEndpoints.restore, {
    auth: 'user',
    handler: ({ ctx, params }) => s.taskTrash.restore(ctx, params.id),
  });
  routes.json(taskEndpoints.comments, {
    auth: 'user',
    handler: ({ ctx, params }) => s.activity.comments(ctx, params.id),
  });
  routes.json(taskEndpoints.comment, {
    auth: 'user',
    handler: ({ ctx, params, body }) => s.activity.comment(ctx, params.id, body),
  });
  routes.json(taskEndpoints.updateComment, {
    auth: 'user',
    handler: ({ ctx, params, body }) => s.activity.updateComment(ctx, params.id, body),
  });
  routes.json(taskEndpoints.removeComment, {
    auth: 'user',
    handler: ({ ctx, params }) => s.activity.removeComment(ctx, params.id),
  });
  routes.json(taskEndpoints.restoreComment, {
    auth: 'user',
    handler: ({ ctx, params }) => s.activity.restoreComment(ctx, params.id),
  });
  routes.json(taskEndpoints.timeLogs, {
    auth: 'user',
    handler: ({ ctx, params }) => s.activity.timeLogs(ctx, params.id),
  });
  routes.json(taskEndpoints.logTime, {
    auth: 'user',
    handler: ({ ctx, params, body }) => s.activity.logTime(ctx, params.id, body),
  });
  routes.json(taskEndpoints.workload, {
    auth: 'user',
    handler: ({ ctx, query }) => s.planning.workload(ctx, query),
  });
}
