// Audit journal filters: the URL holds them (shareable, back button works), the form edits
// them, and the API and CSV export receive exactly the same ones.
import { auditActions, type AuditAction, type AuditFilter } from '@crewdeck/shared/audit';

/** What the filter form edits; dates are `YYYY-MM-DD`, `until` is inclusive. */
export type AuditFilterForm = {
  user: string;
  affectedUser: string;
  action: string;
  code: string;
  from: string;
  until: string;
};

const KEYS = ['user', 'affectedUser', 'action', 'code', 'from', 'until'] as const;

export function formFromUrl(params: URLSearchParams): AuditFilterForm {
  const form: AuditFilterForm = { user: '', affectedUser: '', action: '', code: '', from: '', until: '' };
  for (const key of KEYS) form[key] = params.get(key) ?? '';
  return form;
}

export function formToSearch(form: AuditFilterForm): string {
  const params = new URLSearchParams();
  for (const key of KEYS) if (form[key].trim()) params.set(key, form[key].trim());
  const text = params.toString();
  return text ? `?${text}` : '';
}

function isAction(value: string): value is AuditAction {
  return (auditActions as readonly string[]).includes(value);
}

function nextDay(date: string): string {
  const [year, month, day] = date.split('-').map(Number);
  const next = new Date(Date.UTC(year, month - 1, day + 1));
  return next.toISOString().slice(0, 10);
}

/** The API filter: `to` is exclusive, so an inclusive "until" day becomes the next day. */
export function formToFilter(form: AuditFilterForm): AuditFilter {
  const filter: AuditFilter = {};
  if (form.user) filter.user = form.user;
  if (form.affectedUser) filter.affectedUser = form.affectedUser;
  if (isAction(form.action)) filter.action = form.action;
  if (form.code.trim()) filter.code = form.code.trim().toUpperCase();
  if (form.from) filter.from = form.from;
  if (form.until) filter.to = nextDay(form.until);
  return filter;
}
