// Comments and time log of the open task, refetched when the feed reports one for it; posting a
// comment and logging time go through here too.
import type { Comment, CreateTimeLog, TimeLog } from '@crewdeck/shared/tasks';
import type { FeedEntry } from '@crewdeck/shared/feed';
import { taskEndpoints } from '@crewdeck/shared/tasks';
import { call } from '../api.ts';
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
      this.comments = (await call(taskEndpoints.comments, { params: { id: this.taskId } })).items;
    } catch (err) {
      this.error = handleError(err).message;
    }
  }

  async loadLogs(): Promise<void> {
    try {
      const list = await call(taskEndpoints.timeLogs, { params: { id: this.taskId } });
      this.logs = list.items;
      this.totalHours = list.totalHours;
    } catch (err) {
      this.error = handleError(err).message;
    }
  }

  /** Posts a comment (`mentions`: user ids still named in the text), then refreshes the list. */
  async postComment(body: string, mentions: string[]): Promise<void> {
    await call(taskEndpoints.comment, {
      params: { id: this.taskId },
      body: { body, mentions: mentions.length > 0 ? mentions : undefined },
    });
    void this.loadComments();
  }

  /** Replaces a comment's text (its author only); the edited comment replaces the old one. */
  async updateComment(id: string, body: string): Promise<void> {
    const { comment } = await call(taskEndpoints.updateComment, { params: { id }, body: { body } });
    this.comments = this.comments.map((item) => (item.id === id ? comment : item));
  }

  /** Logs time on the task, then refreshes the log and its total. */
  async logTime(entry: CreateTimeLog): Promise<void> {
    await call(taskEndpoints.logTime, { params: { id: this.taskId }, body: entry });
    void this.loadLogs();
  }

  #apply(entry: FeedEntry): void {
    if (entry.resource.id !== this.taskId) return;
    if (entry.type.startsWith('comment.')) void this.loadComments();
    if (entry.type === 'time.logged') void this.loadLogs();
  }
}
