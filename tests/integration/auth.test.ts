import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meSchema } from '@crewdeck/shared/auth';
import { limits } from '@crewdeck/shared/limits';
import { OWNER_LOGIN, OWNER_PASSWORD, startTestServer, type TestContext } from '../support/server.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await startTestServer();
});
afterAll(async () => {
  await ctx?.close();
});

describe('login', () => {
  it('sets an httpOnly SameSite=Lax session cookie and answers the user', async () => {
    const client = ctx.anonymous();
    const res = await client.login(OWNER_LOGIN, OWNER_PASSWORD);
    expect(res.status).toBe(200);
    expect(meSchema.parse(res.body.user).role).toBe('Owner');
    const cookie = res.headers.getSetCookie()[0];
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i); // plain HTTP in tests
    expect(res.text).not.toMatch(/passwordHash|argon2/);
  });

  it('answers 401 with the same message for an unknown login and a wrong password', async () => {
    const unknown = await ctx.anonymous().login('nobody@example.test', 'whatever-password');
    const wrong = await ctx.anonymous().login(OWNER_LOGIN, 'wrong-password');
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(unknown.body.error.code).toBe('invalid_credentials');
  });

  it('throttles an account after repeated failures from one address (429 with Retry-After), even for the right password', async () => {
    const { login, password } = await ctx.newUser('Member');
    for (let i = 0; i < limits.loginFailuresPerClient; i++) {
      expect((await ctx.anonymous().login(login, 'wrong-password')).status).toBe(401);
    }
    const locked = await ctx.anonymous().login(login, password);
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('rate_limited');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('journals failed logins without the attempted login or password', async () => {
    await ctx.anonymous().login('typed-my-password-here', 'secret-typed');
    const res = await ctx.owner.get('/api/audit?action=auth.loginFailed&limit=1');
    expect(res.body.items[0]).toMatchObject({ action: 'auth.loginFailed', outcome: 'failed', user: null });
    expect(JSON.stringify(res.body)).not.toMatch(/typed-my-password-here|secret-typed/);
  });
});

describe('forced password change', () => {
  it('allows only me/password/logout until the one-time password is replaced', async () => {
    const { client, password: oneTime, login } = await ctx.newUser('Admin', { keepOneTimePassword: true });
    const me = await client.get('/api/me');
    expect(me.status).toBe(200);
    expect(me.body.mustChangePassword).toBe(true);
    const blocked = await client.get('/api/users');
    expect(blocked.status).toBe(403);
    expect(blocked.body.error.code).toBe('password_change_required');

    const same = await client.post('/api/auth/password', { currentPassword: oneTime, newPassword: oneTime });
    expect(same.status).toBe(400);
    const short = await client.post('/api/auth/password', { currentPassword: oneTime, newPassword: 'short' });
    expect(short.status).toBe(400);
    expect(short.body.error.fields).toHaveProperty('newPassword');
    const wrong = await client.post('/api/auth/password', {
      currentPassword: 'not-it-at-all',
      newPassword: 'a-new-password-1',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.fields).toHaveProperty('currentPassword');

    const ok = await client.post('/api/auth/password', { currentPassword: oneTime, newPassword: 'a-new-password-1' });
    expect(ok.status).toBe(200);
    expect((await client.get('/api/me')).body.mustChangePassword).toBe(false);
    expect((await client.get('/api/users')).status).toBe(200);
    expect((await ctx.anonymous().login(login, oneTime)).status).toBe(401);
    expect((await ctx.anonymous().login(login, 'a-new-password-1')).status).toBe(200);
  });

  it('a password reset by an admin ends the user’s sessions and forces a change again', async () => {
    const member = await ctx.newUser('Member');
    const reset = await ctx.owner.post(`/api/users/${member.user.id}/reset-password`);
    expect(reset.status).toBe(200);
    expect((await member.client.get('/api/me')).status).toBe(401);
    const again = ctx.anonymous();
    expect((await again.login(member.login, reset.body.oneTimePassword)).status).toBe(200);
    expect((await again.get('/api/me')).body.mustChangePassword).toBe(true);
  });
});

describe('sessions', () => {
  it('logout ends the session', async () => {
    const { login, password } = await ctx.newUser('Member');
    const client = ctx.anonymous();
    await client.login(login, password);
    const cookie = client.cookieHeader();
    expect((await client.post('/api/auth/logout')).status).toBe(200);
    expect((await client.get('/api/me')).status).toBe(401);
    // The old cookie value is dead on the server, not merely forgotten by the client.
    const replay = ctx.anonymous();
    replay.cookies.set(cookie.split('=')[0], cookie.split('=')[1]);
    expect((await replay.get('/api/me')).status).toBe(401);
  });

  it('logout-all revokes every session of the user', async () => {
    const { login, password } = await ctx.newUser('Lead');
    const phone = ctx.anonymous();
    const laptop = ctx.anonymous();
    await phone.login(login, password);
    await laptop.login(login, password);
    const res = await phone.post('/api/auth/logout-all');
    expect(res.status).toBe(200);
    expect(res.body.revoked).toBeGreaterThanOrEqual(3); // newUser's own session, phone, laptop
    expect((await laptop.get('/api/me')).status).toBe(401);
    expect((await phone.get('/api/me')).status).toBe(401);
  });

  it('a disabled user loses access on the next request and cannot sign in', async () => {
    const member = await ctx.newUser('Member');
    expect((await member.client.get('/api/me')).status).toBe(200);
    expect((await ctx.owner.patch(`/api/users/${member.user.id}`, { disabled: true })).status).toBe(200);
    expect((await member.client.get('/api/me')).status).toBe(401);
    expect((await ctx.anonymous().login(member.login, member.password)).status).toBe(403);
    expect((await ctx.owner.patch(`/api/users/${member.user.id}`, { disabled: false })).status).toBe(200);
    expect((await ctx.anonymous().login(member.login, member.password)).status).toBe(200);
  });

  it('requires a session for the API', async () => {
    const res = await ctx.anonymous().get('/api/me');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthenticated');
  });
});

describe('GET /api/session', () => {
  it('answers 200 with null when nobody is signed in, a dead or forged cookie included', async () => {
    expect(await ctx.anonymous().get('/api/session')).toMatchObject({ status: 200, body: { user: null } });
    const { login, password } = await ctx.newUser('Member');
    const client = ctx.anonymous();
    await client.login(login, password);
    const cookie = client.cookieHeader();
    await client.post('/api/auth/logout');
    const replay = ctx.anonymous();
    replay.cookies.set(cookie.split('=')[0], cookie.split('=')[1]);
    expect(await replay.get('/api/session')).toMatchObject({ status: 200, body: { user: null } });
    const forged = ctx.anonymous();
    forged.cookies.set(cookie.split('=')[0], 'x'.repeat(64));
    expect(await forged.get('/api/session')).toMatchObject({ status: 200, body: { user: null } });
  });

  it('answers the same user as /api/me when signed in, one still on a one-time password too', async () => {
    const me = await ctx.owner.get('/api/me');
    const session = await ctx.owner.get('/api/session');
    expect(session.status).toBe(200);
    expect(session.body.user).toEqual(me.body);
    const pending = await ctx.newUser('Member', { keepOneTimePassword: true });
    const answer = await pending.client.get('/api/session');
    expect(answer.status).toBe(200);
    expect(meSchema.parse(answer.body.user)).toMatchObject({ id: pending.user.id, mustChangePassword: true });
  });
});
