import { limits } from '@crewdeck/shared/limits';
import type { Presence, PresenceDelta } from '@crewdeck/shared/projects';
import { rooms } from '../realtime/rooms.ts';
import type { AppServer } from '../realtime/types.ts';

interface Batch {
  joined: Map<string, string>;
  left: Set<string>;
}

/**
 * Who is online per project, from the sockets in the project room. Answers come from
 * `fetchSockets()`, so they span every instance behind the Redis adapter. Changes are
 * batched per project for `presenceBatchMs`: a thousand people connecting after a restart
 * cause a few broadcasts, not a thousand.
 */
export class PresenceService {
  #io: AppServer | null = null;
  readonly #batches = new Map<string, Batch>();
  #timer: NodeJS.Timeout | null = null;

  attach(io: AppServer): void {
    this.#io = io;
  }

  detach(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#batches.clear();
    this.#io = null;
  }

  async list(projectId: string): Promise<Presence> {
    const io = this.#io;
    if (!io) return { projectId, online: [] };
    const sockets = await io.in(rooms.project(projectId)).fetchSockets();
    const online = new Map<string, string>();
    for (const s of sockets) online.set(s.data.actor.id, s.data.actor.name);
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
    const io = this.#io;
    if (!io || projectIds.length === 0) return;
    const remaining = await io.in(rooms.user(userId)).fetchSockets();
    for (const projectId of projectIds) {
      if (remaining.some((s) => s.rooms.has(rooms.project(projectId)))) continue;
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
    const io = this.#io;
    const batches = [...this.#batches];
    this.#batches.clear();
    if (!io) return;
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
      io.to(rooms.project(projectId)).emit('presence', delta);
    }
  }
}
