import { milestoneEndpoints } from '@crewdeck/shared/projects';
import { projectEndpoints } from '@crewdeck/shared/projects';
import type { RouteRegistry } from '../http/route.ts';
import type { PlanningService } from '../tasks/planning.service.ts';
import type { MilestonesService } from './milestones.service.ts';
import type { ProjectMembersService } from './project-members.service.ts';
import type { ProjectTrashService } from './project-trash.service.ts';
import type { ProjectsService } from './projects.service.ts';

export interface ProjectRouteServices {
  projects: ProjectsService;
  projectTrash: ProjectTrashService;
  members: ProjectMembersService;
  milestones: MilestonesService;
  planning: PlanningService;
}

export function registerProjectRoutes(routes: RouteRegistry, s: ProjectRouteServices): void {
  routes.json(projectEndpoints.list, {
    auth: 'user',
    handler: ({ ctx, query }) => s.projects.list(ctx, query),
  });
  routes.json(projectEndpoints.create, {
    auth: 'user',
    handler: ({ ctx, body }) => s.projects.create(ctx, body),
  });
  routes.json(projectEndpoints.get, {
    auth: 'user',
    handler: ({ ctx, params }) => s.projects.get(ctx, params.id),
  });
  routes.json(projectEndpoints.update, {
    auth: 'user',
    handler: ({ ctx, params, body }) => s.projects.update(ctx, params.id, body),
  });
  routes.json(projectEndpoints.remove, {
    auth: 'user',
    handler: ({ ctx, params }) => s.projectTrash.remove(ctx, params.id),
  });
  routes.json(projectEndpoints.restore, {
    auth: 'user',
    handler: ({ ctx, params }) => s.projectTrash.restore(ctx, params.id),
  });
  routes.json(projectEndpoints.trash, {
    auth: 'user',
    handler: ({ ctx, query }) => s.projectTrash.list(ctx, query.projectId),
  });
  routes.json(projectEndpoints.addMember, {
    auth: 'user',
    handler: ({ ctx, params, body }) => s.members.add(ctx, params.id, body),
  });
  routes.json(projectEndpoints.setRole, {
    auth: 'user',
    handler: ({ ctx, params, body }) => s.members.update(ctx, params.id, params.userId, body),
  });
  routes.json(projectEndpoints.removeMember, {
    auth: 'user',
    handler: ({ ctx, params }) => s.members.remove(ctx, params.id, params.userId),
  });
  routes.json(projectEndpoints.presence, {
    auth: 'user',
    handler: ({ ctx, params }) => s.projects.presence(ctx, params.id),
  });
  routes.json(projectEndpoints.billing, {
    auth: 'user',
    handler: ({ ctx, params, query }) => s.planning.billing(ctx, params.id, query.milestoneId),
  });
  routes.json(projectEndpoints.overdue, {
    auth: 'user',
    handler: ({ ctx }) => s.planning.overdue(ctx),
  });
  routes.json(milestoneEndpoints.list, {
    auth: 'user',
    handler: ({ ctx, params }) => s.milestones.list(ctx, params.id),
  });
  routes.json(milestoneEndpoints.create, {
    auth: 'user',
    handler: ({ ctx, params, body }) => s.milestones.create(ctx, params.id, body),
  });
  routes.json(milestoneEndpoints.update, {
    auth: 'user',
    handler: ({ ctx, params, body }) => s.milestones.update(ctx, params.id, body),
  });
  routes.json(milestoneEndpoints.remove, {
    auth: 'user',
    handler: ({ ctx, params }) => s.milestones.remove(ctx, params.id),
  });
  routes.json(milestoneEndpoints.restore, {
    auth: 'user',
    handler: ({ ctx, params }) => s.milestones.restore(ctx, params.id),
  });
}
