// Users administration: form state ↔ API payloads and client-side checks.
import { rolesRequiringExpiry, type Role } from '@crewdeck/shared/permissions';
import type { CreateUser, UpdateUser, User } from '@crewdeck/shared/users';
import { endOfDayIso, toDateInput } from '../dates.ts';
import { roleLabel } from '../i18n/labels.ts';
import { m } from '../paraglide/messages.js';

export type UserFormValues = {
  name: string;
  login: string;
  role: Role;
  groups: string[];
  expiresOn: string;
  showInEmployees: boolean;
};

export function emptyUserForm(): UserFormValues {
  return { name: '', login: '', role: 'Member', groups: [], expiresOn: '', showInEmployees: true };
}

export function userToForm(user: User): UserFormValues {
  return {
    name: user.name,
    login: user.login,
    role: user.role,
    groups: user.groups.map((group) => group.id),
    expiresOn: toDateInput(user.expiresAt),
    showInEmployees: user.showInEmployees,
  };
}

export function requiresExpiry(role: Role): boolean {
  return rolesRequiringExpiry.includes(role);
}

/** Client-side checks that save a round trip; the server validates everything again. */
export function validateUserForm(values: UserFormValues, creating: boolean): Record<string, string> {
  const fields: Record<string, string> = {};
  if (!values.name.trim()) fields.name = m.user_err_name();
  if (creating && !values.login.trim()) fields.login = m.user_err_login();
  if (requiresExpiry(values.role) && !values.expiresOn)
    fields.expiresAt = m.user_err_expiry({ role: roleLabel(values.role) });
  return fields;
}

export function toCreateUser(values: UserFormValues): CreateUser {
  return {
    name: values.name.trim(),
    login: values.login.trim(),
    role: values.role,
    groups: values.groups,
    ...(values.expiresOn ? { expiresAt: endOfDayIso(values.expiresOn) } : {}),
    showInEmployees: values.showInEmployees,
  };
}

/** Only the fields that changed, so a role change is not needed to edit a name. */
export function toUpdateUser(user: User, values: UserFormValues): UpdateUser {
  const before = userToForm(user);
  const patch: UpdateUser = {};
  if (values.name.trim() !== before.name) patch.name = values.name.trim();
  if (values.role !== before.role) patch.role = values.role;
  if (values.groups.join() !== before.groups.join()) patch.groups = values.groups;
  if (values.expiresOn !== before.expiresOn) patch.expiresAt = values.expiresOn ? endOfDayIso(values.expiresOn) : null;
  if (values.showInEmployees !== before.showInEmployees) patch.showInEmployees = values.showInEmployees;
  return patch;
}

export type UserStatus = { label: string; tone: 'success' | 'danger' | 'primary' | 'muted' };

export function userStatus(user: User): UserStatus {
  if (user.disabled) return { label: m.user_status_disabled(), tone: 'danger' };
  if (user.expired) return { label: m.user_status_expired(), tone: 'danger' };
  if (user.mustChangePassword) return { label: m.user_status_awaiting(), tone: 'primary' };
  return { label: m.user_status_active(), tone: 'success' };
}
