import { idParamsSchema } from '@crewdeck/shared/common';
import {
  addMemberSchema,
  billingQuerySchema,
  billingSummarySchema,
  createMilestoneSchema,
  createProjectSchema,
  memberParamsSchema,
  milestoneListSchema,
  milestoneResponseSchema,
  overdueSummarySchema,
  presenceSchema,
  projectListQuerySchema,
  projectListSchema,
  projectResponseSchema,
  updateMemberSchema,
  updateMilestoneSchema,
  updateProjectSchema,
} from '@crewdeck/shared/projects';
import type { RouteRegistry } from '../http/route.ts';
import type { PlanningService } from '../tasks/planning.service.ts';
import type { MilestonesService } from './milestones.service.ts';
import type { ProjectMembersService } from './project-members.service.ts';
import type { ProjectsService } from './projects.service.ts';

export interface ProjectRouteServices {
  projects: ProjectsService;
  members: ProjectMembersService;
  milestones: MilestonesService;
  planning: PlanningService;
}

const tag = 'projects';

export function registerProjectRoutes(routes: RouteRegistry, s: ProjectRouteServices): void {
  routes.json({ method: 'get', path: '/api/projects', summary: 'Projects the caller may read, with progress', tag, auth: 'user', query: projectListQuerySchema, response: projectListSchema, handler: ({ ctx, query }) => s.projects.list(ctx, query) });
  routes.json({ method: 'post', path: '/api/projects', summary: 'Create a project; the creator becomes its lead', tag, auth: 'user', body: createProjectSchema, response: projectResponseSchema, status: 201, handler: ({ ctx, body }) => s.projects.create(ctx, body) });
  routes.json({ method: 'get', path: '/api/projects/:id', summary: 'One project', tag, auth: 'user', params: idParamsSchema, response: projectResponseSchema, handler: ({ ctx, params }) => s.projects.get(ctx, params.id) });
  routes.json({ method: 'patch', path: '/api/projects/:id', summary: 'Rename, describe, archive/restore, change statuses', tag, auth: 'user', params: idParamsSchema, body: updateProjectSchema, response: projectResponseSchema, handler: ({ ctx, params, body }) => s.projects.update(ctx, params.id, body) });
  routes.json({ method: 'post', path: '/api/projects/:id/members', summary: 'Add a member with a project role', tag, auth: 'user', params: idParamsSchema, body: addMemberSchema, response: projectResponseSchema, status: 201, handler: ({ ctx, params, body }) => s.members.add(ctx, params.id, body) });
  routes.json({ method: 'patch', path: '/api/projects/:id/members/:userId', summary: 'Change a member’s project role', tag, auth: 'user', params: memberParamsSchema, body: updateMemberSchema, response: projectResponseSchema, handler: ({ ctx, params, body }) => s.members.update(ctx, params.id, params.userId, body) });
  routes.json({ method: 'delete', path: '/api/projects/:id/members/:userId', summary: 'Remove a member; their live feed stops at once', tag, auth: 'user', params: memberParamsSchema, response: projectResponseSchema, handler: ({ ctx, params }) => s.members.remove(ctx, params.id, params.userId) });
  routes.json({ method: 'get', path: '/api/projects/:id/presence', summary: 'Members online now (across instances)', tag, auth: 'user', params: idParamsSchema, response: presenceSchema, handler: ({ ctx, params }) => s.projects.presence(ctx, params.id) });
  routes.json({ method: 'get', path: '/api/projects/:id/billing', summary: 'Billable hours × rate per person and in total, for the project or one milestone', tag, auth: 'user', params: idParamsSchema, query: billingQuerySchema, response: billingSummarySchema, handler: ({ ctx, params, query }) => s.planning.billing(ctx, params.id, query.milestoneId) });
  routes.json({ method: 'get', path: '/api/overdue', summary: 'Overdue task counts per project and per person', tag, auth: 'user', response: overdueSummarySchema, handler: ({ ctx }) => s.planning.overdue(ctx) });
  routes.json({ method: 'get', path: '/api/projects/:id/milestones', summary: 'Milestones with progress', tag: 'milestones', auth: 'user', params: idParamsSchema, response: milestoneListSchema, handler: ({ ctx, params }) => s.milestones.list(ctx, params.id) });
  routes.json({ method: 'post', path: '/api/projects/:id/milestones', summary: 'Create a milestone', tag: 'milestones', auth: 'user', params: idParamsSchema, body: createMilestoneSchema, response: milestoneResponseSchema, status: 201, handler: ({ ctx, params, body }) => s.milestones.create(ctx, params.id, body) });
  routes.json({ method: 'patch', path: '/api/milestones/:id', summary: 'Edit a milestone', tag: 'milestones', auth: 'user', params: idParamsSchema, body: updateMilestoneSchema, response: milestoneResponseSchema, handler: ({ ctx, params, body }) => s.milestones.update(ctx, params.id, body) });
}
