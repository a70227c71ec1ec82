import { limits } from '@crewdeck/shared/limits';
import type { FeedEntry, FeedPage, FeedQuery } from '@crewdeck/shared/feed';
import type { Actor, AuthedContext } from '../http/context.ts';
import type { AccessControl } from '../permissions/access-control.ts';
import type { ProjectsService } from '../projects/projects.service.ts';
import { presentFeedEntry } from './feed.presenter.ts';
import type { FeedRepository } from './feed.repository.ts';

/** Reading the feed: pages over the API and the replay a resuming socket receives. */
export class FeedService {
  readonly #repo: FeedRepository;
  readonly #projects: ProjectsService;
  readonly #access: AccessControl;

  constructor(deps: { repo: FeedRepository; projects: ProjectsService; access: AccessControl }) {
    this.#repo = deps.repo;
    this.#projects = deps.projects;
    this.#access = deps.access;
  }

  async list(ctx: AuthedContext, query: FeedQuery): Promise<FeedPage> {
    // Someone who reads neither projects nor documents has no feed; the denial is journaled.
    if (!this.#access.can(ctx.actor, 'doc.view')) await this.#access.authorize(ctx, 'project.read');
    let projectIds = await this.#projects.readableIds(ctx.actor);
    if (query.projectId) {
      await this.#projects.loadFor(ctx, 'project.read', query.projectId);
      projectIds = [query.projectId];
    }
    const latestSeq = await this.#repo.head();
    const docs = await this.#repo.find({
      projectIds,
      // A one-project view leaves library entries out.
      viewerId: query.projectId ? undefined : ctx.actor.id,
      after: query.after,
      before: query.before,
      audience: query.mine === 'true' ? ctx.actor.id : undefined,
      limit: query.limit ?? limits.pageDefault,
    });
    return { items: docs.map(presentFeedEntry), latestSeq };
  }

  async head(): Promise<number> {
    return this.#repo.head();
  }

  /**
   * One page of a replay: entries with `after < seq <= through` in the given projects and
   * library entries `viewerId` is a viewer of, oldest first, at most `limit`. Entries are
   * committed in seq order, so once `through` is the head every entry up to it is readable here.
   */
  async page(
    projectIds: string[],
    viewerId: string,
    after: number,
    through: number,
    limit: number,
  ): Promise<FeedEntry[]> {
    const docs = await this.#repo.find({ projectIds, viewerId, after, before: through + 1, limit });
    return docs.map(presentFeedEntry);
  }

  readableIds(actor: Actor): Promise<string[]> {
    return this.#projects.readableIds(actor);
  }
}
