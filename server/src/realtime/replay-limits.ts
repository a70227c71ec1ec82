import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { limits } from '@crewdeck/shared/limits';

/**
 * At most `feedReplaysPerUser` replays of one user at once on this server; the others wait in
 * arrival order. A socket waits with at most one run (see `ReplayQueue`), so the waiting list
 * is bounded by the user's sockets.
 */
export class ReplayGate {
  readonly #users = new Map<string, { running: number; waiting: Array<() => void> }>();

  /** Resolves with the function that gives the slot back (call it exactly once). */
  async acquire(userId: string): Promise<() => void> {
    const user = this.#users.get(userId) ?? { running: 0, waiting: [] };
    this.#users.set(userId, user);
    if (user.running >= limits.feedReplaysPerUser) await new Promise<void>((resolve) => user.waiting.push(resolve));
    else user.running += 1;
    return () => this.#release(userId);
  }

  #release(userId: string): void {
    const user = this.#users.get(userId);
    if (!user) return;
    // The slot passes straight to the next waiter, so `running` does not change.
    const next = user.waiting.shift();
    if (next) return next();
    user.running -= 1;
    if (user.running === 0) this.#users.delete(userId);
  }
}

/**
 * Counts `feed:resume` requests per user (every request, merged or not). In memory, per
 * server: a restart clears the counts, and with several instances each counts its own sockets.
 */
export class ResumeLimiter {
  readonly #limiter = new RateLimiterMemory({
    keyPrefix: 'feed_resume',
    points: limits.feedResumesPerUser,
    duration: limits.feedResumeWindowSeconds,
  });

  /** Null when the request may go ahead, else the seconds until one would be accepted. */
  async take(userId: string): Promise<number | null> {
    try {
      await this.#limiter.consume(userId);
      return null;
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      return Math.max(1, Math.ceil(error.msBeforeNext / 1000));
    }
  }
}
