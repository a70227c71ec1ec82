import type { AddMember, ProjectResponse, ProjectRole, UpdateMember } from '@crewdeck/shared/projects';
import type { FeedPublisher } from '../feed/feed.publisher.ts';
import type { AuthedContext } from '../http/context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../http/errors.ts';
import type { AccessControl } from '../permissions/access-control.ts';
import type { People } from '../users/people.ts';
import type { UserDoc } from '../users/users.model.ts';
import { auditPerson, toActor } from '../users/user-status.ts';
import { projectResource } from './projects.policy.ts';
import type { ProjectDoc } from './projects.model.ts';
import type { ProjectsRepository } from './projects.repository.ts';
import type { ProjectsService } from './projects.service.ts';

export interface ProjectMembersDeps {
  projects: ProjectsRepository;
  projectsService: ProjectsService;
  people: People;
  access: AccessControl;
  publisher: FeedPublisher;
}

type MemberList = { userId: string; role: ProjectRole }[];
type FeedType = 'member.added' | 'member.removed' | 'member.roleChanged';
type AuditAction = 'project.memberAdd' | 'project.memberUpdate' | 'project.memberRemove';

/**
 * Who belongs to a project. Every change re-decides, with `can()`, whether the person may
 * still read the project, and the publisher moves their live sockets in or out of its room
 * before any later entry is emitted.
 */
export class ProjectMembersService {
  readonly #d: ProjectMembersDeps;

  constructor(deps: ProjectMembersDeps) {
    this.#d = deps;
  }

  async add(ctx: AuthedContext, projectId: string, input: AddMember): Promise<ProjectResponse> {
    const project = await this.#d.projectsService.loadFor(ctx, 'project.manageMembers', projectId);
    const user = await this.#user(input.userId);
    if (project.members.some((m) => String(m.userId) === input.userId))
      throw new ConflictError('Already a member', { userId: 'Already a member' });
    const edit = (list: MemberList) => [
      ...list.filter((m) => m.userId !== input.userId),
      { userId: input.userId, role: input.role },
    ];
    return this.#change(ctx, project, user, edit, {
      type: 'member.added',
      action: 'project.memberAdd',
      from: null,
      to: input.role,
    });
  }

  async update(ctx: AuthedContext, projectId: string, userId: string, input: UpdateMember): Promise<ProjectResponse> {
    const project = await this.#d.projectsService.loadFor(ctx, 'project.manageMembers', projectId);
    const current = project.members.find((m) => String(m.userId) === userId);
    if (!current) throw new NotFoundError('Member');
    const user = await this.#user(userId);
    if (current.role === input.role) return { project: await this.#d.projectsService.present(ctx.actor, project) };
    const edit = (list: MemberList) => list.map((m) => (m.userId === userId ? { userId, role: input.role } : m));
    return this.#change(ctx, project, user, edit, {
      type: 'member.roleChanged',
      action: 'project.memberUpdate',
      from: current.role,
      to: input.role,
    });
  }

  async remove(ctx: AuthedContext, projectId: string, userId: string): Promise<ProjectResponse> {
    const project = await this.#d.projectsService.loadFor(ctx, 'project.manageMembers', projectId);
    const current = project.members.find((m) => String(m.userId) === userId);
    if (!current) throw new NotFoundError('Member');
    const user = await this.#user(userId);
    const edit = (list: MemberList) => list.filter((m) => m.userId !== userId);
    return this.#change(ctx, project, user, edit, {
      type: 'member.removed',
      action: 'project.memberRemove',
      from: current.role,
      to: null,
    });
  }

  async #change(
    ctx: AuthedContext,
    project: ProjectDoc,
    user: UserDoc,
    edit: (members: MemberList) => MemberList,
    what: { type: FeedType; action: AuditAction; from: ProjectRole | null; to: ProjectRole | null },
  ): Promise<ProjectResponse> {
    const id = String(project._id);
    const userId = String(user._id);
    const updated = await this.#d.publisher.publish(ctx, async (session) => {
      // Re-read under the publisher lock so two concurrent membership changes cannot undo each other.
      const fresh = await this.#d.projects.findById(id, session);
      if (!fresh) throw new NotFoundError('Project');
      const next = await this.#d.projects.setMembers(id, edit(this.#members(fresh)), session);
      if (!next) throw new NotFoundError('Project');
      const canRead = this.#d.access.can(toActor(user), 'project.read', projectResource(next));
      return {
        result: next,
        audit: {
          action: what.action,
          permission: 'project.manageMembers',
          affectedUser: auditPerson(user),
          code: project.code,
          changes: [{ field: 'member', from: what.from, to: what.to }],
        },
        feed: [
          {
            type: what.type,
            projectId: id,
            resource: { kind: 'project', id, code: project.code },
            data: { userId, name: user.name, role: what.to, previousRole: what.from },
            audience: [userId],
          },
        ],
        access: [{ projectId: id, userId, canRead }],
      };
    });
    return { project: await this.#d.projectsService.present(ctx.actor, updated) };
  }

  #members(project: ProjectDoc): MemberList {
    return project.members.map((m) => ({ userId: String(m.userId), role: m.role }));
  }

  async #user(id: string): Promise<UserDoc> {
    const [user] = await this.#d.people.find([id]);
    if (!user) throw new ValidationError({ userId: 'Unknown user' });
    return user;
  }
}
