import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestServer, uniqueDbName, type TestContext, type TestUser } from '../support/server.ts';
import { HttpClient } from '../support/http.ts';
import { connectSocket, sleep, type RecordingSocket } from '../support/socket.ts';

const open: RecordingSocket[] = [];
const servers: TestContext[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const s of open) s.close();
  for (const s of servers) await s.close().catch(() => undefined);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** One mongoose connection per process: a test stops its server before the next starts one. */
async function stop(ctx: TestContext): Promise<void> {
  for (const s of open.splice(0)) s.close();
  servers.splice(servers.indexOf(ctx), 1);
  await ctx.close();
}

/** 50 changes: 30 in a project the member reads, 20 in one they do not, interleaved. */
async function fiftyChanges(ctx: TestContext, readable: string, hidden: string): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const project = i % 5 < 3 ? readable : hidden;
    const res = await ctx.owner.post(`/api/projects/${project}/tasks`, { title: `change ${i}` });
    expect(res.status).toBe(201);
  }
}

async function lastSeen(ctx: TestContext, member: TestUser): Promise<{ socket: RecordingSocket; lastSeq: number }> {
  const socket = connectSocket(ctx.url, member.client);
  open.push(socket);
  const synced = await socket.ready;
  return { socket, lastSeq: synced.lastSeq };
}

function expectExactlyMissed(socket: RecordingSocket, lastSeq: number, readable: string): void {
  const titles = socket.feed.map((e) => e.data.title);
  const expected = Array.from({ length: 50 }, (_, i) => i)
    .filter((i) => i % 5 < 3)
    .map((i) => `change ${i}`);
  expect(titles).toEqual(expected);
  expect(socket.feed.every((e) => e.projectId === readable && e.seq > lastSeq)).toBe(true);
  const seqs = socket.feed.map((e) => e.seq);
  expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  expect(new Set(seqs).size).toBe(seqs.length);
}

describe('gap-free resume', () => {
  it('disconnect, 50 changes, reconnect with lastSeq → exactly the 30 readable ones, in order, then live', async () => {
    const ctx = await startTestServer();
    servers.push(ctx);
    const member = await ctx.newUser('Member');
    const readable = await ctx.newProject({ members: [{ user: member, role: 'member' }] });
    const hidden = await ctx.newProject();
    const { socket, lastSeq } = await lastSeen(ctx, member);
    socket.close();
    await fiftyChanges(ctx, readable.id, hidden.id);
    const resumed = connectSocket(ctx.url, member.client, { lastSeq });
    open.push(resumed);
    const synced = await resumed.ready;
    expect(synced.replayed).toBe(30);
    expectExactlyMissed(resumed, lastSeq, readable.id);
    await ctx.owner.post(`/api/projects/${readable.id}/tasks`, { title: 'live' });
    await resumed.waitForFeed(31);
    expect(resumed.feed.at(-1)?.data.title).toBe('live');
    await stop(ctx);
  });

  it('writes racing the reconnect are neither lost nor duplicated', async () => {
    const ctx = await startTestServer();
    servers.push(ctx);
    const member = await ctx.newUser('Member');
    const p = await ctx.newProject({ members: [{ user: member, role: 'member' }] });
    const { socket, lastSeq } = await lastSeen(ctx, member);
    socket.close();
    const writes = (async () => {
      for (let i = 0; i < 40; i++) await ctx.owner.post(`/api/projects/${p.id}/tasks`, { title: `race ${i}` });
    })();
    await sleep(50);
    const resumed = connectSocket(ctx.url, member.client, { lastSeq });
    open.push(resumed);
    await writes;
    await resumed.waitForFeed(40);
    await sleep(200);
    expect(resumed.feed.map((e) => e.data.title)).toEqual(Array.from({ length: 40 }, (_, i) => `race ${i}`));
    await stop(ctx);
  });

  it('the same across a server restart on a persistent data directory', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'crewdeck-resume-'));
    dirs.push(dataDir);
    const dbName = uniqueDbName();
    const first = await startTestServer({ dataDir, dbName });
    const member = await first.newUser('Member');
    const readable = await first.newProject({ members: [{ user: member, role: 'member' }] });
    const hidden = await first.newProject();
    const { socket, lastSeq } = await lastSeen(first, member);
    socket.close();
    await fiftyChanges(first, readable.id, hidden.id);
    await first.close();
    const second = await startTestServer({ dataDir, dbName });
    servers.push(second);
    // Sessions are stored: the member's cookie still works on the new process.
    const client = new HttpClient(second.url);
    for (const [k, v] of member.client.cookies) client.cookies.set(k, v);
    const resumed = connectSocket(second.url, client, { lastSeq });
    open.push(resumed);
    const synced = await resumed.ready;
    expect(synced.replayed).toBe(30);
    expectExactlyMissed(resumed, lastSeq, readable.id);
  });
});
