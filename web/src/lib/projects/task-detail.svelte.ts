// Comments and time log of the open task, refetched when the feed reports one for it.
import type { Comment, TimeLog } from '@crewdeck/shared/tasks';
import type { FeedEntry } from '@crewdeck/shared/feed';
import { api } from '../api.ts';
import { handleError } from '../errors.ts';
import { realtime } from '../realtime.svelte.ts';

export class TaskExtras {
  comments = $state<Comment[]>([]);
  logs = $state<TimeLog[]>([]);
  totalHours = $state(0);
  error = $state('');
  readonly taskId: string;

  constructor(taskId: string) {
    this.taskId = taskId;
  }

  /** Loads both lists and follows the feed; returns the unsubscribe function. */
  connect(): () => void {
    void this.loadComments();
    void this.loadLogs();
    const offFeed = realtime.onFeed((entry) => this.#apply(entry));
    const offResync = realtime.onResync(() => {
      void this.loadComments();
      void this.loadLogs();
    });
    return () => {
      offFeed();
      offResync();
    };
  }

  async loadComments(): Promise<void> {
    try {
      this.comments = (await api.tasks.comments(this.taskId)).items;
    } catch (err) {
      this.error = handleError(err).message;
    }
  }

  async loadLogs(): Promise<void> {
    try {
      const list = await api.tasks.timeLogs(this.taskId);
      this.logs = list.items;
      this.totalHours = list.totalHours;
    } catch (err) {
      this.error = handleError(err).message;
    }
  }

  #apply(entry: FeedEntry): void {
    if (entry.resource.id !== this.taskId) return;
    if (entry.type === 'comment.added') void this.loadComments();
    if (entry.type === 'time.logged') void this.loadLogs();
  }
}
