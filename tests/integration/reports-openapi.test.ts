import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timeInSystemSchema, userTimeResponseSchema } from '@crewdeck/shared/reports';
import { startTestServer, type TestContext } from '../support/server.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await startTestServer();
});
afterAll(async () => {
  await ctx?.close();
});

describe('time in the system', () => {
  it('sums login → logout per user, clipped to the period, overlaps counted once', async () => {
    const member = await ctx.newUser('Member');
    const sessions = mongoose.connection.collection('sessions');
    const userId = new mongoose.Types.ObjectId(member.user.id);
    // Replace the real (sub-second) sessions with two overlapping ones on a fixed day.
    await sessions.deleteMany({ userId });
    const at = (h: number) => new Date(Date.UTC(2026, 0, 5, h));
    const base = { userId, ip: '127.0.0.1', userAgent: 't', expiresAt: at(48) };
    await sessions.insertMany([
      {
        ...base,
        tokenHash: 'a'.repeat(64),
        createdAt: at(9),
        lastActivityAt: at(12),
        endedAt: at(12),
        endReason: 'logout',
      },
      { ...base, tokenHash: 'b'.repeat(64), createdAt: at(11), lastActivityAt: at(14), endedAt: null, endReason: null },
    ]);
    const one = await ctx.owner.get(`/api/users/${member.user.id}/time?from=2026-01-05&to=2026-01-06`);
    expect(one.status, one.text).toBe(200);
    expect(userTimeResponseSchema.parse(one.body).item).toMatchObject({ seconds: 5 * 3600, sessions: 2 });

    const clipped = await ctx.owner.get(
      `/api/reports/time-in-system?from=${encodeURIComponent(at(10).toISOString())}&to=2026-01-06`,
    );
    const row = timeInSystemSchema.parse(clipped.body).items.find((r) => r.userId === member.user.id);
    expect(row).toMatchObject({ seconds: 4 * 3600, sessions: 2 });
  });
});

describe('OpenAPI', () => {
  it('is OpenAPI 3.1 and documents every API route with schemas', async () => {
    const res = await ctx.anonymous().get('/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(doc.openapi).toBe('3.1.0');
    const expected = [
      'post /api/auth/login',
      'post /api/auth/logout',
      'post /api/auth/logout-all',
      'post /api/auth/password',
      'get /api/me',
      'get /api/session',
      'get /api/users',
      'post /api/users',
      'get /api/users/{id}',
      'patch /api/users/{id}',
      'post /api/users/{id}/reset-password',
      'get /api/users/{id}/time',
      'get /api/reports/time-in-system',
      'get /api/groups',
      'post /api/groups',
      'get /api/groups/{id}',
      'patch /api/groups/{id}',
      'delete /api/groups/{id}',
      'post /api/groups/{id}/members',
      'delete /api/groups/{id}/members/{userId}',
      'get /api/profile',
      'patch /api/profile',
      'put /api/profile/avatar',
      'delete /api/profile/avatar',
      'get /api/users/{id}/avatar',
      'get /api/people',
      'get /api/permissions',
      'put /api/permissions',
      'get /api/audit',
      'get /api/audit/verify',
      'get /api/audit/export.csv',
      'get /api/health',
      'get /api/openapi.json',
      'get /api/projects',
      'post /api/projects',
      'get /api/projects/{id}',
      'patch /api/projects/{id}',
      'delete /api/projects/{id}',
      'post /api/projects/{id}/restore',
      'get /api/trash',
      'post /api/projects/{id}/members',
      'patch /api/projects/{id}/members/{userId}',
      'delete /api/projects/{id}/members/{userId}',
      'get /api/projects/{id}/presence',
      'get /api/projects/{id}/billing',
      'get /api/overdue',
      'get /api/projects/{id}/milestones',
      'post /api/projects/{id}/milestones',
      'patch /api/milestones/{id}',
      'delete /api/milestones/{id}',
      'post /api/milestones/{id}/restore',
      'get /api/projects/{id}/tasks',
      'post /api/projects/{id}/tasks',
      'get /api/tasks/{id}',
      'patch /api/tasks/{id}',
      'delete /api/tasks/{id}',
      'post /api/tasks/{id}/restore',
      'get /api/tasks/{id}/comments',
      'post /api/tasks/{id}/comments',
      'patch /api/comments/{id}',
      'delete /api/comments/{id}',
      'post /api/comments/{id}/restore',
      'get /api/tasks/{id}/time',
      'post /api/tasks/{id}/time',
      'get /api/workload',
      'get /api/feed',
      'get /api/notifications',
      'post /api/notifications/{id}/read',
      'post /api/notifications/read-all',
      'get /api/library',
      'get /api/library/presence',
      'post /api/library/folders',
      'patch /api/library/folders/{id}',
      'delete /api/library/folders/{id}',
      'get /api/library/folders/{id}/access',
      'put /api/library/folders/{id}/access',
      'post /api/library/documents',
      'get /api/library/documents/{id}',
      'patch /api/library/documents/{id}',
      'delete /api/library/documents/{id}',
      'get /api/library/documents/{id}/access',
      'put /api/library/documents/{id}/access',
      'post /api/library/files',
      'get /api/library/documents/{id}/file',
      'get /api/library/documents/{id}/preview',
      'get /api/library/trash',
      'post /api/library/trash/documents/{id}/restore',
      'post /api/library/trash/folders/{id}/restore',
      'get /api/library/documents/{id}/versions',
      'post /api/library/documents/{id}/versions',
      'get /api/library/documents/{id}/versions/{versionId}',
      'post /api/library/documents/{id}/versions/{versionId}/restore',
      'get /api/users/{id}/schedule',
      'put /api/users/{id}/schedule',
      'get /api/absences',
      'post /api/absences',
      'post /api/absences/{id}/decision',
      'delete /api/absences/{id}',
      'get /api/calendar/events',
      'post /api/calendar/events',
      'get /api/calendar/events/{id}',
      'patch /api/calendar/events/{id}',
      'delete /api/calendar/events/{id}',
      'post /api/calendar/events/{id}/respond',
      'get /api/calendar/freebusy',
      'get /api/calendar/slots',
      'get /api/calendar/calendars',
      'post /api/calendar/calendars',
      'patch /api/calendar/calendars/{id}',
      'get /api/calendar/feed',
      'post /api/calendar/feed/rotate',
      'get /api/calendar/feeds/{file}',
      'get /api/calendar/google/status',
      'get /api/calendar/google/connect',
      'get /api/calendar/google/callback',
      'post /api/calendar/google/disconnect',
      'post /api/calendar/google/notifications',
      // CRM (issue 13)
      'delete /api/clients/{id}/attachments/{kind}/{refId}',
      'delete /api/clients/{id}/contacts/{contactId}',
      'delete /api/deals/{id}',
      'delete /api/interactions/{id}',
      'delete /api/segments/{id}',
      'get /api/campaigns',
      'get /api/campaigns/{id}',
      'get /api/clients',
      'get /api/clients/duplicates',
      'get /api/clients/export',
      'get /api/clients/merges',
      'get /api/clients/quality',
      'get /api/clients/quality/issues',
      'get /api/clients/{id}',
      'get /api/clients/{id}/attachments',
      'get /api/clients/{id}/contacts',
      'get /api/crm/settings',
      'get /api/deals',
      'get /api/deals/export',
      'get /api/deals/summary',
      'get /api/deals/{id}',
      'get /api/imports/{id}',
      'get /api/imports/{id}/report',
      'get /api/imports/{id}/results',
      'get /api/interactions',
      'get /api/interactions/export',
      'get /api/interactions/summary',
      'get /api/search',
      'get /api/segments',
      'get /api/segments/{id}/export',
      'get /api/unsubscribe/{token}',
      'patch /api/clients/{id}',
      'patch /api/clients/{id}/contacts/{contactId}',
      'patch /api/deals/{id}',
      'patch /api/interactions/{id}',
      'post /api/campaigns',
      'post /api/clients',
      'post /api/clients/assign',
      'post /api/clients/duplicates/{id}/dismiss',
      'post /api/clients/merge',
      'post /api/clients/merges/{id}/undo',
      'post /api/clients/{id}/attachments',
      'post /api/clients/{id}/contacts',
      'post /api/deals',
      'post /api/deals/{id}/move',
      'post /api/imports',
      'post /api/imports/{id}/preview',
      'post /api/imports/{id}/run',
      'post /api/interactions',
      'post /api/segments',
      'post /api/segments/count',
      'post /api/unsubscribe/{token}',
      'put /api/crm/settings',
      'put /api/segments/{id}',
    ];
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method} ${path}`),
    );
    expect(documented.sort()).toEqual(expected.sort());
    const login = doc.paths['/api/auth/login'].post;
    expect(login.requestBody.content['application/json'].schema.required).toEqual(['login', 'password']);
    expect(login.security).toEqual([]);
    const audit = doc.paths['/api/audit'].get;
    expect(audit.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['user', 'affectedUser', 'action', 'code', 'from', 'to', 'cursor', 'limit']),
    );
    expect(doc.paths['/api/users/{id}'].patch.parameters[0]).toMatchObject({ name: 'id', in: 'path', required: true });
  });
});
