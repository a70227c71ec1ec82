import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, ServerToClientEvents } from '@crewdeck/shared/realtime';
import { startTestServer, type TestContext } from '../support/server.ts';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let ctx: TestContext;
const sockets: ClientSocket[] = [];
beforeAll(async () => {
  ctx = await startTestServer();
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await ctx?.close();
});

function connect(cookie: string, origin?: string): ClientSocket {
  const headers: Record<string, string> = { cookie };
  if (origin) headers.origin = origin;
  const socket: ClientSocket = io(ctx.url, {
    transports: ['websocket'],
    extraHeaders: headers,
    reconnection: false,
    forceNew: true,
  });
  sockets.push(socket);
  return socket;
}

function connected(socket: ClientSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
}

function connectError(socket: ClientSocket): Promise<string> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => reject(new Error('connected')));
    socket.once('connect_error', (error) => resolve(error.message));
  });
}

/** Resolves with the reason sent before the server cut the connection. */
function ended(socket: ClientSocket): Promise<{ reason: string; disconnect: string }> {
  return new Promise((resolve) => {
    let reason = '';
    socket.once('session:ended', (payload) => (reason = payload.reason));
    socket.once('access:changed', () => (reason = 'access:changed'));
    socket.once('disconnect', (disconnect) => resolve({ reason, disconnect }));
  });
}

describe('Socket.IO', () => {
  it('refuses connections without a valid session', async () => {
    expect(await connectError(connect(''))).toBe('unauthenticated');
    expect(await connectError(connect('crewdeck_session=forged-token-value-0000000000'))).toBe('unauthenticated');
  });

  it('refuses users who must still change their one-time password', async () => {
    const fresh = await ctx.newUser('Member', { keepOneTimePassword: true });
    expect(await connectError(connect(fresh.client.cookieHeader()))).toBe('password_change_required');
  });

  it('refuses a handshake from a foreign Origin', async () => {
    const member = await ctx.newUser('Member');
    const socket = connect(member.client.cookieHeader(), 'https://evil.example');
    await expect(connectError(socket)).resolves.toBeTypeOf('string');
    expect(socket.connected).toBe(false);
  });

  it('answers pings for a signed-in user', async () => {
    const member = await ctx.newUser('Member');
    const socket = connect(member.client.cookieHeader());
    await connected(socket);
    await expect(socket.timeout(2000).emitWithAck('ping')).resolves.toEqual({ ok: true });
  });

  it('disconnects a user’s open socket the moment they are disabled', async () => {
    const member = await ctx.newUser('Member');
    const socket = connect(member.client.cookieHeader());
    await connected(socket);
    const gone = ended(socket);
    expect((await ctx.owner.patch(`/api/users/${member.user.id}`, { disabled: true })).status).toBe(200);
    await expect(gone).resolves.toEqual({ reason: 'disabled', disconnect: 'io server disconnect' });
    expect(await connectError(connect(member.client.cookieHeader()))).toBe('unauthenticated');
  });

  it('logout-all disconnects every socket of the user', async () => {
    const lead = await ctx.newUser('Lead');
    const other = ctx.anonymous();
    await other.login(lead.login, lead.password);
    const a = connect(lead.client.cookieHeader());
    const b = connect(other.cookieHeader());
    await Promise.all([connected(a), connected(b)]);
    const endedA = ended(a);
    const endedB = ended(b);
    expect((await lead.client.post('/api/auth/logout-all')).status).toBe(200);
    await expect(endedA).resolves.toEqual({ reason: 'logout_all', disconnect: 'io server disconnect' });
    await expect(endedB).resolves.toEqual({ reason: 'logout_all', disconnect: 'io server disconnect' });
  });

  it('a role change makes the client re-authorize', async () => {
    const member = await ctx.newUser('Member');
    const socket = connect(member.client.cookieHeader());
    await connected(socket);
    const gone = ended(socket);
    await ctx.owner.patch(`/api/users/${member.user.id}`, { role: 'Tester' });
    await expect(gone).resolves.toEqual({ reason: 'access:changed', disconnect: 'io server disconnect' });
    await connected(connect(member.client.cookieHeader()));
  });

  it('an External whose expiry passed is cut off by the sweep', async () => {
    const external = await ctx.newUser('External');
    const socket = connect(external.client.cookieHeader());
    await connected(socket);
    const gone = ended(socket);
    const mongoose = (await import('mongoose')).default;
    await mongoose.connection
      .collection('users')
      .updateOne(
        { _id: new mongoose.Types.ObjectId(external.user.id) },
        { $set: { expiresAt: new Date(Date.now() - 1000) } },
      );
    // The next request (or the periodic sweep) notices; either one ends the live socket.
    expect((await external.client.get('/api/me')).status).toBe(401);
    await expect(gone).resolves.toEqual({ reason: 'expired', disconnect: 'io server disconnect' });
  });
});
