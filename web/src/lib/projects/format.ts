// Small presentation helpers shared by the project pages.
import type { ProjectFeedEntry } from '@crewdeck/shared/feed';
import type { Notification } from '@crewdeck/shared/notifications';
import { projectRoleSchema, type Progress, type StatusDef } from '@crewdeck/shared/projects';
import { m } from '../paraglide/messages.js';
import { getLocale } from '../paraglide/runtime.js';
import { formatList, formatNumber } from '../i18n/locale.ts';
import { projectRoleLabel, statusLabel } from '../i18n/labels.ts';

/** `3 hr`, `1.5 hr` (in the active locale's words and digits). */
export function formatHours(hours: number | null | undefined): string {
  if (hours === null || hours === undefined) return '—';
  return formatNumber(hours, { style: 'unit', unit: 'hour', unitDisplay: 'short', maximumFractionDigits: 2 });
}

export function formatMoney(amount: number): string {
  return formatNumber(amount, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

function localDay(day: string): Date {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(year, month - 1, date);
}

/** `2026-03-01` as a short local date, without time-zone drift. */
export function formatDay(day: string | null | undefined): string {
  if (!day) return '—';
  return localDay(day).toLocaleDateString(getLocale(), { month: 'short', day: 'numeric', year: 'numeric' });
}

/** `Nov 21` (with the year when it is not this year), for cards. */
export function formatDayShort(day: string | null | undefined): string {
  if (!day) return '—';
  const date = localDay(day);
  const sameYear = date.getFullYear() === new Date().getFullYear();
  return date.toLocaleDateString(
    getLocale(),
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
  const status = statuses.find((entry) => entry.key === key);
  return status ? statusLabel(status) : key;
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (value === null || value === undefined) return m.feed_none();
  return '';
}

/** Names of the user ids in `value` (ids of people no longer known read "someone"). */
function names(value: unknown, people: Map<string, string>): string {
  if (!Array.isArray(value)) return '';
  return formatList(value.map((id: unknown) => people.get(text(id)) ?? m.feed_someone()));
}

function roleName(value: unknown): string {
  const role = projectRoleSchema.safeParse(value);
  return role.success ? projectRoleLabel(role.data) : text(value);
}

export type EntryContext = { statuses: StatusDef[]; people: Map<string, string> };

/** `WEB-4 “Title”`, or the code alone. */
function subjectOf(code: string, title: unknown): string {
  return typeof title === 'string' ? m.feed_subject_titled({ code, title }) : code;
}

/** One readable line for a project feed entry, without the actor ("moved WEB-4 from To do to Done"). */
export function describeEntry(entry: ProjectFeedEntry, { statuses, people }: EntryContext): string {
  const { data, resource } = entry;
  const code = resource.code;
  const subject = subjectOf(code, data.title);
  const named = typeof data.name === 'string' ? data.name : names(data.userIds, people);
  const who = named || m.feed_a_member();
  switch (entry.type) {
    case 'project.created':
      return m.feed_project_created({ subject });
    case 'project.updated':
      return m.feed_project_updated({ code });
    case 'member.added':
      return data.role
        ? m.feed_member_added_role({ who, code, role: roleName(data.role) })
        : m.feed_member_added({ who, code });
    case 'member.removed':
      return m.feed_member_removed({ who, code });
    case 'member.roleChanged':
      return m.feed_member_role({ who, code, role: roleName(data.role) });
    case 'milestone.created':
      return m.feed_milestone_created({ subject });
    case 'milestone.updated':
      return m.feed_milestone_updated({ subject });
    case 'task.created':
      return m.feed_task_created({ subject });
    case 'task.updated':
      return m.feed_task_updated({ subject });
    case 'task.assigned':
      return named ? m.feed_task_assigned_to({ subject, who: named }) : m.feed_task_assigned({ subject });
    case 'task.unassigned':
      return m.feed_task_unassigned({ subject, who: named || m.feed_someone() });
    case 'task.status':
      return m.feed_task_status({
        subject,
        from: statusName(statuses, text(data.from)),
        to: statusName(statuses, text(data.to)),
      });
    case 'task.dueDate':
      return m.feed_task_due({ code, date: data.to ? formatDay(text(data.to)) : m.feed_none() });
    case 'task.milestone':
      return m.feed_task_milestone({ code });
    case 'task.deleted':
      return m.feed_task_deleted({ subject });
    case 'comment.added':
      return m.feed_comment_added({ subject });
    case 'time.logged':
      return m.feed_time_logged({ subject, hours: formatHours(typeof data.hours === 'number' ? data.hours : null) });
    case 'task.behindSchedule':
      return m.feed_task_behind({ code, hours: formatHours(typeof data.hours === 'number' ? data.hours : null) });
    default:
      return describeOther(entry.type, subject);
  }
}

/** Trash and comment-edit entries; any type added later reads "changed WEB-4". */
function describeOther(type: string, subject: string): string {
  const messages: Record<string, (inputs: { subject: string }) => string> = {
    'project.deleted': m.feed_project_deleted,
    'project.restored': m.feed_project_restored,
    'milestone.deleted': m.feed_milestone_deleted,
    'milestone.restored': m.feed_milestone_restored,
    'task.restored': m.feed_task_restored,
    'comment.updated': m.feed_comment_updated,
    'comment.deleted': m.feed_comment_deleted,
    'comment.restored': m.feed_comment_restored,
  };
  return (messages[type] ?? m.feed_changed)({ subject });
}

const NOTIFICATION_TEXT: Record<Notification['kind'], (inputs: { actor: string; subject: string }) => string> = {
  assigned: m.notif_assigned,
  mentioned: m.notif_mentioned,
  statusChanged: m.notif_status,
  dueSoon: m.notif_due_soon,
  overdue: m.notif_overdue,
  behindSchedule: m.notif_behind_schedule,
  eventInvited: m.notif_event_invited,
  eventChanged: m.notif_event_changed,
  eventCancelled: m.notif_event_cancelled,
  eventReminder: m.notif_event_reminder,
  eventResponded: m.notif_event_responded,
  absenceRequested: m.notif_absence_requested,
  absenceDecided: m.notif_absence_decided,
  googleReconnect: m.notif_google_reconnect,
  clientAssigned: m.notif_client_assigned,
  clientUnassigned: m.notif_client_unassigned,
  dealWon: m.notif_deal_won,
  dealLost: m.notif_deal_lost,
  followUpDue: m.notif_follow_up_due,
};

/** What a notification is about, as a short label: the task's code and title, or the event's title. */
export function notificationSubject(notification: Notification): string {
  if (notification.task) return subjectOf(notification.task.code, notification.task.title);
  return notification.subject?.title ?? '';
}

export function describeNotification(notification: Notification): string {
  const actor = notification.actor?.name ?? m.app_name();
  const subject = notificationSubject(notification);
  const hours = notification.data.hours;
  if (notification.kind === 'behindSchedule' && typeof hours === 'number')
    return m.notif_behind_schedule_hours({ subject, hours: formatHours(hours) });
  return NOTIFICATION_TEXT[notification.kind]({ actor, subject });
}

/** Where a notification leads: the task, the event on the calendar, the absences or the Google page. */
export function notificationHref(notification: Notification): string {
  if (notification.task && notification.projectId)
    return `/projects/${notification.projectId}/tasks/${notification.task.id}`;
  switch (notification.subject?.kind) {
    case 'event':
      return `/calendar?event=${encodeURIComponent(notification.subject.id)}`;
    case 'absence':
      return '/calendar/absences';
    case 'google':
      return '/calendar/google';
    case 'client':
      return `/clients/${notification.subject.id}`;
    case 'deal':
    case 'interaction':
      return typeof notification.data.clientId === 'string' ? `/clients/${notification.data.clientId}` : '/clients';
    default:
      return '/calendar';
  }
}

/** "2 min. ago", "yesterday", or a date, in the active locale. */
export function timeAgo(iso: string, now = Date.now()): string {
  const seconds = Math.round((now - new Date(iso).getTime()) / 1000);
  if (seconds < 45) return m.time_just_now();
  const relative = new Intl.RelativeTimeFormat(getLocale(), { numeric: 'auto', style: 'short' });
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return relative.format(-minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (hours < 24) return relative.format(-hours, 'hour');
  const days = Math.round(hours / 24);
  if (days < 7) return relative.format(-days, 'day');
  return new Date(iso).toLocaleDateString(getLocale(), { month: 'short', day: 'numeric' });
}
