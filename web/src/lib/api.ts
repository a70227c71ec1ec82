// The one typed client of the Crewdeck REST API. Same origin (`/api`), cookie session, every
// response parsed with the shared zod schemas; every failure becomes an ApiError.
import type { z } from 'zod';
import { auditPageSchema, auditVerifySchema, type AuditFilter } from '@crewdeck/shared/audit';
import { loginResponseSchema, logoutAllSchema, meSchema, okSchema } from '@crewdeck/shared/auth';
import {
  groupListSchema,
  groupResponseSchema,
  type CreateGroup,
  type UpdateGroup,
} from '@crewdeck/shared/groups';
import { permissionTableSchema, type PermissionMatrix } from '@crewdeck/shared/permissions';
import {
  createUserResponseSchema,
  resetPasswordResponseSchema,
  userListSchema,
  userResponseSchema,
  type CreateUser,
  type UpdateUser,
  type UserListQuery,
} from '@crewdeck/shared/users';
import { ApiError, parseErrorBody } from './errors.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Fetch = typeof fetch;

async function send(method: Method, path: string, body: unknown, fetchFn: Fetch): Promise<unknown> {
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
  return payload;
}

async function request<S extends z.ZodType>(
  method: Method,
  path: string,
  schema: S,
  body?: unknown,
  fetchFn: Fetch = fetch,
): Promise<z.output<S>> {
  const payload = await send(method, path, body, fetchFn);
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    console.error(`Unexpected answer from ${method} /api${path}: ${JSON.stringify(parsed.error.issues)}`);
    throw new ApiError(200, 'bad_response', 'The server sent an answer this page does not understand.', undefined, {
      cause: parsed.error,
    });
  }
  return parsed.data;
}

/** Query string with only the filled values, e.g. `?user=…&cursor=…`. */
export function queryString(values: Record<string, string | null | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (typeof value === 'string' && value.trim() !== '') params.set(key, value.trim());
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

const id = (value: string) => encodeURIComponent(value);

export const api = {
  login: (login: string, password: string) => request('POST', '/auth/login', loginResponseSchema, { login, password }),
  logout: () => send('POST', '/auth/logout', {}, fetch),
  logoutAll: () => request('POST', '/auth/logout-all', logoutAllSchema, {}),
  changePassword: (currentPassword: string, newPassword: string) =>
    request('POST', '/auth/password', okSchema.or(meSchema), { currentPassword, newPassword }),
  me: (fetchFn?: Fetch) => request('GET', '/me', meSchema, undefined, fetchFn),

  users: {
    list: (query: UserListQuery = {}, fetchFn?: Fetch) => request('GET', `/users${queryString(query)}`, userListSchema, undefined, fetchFn),
    create: (input: CreateUser) => request('POST', '/users', createUserResponseSchema, input),
    update: (userId: string, patch: UpdateUser) => request('PATCH', `/users/${id(userId)}`, userResponseSchema, patch),
    resetPassword: (userId: string) => request('POST', `/users/${id(userId)}/reset-password`, resetPasswordResponseSchema, {}),
  },

  groups: {
    list: (fetchFn?: Fetch) => request('GET', '/groups', groupListSchema, undefined, fetchFn),
    create: (input: CreateGroup) => request('POST', '/groups', groupResponseSchema, input),
    update: (groupId: string, patch: UpdateGroup) => request('PATCH', `/groups/${id(groupId)}`, groupResponseSchema, patch),
    remove: (groupId: string) => send('DELETE', `/groups/${id(groupId)}`, undefined, fetch),
  },

  permissions: {
    get: (fetchFn?: Fetch) => request('GET', '/permissions', permissionTableSchema, undefined, fetchFn),
    put: (matrix: PermissionMatrix) => request('PUT', '/permissions', permissionTableSchema, { matrix }),
  },

  audit: {
    list: (filter: AuditFilter, cursor?: string | null, fetchFn?: Fetch) =>
      request('GET', `/audit${queryString({ ...filter, cursor })}`, auditPageSchema, undefined, fetchFn),
    verify: () => request('GET', '/audit/verify', auditVerifySchema),
    exportUrl: (filter: AuditFilter) => `/api/audit/export.csv${queryString(filter)}`,
  },
};
