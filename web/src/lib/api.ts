// The one typed client of the Crewdeck REST API. Same origin (`/api`), cookie session, every
// response parsed with the contract schemas; every failure becomes an ApiError.
import type { z } from 'zod';
import {
  auditPageSchema,
  auditVerifySchema,
  createUserResponseSchema,
  groupResponseSchema,
  groupsResponseSchema,
  loginResponseSchema,
  meSchema,
  permissionsSchema,
  resetPasswordResponseSchema,
  userResponseSchema,
  usersResponseSchema,
  type AuditFilters,
  type CreateUserInput,
  type GroupInput,
  type Permissions,
  type UpdateUserInput,
} from './contract.ts';
import { ApiError, parseErrorBody } from './errors.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Fetch = typeof fetch;

async function request<S extends z.ZodType>(
  method: Method,
  path: string,
  schema: S | null,
  body?: unknown,
  fetchFn: Fetch = fetch,
): Promise<z.infer<S>> {
  let response: Response;
  try {
    response = await fetchFn(`/api${path}`, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (cause) {
    throw new ApiError(0, 'network', 'The server cannot be reached. Check your connection and try again.', undefined, { cause });
  }
  const payload: unknown = await response.json().catch(() => undefined);
  if (!response.ok) throw parseErrorBody(response.status, payload);
  if (!schema) return undefined as z.infer<S>;
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    throw new ApiError(response.status, 'bad_response', 'The server sent an answer this page does not understand.', undefined, {
      cause: parsed.error,
    });
  }
  return parsed.data;
}

/** Query string of the audit filters: only the filled ones. */
export function auditQuery(filters: AuditFilters, cursor?: string | null): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) {
    if (typeof value === 'string' && value.trim() !== '') params.set(key, value.trim());
  }
  if (cursor) params.set('cursor', cursor);
  const text = params.toString();
  return text ? `?${text}` : '';
}

export const api = {
  login: (login: string, password: string) => request('POST', '/auth/login', loginResponseSchema, { login, password }),
  logout: () => request('POST', '/auth/logout', null, {}),
  logoutAll: () => request('POST', '/auth/logout-all', null, {}),
  changePassword: (currentPassword: string, newPassword: string) =>
    request('POST', '/auth/password', null, { currentPassword, newPassword }),
  me: (fetchFn?: Fetch) => request('GET', '/me', meSchema, undefined, fetchFn),

  users: {
    list: (fetchFn?: Fetch) => request('GET', '/users', usersResponseSchema, undefined, fetchFn),
    create: (input: CreateUserInput) => request('POST', '/users', createUserResponseSchema, input),
    update: (id: string, patch: UpdateUserInput) => request('PATCH', `/users/${encodeURIComponent(id)}`, userResponseSchema, patch),
    resetPassword: (id: string) =>
      request('POST', `/users/${encodeURIComponent(id)}/reset-password`, resetPasswordResponseSchema, {}),
  },

  groups: {
    list: (fetchFn?: Fetch) => request('GET', '/groups', groupsResponseSchema, undefined, fetchFn),
    create: (input: GroupInput) => request('POST', '/groups', groupResponseSchema, input),
    update: (id: string, patch: Partial<GroupInput>) =>
      request('PATCH', `/groups/${encodeURIComponent(id)}`, groupResponseSchema, patch),
    remove: (id: string) => request('DELETE', `/groups/${encodeURIComponent(id)}`, null),
  },

  permissions: {
    get: (fetchFn?: Fetch) => request('GET', '/permissions', permissionsSchema, undefined, fetchFn),
    put: (permissions: Permissions) => request('PUT', '/permissions', permissionsSchema, permissions),
  },

  audit: {
    list: (filters: AuditFilters, cursor?: string | null, fetchFn?: Fetch) =>
      request('GET', `/audit${auditQuery(filters, cursor)}`, auditPageSchema, undefined, fetchFn),
    verify: () => request('GET', '/audit/verify', auditVerifySchema),
    exportUrl: (filters: AuditFilters) => `/api/audit/export.csv${auditQuery(filters)}`,
  },
};
