// The workload warning: an assignment that pushes someone's planned hours for a day over their
// capacity answers 409 `conflict` whose `fields` carry one entry per overloaded day,
// `overload.<userId>.<YYYY-MM-DD>` → "10 h planned of 8 h". The client may confirm with
// `force: true`. A 409 without such fields is a stale version, not a warning.
import type { ProjectMember } from '@crewdeck/shared/projects';
import { ApiError, errorMessage } from '../errors.ts';
import { formatHours } from './format.ts';
import { m } from '../paraglide/messages.js';
import { baseLocale, getLocale } from '../paraglide/runtime.js';

export type Overload = { userId: string; name: string; date: string; detail: string };
export type WorkloadWarning = { message: string; overloads: Overload[] };

const DETAIL = /^([\d.]+) h planned of ([\d.]+) h$/;

/** "10 h planned of 8 h" in the active language (any other wording stays as sent). */
function overloadDetail(detail: string): string {
  const match = DETAIL.exec(detail);
  if (!match) return detail;
  return m.wl_detail({ planned: formatHours(Number(match[1])), capacity: formatHours(Number(match[2])) });
}

const KEY = /^overload\.([^.]+)\.(\d{4}-\d{2}-\d{2})$/;

/** The warning carried by a failed create/update, or null when the failure is something else. */
export function workloadWarning(error: unknown, members: ProjectMember[]): WorkloadWarning | null {
  if (!(error instanceof ApiError) || error.status !== 409 || !error.fields) return null;
  const names = new Map(members.map((member) => [member.userId, member.name]));
  const overloads: Overload[] = [];
  for (const [key, detail] of Object.entries(error.fields)) {
    const match = KEY.exec(key);
    if (match)
      overloads.push({
        userId: match[1],
        date: match[2],
        detail: overloadDetail(detail),
        name: names.get(match[1]) ?? m.wl_someone(),
      });
  }
  if (overloads.length === 0) return null;
  overloads.sort((a, b) => a.name.localeCompare(b.name) || a.date.localeCompare(b.date));
  return { message: getLocale() === baseLocale ? errorMessage(error) : m.wl_message(), overloads };
}
