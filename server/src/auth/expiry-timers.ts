/** Longest delay `setTimeout` takes (2³¹ − 1 ms, about 24.8 days); longer ones fire at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

interface Entry {
  at: number;
  timer: NodeJS.Timeout | null;
}

/**
 * One timer per user with an expiry, armed for the exact instant, so an account's expiry takes
 * effect at its moment rather than at the next sweep. Delays past `MAX_TIMER_MS` are waited out
 * in chunks. Each server instance keeps its own (for the users it has seen); `track` re-arms
 * when the expiry changes and is a no-op when it did not.
 */
export class ExpiryTimers {
  readonly #entries = new Map<string, Entry>();
  readonly #onExpire: (userId: string) => void;
  readonly #now: () => number;

  constructor(onExpire: (userId: string) => void, now: () => number = Date.now) {
    this.#onExpire = onExpire;
    this.#now = now;
  }

  /** Arms (or re-arms, or with `null` drops) the timer of a user. */
  track(userId: string, expiresAt: Date | null): void {
    const at = expiresAt?.getTime() ?? null;
    const current = this.#entries.get(userId);
    if (current && current.at === at) return;
    if (current?.timer) clearTimeout(current.timer);
    if (at === null) {
      this.#entries.delete(userId);
      return;
    }
    const entry: Entry = { at, timer: null };
    this.#entries.set(userId, entry);
    this.#arm(userId, entry);
  }

  /** True from the user's expiry instant on, before the timer has even run (as far as this instance knows). */
  isExpired(userId: string): boolean {
    const entry = this.#entries.get(userId);
    return entry !== undefined && entry.at <= this.#now();
  }

  /** Users whose expiry this instance follows. */
  tracked(): string[] {
    return [...this.#entries.keys()];
  }

  /** Stops following users not in `keep` (e.g. those without open sessions). */
  retain(keep: ReadonlySet<string>): void {
    for (const userId of this.#entries.keys()) if (!keep.has(userId)) this.track(userId, null);
  }

  close(): void {
    for (const entry of this.#entries.values()) if (entry.timer) clearTimeout(entry.timer);
    this.#entries.clear();
  }

  #arm(userId: string, entry: Entry): void {
    const delay = Math.min(Math.max(0, entry.at - this.#now()), MAX_TIMER_MS);
    entry.timer = setTimeout(() => {
      if (this.#entries.get(userId) !== entry) return;
      // A chunk of a long wait, or a timer that ran a little early: wait for the rest.
      if (this.#now() < entry.at) return this.#arm(userId, entry);
      entry.timer = null;
      this.#onExpire(userId);
    }, delay);
    entry.timer.unref();
  }
}
