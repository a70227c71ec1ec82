// The one typed client of the Crewdeck REST API. Same origin (`/api`), cookie session, every
// response parsed with the shared zod schemas; every failure becomes an ApiError.
import { auditPageSchema, auditVerifySchema, type AuditFilter } from '@crewdeck/shared/audit';
import { loginResponseSchema, logoutAllSchema, meSchema, okSchema } from '@crewdeck/shared/auth';
import {
  groupListSchema,
  groupResponseSchema,
  type CreateGroup,
  type UpdateGroup,
} from '@crewdeck/shared/groups';
import { feedPageSchema, type FeedQuery } from '@crewdeck/shared/feed';
import {
  createdDocumentSchema,
  documentResponseSchema,
  effectiveAccessSchema,
  folderResponseSchema,
  libraryListSchema,
  libraryPresenceSchema,
  versionContentSchema,
  versionListSchema,
  versionSchema,
  type CreateDocument,
  type CreateFolder,
  type LibraryQuery,
  type UpdateAccess,
  type UpdateDocument,
} from '@crewdeck/shared/library';
import { markReadResponseSchema, notificationListSchema, type NotificationListQuery } from '@crewdeck/shared/notifications';
import { permissionTableSchema, type PermissionMatrix } from '@crewdeck/shared/permissions';
import {
  billingSummarySchema,
  milestoneListSchema,
  milestoneResponseSchema,
  overdueSummarySchema,
  presenceSchema,
  projectListSchema,
  projectResponseSchema,
  type AddMember,
  type CreateMilestone,
  type CreateProject,
  type ProjectRole,
  type UpdateMilestone,
  type UpdateProject,
} from '@crewdeck/shared/projects';
import {
  commentListSchema,
  commentResponseSchema,
  taskListSchema,
  taskResponseSchema,
  timeLogListSchema,
  timeLogResponseSchema,
  workloadSchema,
  type CreateComment,
  type CreateTask,
  type CreateTimeLog,
  type TaskListQuery,
  type UpdateTask,
  type WorkloadQuery,
} from '@crewdeck/shared/tasks';
import {
  createUserResponseSchema,
  resetPasswordResponseSchema,
  userListSchema,
  userResponseSchema,
  type CreateUser,
  type UpdateUser,
  type UserListQuery,
} from '@crewdeck/shared/users';
import { z } from 'zod';
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
export function queryString(values: Record<string, string | number | null | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (typeof value === 'number') params.set(key, String(value));
    if (typeof value === 'string' && value.trim() !== '') params.set(key, value.trim());
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

const id = (value: string) => encodeURIComponent(value);
/** `{ version }` answers of the version routes (the shared module has no wrapper for them). */
const versionResponseSchema = z.object({ version: versionSchema });

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

  projects: {
    list: (includeArchived = false, fetchFn?: Fetch) =>
      request('GET', `/projects${queryString({ archived: includeArchived ? 'true' : undefined })}`, projectListSchema, undefined, fetchFn),
    get: (projectId: string, fetchFn?: Fetch) => request('GET', `/projects/${id(projectId)}`, projectResponseSchema, undefined, fetchFn),
    create: (input: CreateProject) => request('POST', '/projects', projectResponseSchema, input),
    update: (projectId: string, patch: UpdateProject) => request('PATCH', `/projects/${id(projectId)}`, projectResponseSchema, patch),
    addMember: (projectId: string, input: AddMember) =>
      request('POST', `/projects/${id(projectId)}/members`, projectResponseSchema, input),
    setRole: (projectId: string, userId: string, role: ProjectRole) =>
      request('PATCH', `/projects/${id(projectId)}/members/${id(userId)}`, projectResponseSchema, { role }),
    removeMember: (projectId: string, userId: string) =>
      send('DELETE', `/projects/${id(projectId)}/members/${id(userId)}`, undefined, fetch),
    billing: (projectId: string, milestoneId?: string | null, fetchFn?: Fetch) =>
      request('GET', `/projects/${id(projectId)}/billing${queryString({ milestoneId })}`, billingSummarySchema, undefined, fetchFn),
    presence: (projectId: string, fetchFn?: Fetch) =>
      request('GET', `/projects/${id(projectId)}/presence`, presenceSchema, undefined, fetchFn),
  },

  milestones: {
    list: (projectId: string, fetchFn?: Fetch) =>
      request('GET', `/projects/${id(projectId)}/milestones`, milestoneListSchema, undefined, fetchFn),
    create: (projectId: string, input: CreateMilestone) =>
      request('POST', `/projects/${id(projectId)}/milestones`, milestoneResponseSchema, input),
    update: (milestoneId: string, patch: UpdateMilestone) =>
      request('PATCH', `/milestones/${id(milestoneId)}`, milestoneResponseSchema, patch),
  },

  tasks: {
    list: (projectId: string, query: TaskListQuery = {}, fetchFn?: Fetch) =>
      request('GET', `/projects/${id(projectId)}/tasks${queryString(query)}`, taskListSchema, undefined, fetchFn),
    get: (taskId: string, fetchFn?: Fetch) => request('GET', `/tasks/${id(taskId)}`, taskResponseSchema, undefined, fetchFn),
    create: (projectId: string, input: CreateTask) =>
      request('POST', `/projects/${id(projectId)}/tasks`, taskResponseSchema, input),
    update: (taskId: string, patch: UpdateTask) => request('PATCH', `/tasks/${id(taskId)}`, taskResponseSchema, patch),
    remove: (taskId: string) => send('DELETE', `/tasks/${id(taskId)}`, undefined, fetch),
    comments: (taskId: string, fetchFn?: Fetch) =>
      request('GET', `/tasks/${id(taskId)}/comments`, commentListSchema, undefined, fetchFn),
    comment: (taskId: string, input: CreateComment) =>
      request('POST', `/tasks/${id(taskId)}/comments`, commentResponseSchema, input),
    timeLogs: (taskId: string, fetchFn?: Fetch) =>
      request('GET', `/tasks/${id(taskId)}/time`, timeLogListSchema, undefined, fetchFn),
    logTime: (taskId: string, input: CreateTimeLog) =>
      request('POST', `/tasks/${id(taskId)}/time`, timeLogResponseSchema, input),
  },

  overdue: (fetchFn?: Fetch) => request('GET', '/overdue', overdueSummarySchema, undefined, fetchFn),
  workload: (query: WorkloadQuery, fetchFn?: Fetch) => request('GET', `/workload${queryString(query)}`, workloadSchema, undefined, fetchFn),

  feed: (query: FeedQuery = {}, fetchFn?: Fetch) => request('GET', `/feed${queryString(query)}`, feedPageSchema, undefined, fetchFn),

  notifications: {
    list: (query: NotificationListQuery = {}, fetchFn?: Fetch) =>
      request('GET', `/notifications${queryString(query)}`, notificationListSchema, undefined, fetchFn),
    markRead: (notificationId: string) =>
      request('POST', `/notifications/${id(notificationId)}/read`, markReadResponseSchema, {}),
    markAllRead: () => request('POST', '/notifications/read-all', markReadResponseSchema, {}),
  },

  library: {
    list: (query: LibraryQuery = {}, fetchFn?: Fetch) => request('GET', `/library${queryString(query)}`, libraryListSchema, undefined, fetchFn),
    presence: () => request('GET', '/library/presence', libraryPresenceSchema),
    createFolder: (input: CreateFolder) => request('POST', '/library/folders', folderResponseSchema, input),
    folderAccess: (folderId: string) => request('GET', `/library/folders/${id(folderId)}/access`, effectiveAccessSchema),
    setFolderAccess: (folderId: string, input: UpdateAccess) =>
      request('PUT', `/library/folders/${id(folderId)}/access`, effectiveAccessSchema, input),
    create: (input: CreateDocument) => request('POST', '/library/documents', createdDocumentSchema, input),
    get: (documentId: string, fetchFn?: Fetch) => request('GET', `/library/documents/${id(documentId)}`, documentResponseSchema, undefined, fetchFn),
    update: (documentId: string, patch: UpdateDocument) =>
      request('PATCH', `/library/documents/${id(documentId)}`, documentResponseSchema, patch),
    access: (documentId: string) => request('GET', `/library/documents/${id(documentId)}/access`, effectiveAccessSchema),
    setAccess: (documentId: string, input: UpdateAccess) =>
      request('PUT', `/library/documents/${id(documentId)}/access`, effectiveAccessSchema, input),
    fileUrl: (documentId: string) => `/api/library/documents/${id(documentId)}/file`,
    versions: (documentId: string) => request('GET', `/library/documents/${id(documentId)}/versions`, versionListSchema),
    version: (documentId: string, versionId: string) =>
      request('GET', `/library/documents/${id(documentId)}/versions/${id(versionId)}`, versionContentSchema),
    saveVersion: (documentId: string, name: string) =>
      request('POST', `/library/documents/${id(documentId)}/versions`, versionResponseSchema, { name }),
    restore: (documentId: string, versionId: string) =>
      request('POST', `/library/documents/${id(documentId)}/versions/${id(versionId)}/restore`, versionResponseSchema, {}),
  },
};
