import { limits } from '@crewdeck/shared/limits';
import type { Presence, PresenceDelta } from '@crewdeck/shared/projects';
import type { EventBus } from '../events/event-bus.ts';

/** What the realtime layer answers about live sockets, across every instance. */
export interface SocketDirectory {
  /** Users with a socket in the project's room. */
  online(projectId: string): Promise<Array<{ id: string; name: string }>>;
  /** Of these projects, those whose room still holds a socket of the user. */
  stillIn(userId: string, projectIds: readonly string[]): Promise<ReadonlySet<string>>;
}

interface Batch {
  joined: Map<string, string>;
  left: Set<string>;
}

/**
 * Who is online per project, from the sockets in the project room. Answers come from the
 * realtime layer's directory, so they span every instance behind the Redis adapter. Changes
 * are batched per project for `presenceBatchMs` and raised as `project.presenceChanged`
 * (the realtime layer sends them): a thousand people connecting after a restart cause a few
 * broadcasts, not a thousand.
 */
export class PresenceService {
  readonly #events: EventBus;
  #directory: SocketDirectory | null = null;
  readonly #batches = new Map<string, Batch>();
  #timer: NodeJS.Timeout | null = null;

  constructor(deps: { events: EventBus }) {
    this.#events = deps.events;
  }

  attach(directory: SocketDirectory): void {
    this.#directory = directory;
  }

  detach(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#batches.clear();
    this.#directory = null;
  }

  async list(projectId: string): Promise<Presence> {
    const directory = this.#directory;
    if (!directory) return { projectId, online: [] };
    const online = new Map<string, string>();
    for (const user of await directory.online(projectId)) online.set(user.id, user.name);
    const list = [...online].map(([userId, name]) => ({ userId, name })).sort((a, b) => a.name.localeCompare(b.name));
    return { projectId, online: list };
  }

  /** A socket of `user` joined these project rooms. */
  joined(user: { id: string; name: string }, projectIds: Iterable<string>): void {
    for (const projectId of projectIds) {
      const batch = this.#batch(projectId);
      batch.left.delete(user.id);
      batch.joined.set(user.id, user.name);
    }
  }

  /** A socket of `userId` left; they count as gone only when no socket of theirs remains. */
  async left(userId: string, projectIds: string[]): Promise<void> {
    const directory = this.#directory;
    if (!directory || projectIds.length === 0) return;
    const remaining = await directory.stillIn(userId, projectIds);
    for (const projectId of projectIds) {
      if (remaining.has(projectId)) continue;
      const batch = this.#batch(projectId);
      batch.joined.delete(userId);
      batch.left.add(userId);
    }
  }

  #batch(projectId: string): Batch {
    let batch = this.#batches.get(projectId);
    if (!batch) {
      batch = { joined: new Map(), left: new Set() };
      this.#batches.set(projectId, batch);
    }
    this.#timer ??= setTimeout(() => this.#flush(), limits.presenceBatchMs);
    return batch;
  }

  #flush(): void {
    this.#timer = null;
    const batches = [...this.#batches];
    this.#batches.clear();
    if (!this.#directory) return;
    for (const [projectId, batch] of batches) {
      const size = batch.joined.size + batch.left.size;
      if (size === 0) continue;
      const refetch = size > limits.presenceBatchMax;
      const delta: PresenceDelta = {
        projectId,
        joined: refetch ? [] : [...batch.joined].map(([userId, name]) => ({ userId, name })),
        left: refetch ? [] : [...batch.left],
        refetch,
      };
      this.#events.emit('project.presenceChanged', delta);
    }
  }
}
