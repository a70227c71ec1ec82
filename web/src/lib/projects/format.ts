// Small presentation helpers shared by the project pages.
import type { ProjectFeedEntry } from '@crewdeck/shared/feed';
import type { Notification } from '@crewdeck/shared/notifications';
import type { Progress, StatusDef } from '@crewdeck/shared/projects';

/** `3 h`, `1.5 h`. */
export function formatHours(hours: number | null | undefined): string {
  if (hours === null || hours === undefined) return '—';
  return `${Math.round(hours * 100) / 100} h`;
}

export function formatMoney(amount: number): string {
  return amount.toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** `2026-03-01` as a short local date, without time-zone drift. */
export function formatDay(day: string | null | undefined): string {
  if (!day) return '—';
  const [year, month, date] = day.split('-').map(Number);
  return new Date(year, month - 1, date).toLocaleDateString(undefined, {
    month: 'short',
    day: 'numeric',
    year: 'numeric',
  });
}

/** `Nov 21` (with the year when it is not this year), for cards. */
export function formatDayShort(day: string | null | undefined): string {
  if (!day) return '—';
  const [year, month, date] = day.split('-').map(Number);
  const sameYear = year === new Date().getFullYear();
  return new Date(year, month - 1, date).toLocaleDateString(
    undefined,
    sameYear ? { month: 'short', day: 'numeric' } : { month: 'short', day: 'numeric', year: 'numeric' },
  );
}

/** Initials for an avatar: "Mia Member" → "MM". */
export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? parts[0][0] + parts[parts.length - 1][0] : (parts[0] ?? '?').slice(0, 2);
  return letters.toUpperCase();
}

/** A stable hue per person, so the same avatar keeps its colour everywhere. */
export function avatarHue(id: string): number {
  let hash = 0;
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) % 360;
  return hash;
}

export type ProgressShares = { done: number; inProgress: number; remaining: number; total: number };

/** Percentages of tasks per bucket (0 when the project has no task). */
export function progressShares(progress: Progress): ProgressShares {
  const total = progress.done.tasks + progress.inProgress.tasks + progress.remaining.tasks;
  const share = (n: number) => (total === 0 ? 0 : Math.round((n / total) * 1000) / 10);
  return {
    done: share(progress.done.tasks),
    inProgress: share(progress.inProgress.tasks),
    remaining: share(progress.remaining.tasks),
    total,
  };
}

export function statusName(statuses: StatusDef[], key: string): string {
  return statuses.find((status) => status.key === key)?.name ?? key;
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (value === null || value === undefined) return 'none';
  return '';
}

/** Names of the user ids in `value` (ids of people no longer known read "someone"). */
function names(value: unknown, people: Map<string, string>): string {
  if (!Array.isArray(value)) return '';
  return value.map((id: unknown) => people.get(text(id)) ?? 'someone').join(', ');
}

export type EntryContext = { statuses: StatusDef[]; people: Map<string, string> };

/** One readable line for a project feed entry, without the actor ("moved WEB-4 from To do to Done"). */
export function describeEntry(entry: ProjectFeedEntry, { statuses, people }: EntryContext): string {
  const { data, resource } = entry;
  const title = typeof data.title === 'string' ? ` “${data.title}”` : '';
  const code = resource.code;
  const who = typeof data.name === 'string' ? data.name : names(data.userIds, people);
  switch (entry.type) {
    case 'project.created':
      return `created project ${code}${title}`;
    case 'project.updated':
      return `updated project ${code}`;
    case 'member.added':
      return `added ${who || 'a member'} to ${code}${data.role ? ` as ${text(data.role)}` : ''}`;
    case 'member.removed':
      return `removed ${who || 'a member'} from ${code}`;
    case 'member.roleChanged':
      return `made ${who || 'a member'} ${text(data.role)} in ${code}`;
    case 'milestone.created':
      return `created milestone ${code}${title}`;
    case 'milestone.updated':
      return `updated milestone ${code}${title}`;
    case 'task.created':
      return `created ${code}${title}`;
    case 'task.updated':
      return `updated ${code}${title}`;
    case 'task.assigned':
      return `assigned ${code}${title}${who ? ` to ${who}` : ''}`;
    case 'task.unassigned':
      return `unassigned ${who || 'someone'} from ${code}${title}`;
    case 'task.status':
      return `moved ${code}${title} from ${statusName(statuses, text(data.from))} to ${statusName(statuses, text(data.to))}`;
    case 'task.dueDate':
      return `set the due date of ${code} to ${data.to ? formatDay(text(data.to)) : 'none'}`;
    case 'task.milestone':
      return `changed the milestone of ${code}`;
    case 'task.deleted':
      return `deleted ${code}${title}`;
    case 'comment.added':
      return `commented on ${code}${title}`;
    case 'time.logged':
      return `logged ${formatHours(typeof data.hours === 'number' ? data.hours : null)} on ${code}${title}`;
  }
}

const NOTIFICATION_TEXT: Record<Notification['kind'], string> = {
  assigned: 'assigned you to',
  mentioned: 'mentioned you on',
  dueSoon: 'is due soon:',
  overdue: 'is overdue:',
  statusChanged: 'changed the status of',
};

export function describeNotification(notification: Notification): string {
  const actor = notification.actor?.name ?? 'Crewdeck';
  const { code, title } = notification.task;
  if (notification.kind === 'dueSoon' || notification.kind === 'overdue')
    return `${code} “${title}” ${NOTIFICATION_TEXT[notification.kind].replace(':', '')}`;
  return `${actor} ${NOTIFICATION_TEXT[notification.kind]} ${code} “${title}”`;
}

/** "2 min ago", "yesterday", or a date. */
export function timeAgo(iso: string, now = Date.now()): string {
  const seconds = Math.round((now - new Date(iso).getTime()) / 1000);
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  if (days === 1) return 'yesterday';
  if (days < 7) return `${days} days ago`;
  return new Date(iso).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}
