// The people directory's filters: the URL holds them (shareable, back button works), the form
// edits them, and `GET /api/people` receives exactly the same ones.
import { roles, type Role } from '@crewdeck/shared/permissions';
import type { PeopleQuery } from '@crewdeck/shared/users';

export type PeopleFilterForm = { q: string; role: string; group: string; project: string };

const KEYS = ['q', 'role', 'group', 'project'] as const;

export function peopleFormFromUrl(params: URLSearchParams): PeopleFilterForm {
  const form: PeopleFilterForm = { q: '', role: '', group: '', project: '' };
  for (const key of KEYS) form[key] = params.get(key) ?? '';
  return form;
}

export function peopleFormToSearch(form: PeopleFilterForm): string {
  const params = new URLSearchParams();
  for (const key of KEYS) if (form[key].trim()) params.set(key, form[key].trim());
  const text = params.toString();
  return text ? `?${text}` : '';
}

function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}

export function peopleFormToQuery(form: PeopleFilterForm): PeopleQuery {
  const query: PeopleQuery = {};
  if (form.q.trim()) query.q = form.q.trim();
  if (isRole(form.role)) query.role = form.role;
  if (form.group) query.group = form.group;
  if (form.project) query.project = form.project;
  return query;
}

/** One or two letters standing in for a missing picture. */
export function initialsOf(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((word) => word[0]?.toUpperCase() ?? '')
    .join('');
}
