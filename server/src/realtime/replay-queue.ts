import type { Ack, FeedSynced } from '@crewdeck/shared/realtime';

export type ResumeReply = (answer: Ack<FeedSynced>) => void;
/** One resume run from `lastSeq`; never rejects (a failure is an answer). */
export type ResumeRun = (lastSeq: number) => Promise<Ack<FeedSynced>>;

/**
 * One socket's replays, one at a time. The connection's own replay runs first; a `feed:resume`
 * arriving while a replay runs becomes the next run, and any further ones merge into it (from
 * the lowest seq asked for, every merged request answered with that run's result): at most one
 * run waits, however many requests arrive.
 */
export class ReplayQueue {
  readonly #run: ResumeRun;
  #busy = false;
  #next: { lastSeq: number; replies: ResumeReply[] } | null = null;

  constructor(run: ResumeRun) {
    this.#run = run;
  }

  /** Runs the connection's replay; resumes requested meanwhile wait for it. `first` must not reject. */
  start(first: () => Promise<void>): void {
    this.#busy = true;
    void first().finally(() => this.#drain());
  }

  /** Runs a resume now, or after the running replay; returns true when it merged into a waiting one. */
  request(lastSeq: number, reply: ResumeReply): boolean {
    if (this.#next) {
      this.#next.lastSeq = Math.min(this.#next.lastSeq, lastSeq);
      this.#next.replies.push(reply);
      return true;
    }
    this.#next = { lastSeq, replies: [reply] };
    if (!this.#busy) this.#drain();
    return false;
  }

  #drain(): void {
    const next = this.#next;
    this.#next = null;
    this.#busy = next !== null;
    if (!next) return;
    void this.#run(next.lastSeq)
      .then((answer) => next.replies.forEach((reply) => reply(answer)))
      .finally(() => this.#drain());
  }
}
