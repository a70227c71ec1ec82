import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { limits } from '@crewdeck/shared/limits';
import type { HttpResponse } from '../support/http.ts';
import { startTestServer, type TestContext } from '../support/server.ts';
import { sleep } from '../support/socket.ts';

// Behind `trust proxy`, the client address is the first X-Forwarded-For entry, so one test
// process can speak from many addresses. Each test uses its own range.
let ctx: TestContext;
beforeAll(async () => {
  ctx = await startTestServer({ trustProxy: true });
});
afterAll(async () => {
  await ctx?.close();
});

const from = (ip: string) => ({ headers: { 'x-forwarded-for': ip } });
const loginFrom = (ip: string, login: string, password: string) =>
  ctx.anonymous().post('/api/auth/login', { login, password }, from(ip));

/** Waits out a 429 and adds a little for the request's own time. */
async function waitOut(res: HttpResponse): Promise<void> {
  await sleep(res.body.error.retryAfterSeconds * 1000 + 150);
}

function expectRateLimited(res: HttpResponse, seconds: number): void {
  expect(res.status, res.text).toBe(429);
  expect(res.body.error.code).toBe('rate_limited');
  expect(res.body.error.retryAfterSeconds).toBe(seconds);
  expect(res.headers.get('retry-after')).toBe(String(seconds));
}

async function failFrom(ip: string, login: string, times: number): Promise<void> {
  for (let i = 0; i < times; i++) expect((await loginFrom(ip, login, 'wrong-password')).status).toBe(401);
}

describe('login throttling per account and address', () => {
  it('wrong passwords from one address do not keep the owner out from another', async () => {
    const { login, password } = await ctx.newUser('Member');
    await failFrom('203.0.113.1', login, limits.loginFailuresPerClient);
    expect((await loginFrom('203.0.113.1', login, password)).status).toBe(429);
    expect((await loginFrom('198.51.100.1', login, password)).status).toBe(200);
  });

  it('after the free failures, each further one doubles the wait (retryAfterSeconds)', async () => {
    const { login, password } = await ctx.newUser('Member');
    const ip = '203.0.113.2';
    await failFrom(ip, login, limits.loginFailuresPerClient);
    const first = limits.loginDelayFirstSeconds;
    let res = await loginFrom(ip, login, password);
    expectRateLimited(res, first);
    await waitOut(res);
    await failFrom(ip, login, 1);
    res = await loginFrom(ip, login, 'wrong-password');
    expectRateLimited(res, first * 2);
    await waitOut(res);
    await failFrom(ip, login, 1);
    expectRateLimited(await loginFrom(ip, login, password), first * 4);
  });

  it('a successful login clears the failures of that address', async () => {
    const { login, password } = await ctx.newUser('Member');
    const ip = '203.0.113.3';
    await failFrom(ip, login, limits.loginFailuresPerClient);
    const res = await loginFrom(ip, login, password);
    expectRateLimited(res, limits.loginDelayFirstSeconds);
    await waitOut(res);
    expect((await loginFrom(ip, login, password)).status).toBe(200);
    // The count starts over: as many free failures again before any wait.
    await failFrom(ip, login, limits.loginFailuresPerClient - 1);
    expect((await loginFrom(ip, login, password)).status).toBe(200);
  });

  it('locks the account from every address at the per-account ceiling, with a clear retry time', async () => {
    const { login, password } = await ctx.newUser('Member');
    const addresses = Math.ceil(limits.loginFailuresPerAccount / limits.loginFailuresPerClient);
    // Spread so that no address reaches its own wait; addresses in parallel to keep the test short.
    await Promise.all(
      Array.from({ length: addresses }, (_, i) => {
        const times = Math.min(
          limits.loginFailuresPerClient,
          limits.loginFailuresPerAccount - i * limits.loginFailuresPerClient,
        );
        return failFrom(`192.0.2.${i + 1}`, login, times);
      }),
    );
    const locked = await loginFrom('198.51.100.200', login, password);
    expect(locked.status).toBe(429);
    expect(locked.body.error.retryAfterSeconds).toBeGreaterThan(limits.loginLockoutSeconds - 10);
    expect(locked.body.error.retryAfterSeconds).toBeLessThanOrEqual(limits.loginLockoutSeconds);
    expect(Number(locked.headers.get('retry-after'))).toBe(locked.body.error.retryAfterSeconds);
    // Another account is not affected.
    const other = await ctx.newUser('Member');
    expect((await loginFrom('198.51.100.200', other.login, other.password)).status).toBe(200);
  }, 90_000);

  it('journals the wait a failure starts', async () => {
    const { login } = await ctx.newUser('Member');
    await failFrom('203.0.113.5', login, limits.loginFailuresPerClient);
    const res = await ctx.owner.get('/api/audit?action=auth.loginFailed&limit=1');
    expect(res.body.items[0].comment).toContain(`next attempt from this address in ${limits.loginDelayFirstSeconds} s`);
  });
});

describe('wrong current password on the password-change form', () => {
  it('is throttled per user, apart from logins', async () => {
    const member = await ctx.newUser('Member');
    const change = (currentPassword: string) =>
      member.client.post('/api/auth/password', { currentPassword, newPassword: 'Brisk-otter-paddles-upstream-7' });
    for (let i = 0; i < limits.passwordChangeFailures; i++) {
      const res = await change('not-my-password');
      expect(res.status).toBe(400);
      expect(res.body.error.fields).toHaveProperty('currentPassword');
    }
    const throttled = await change(member.password);
    expect(throttled.status).toBe(429);
    expect(throttled.body.error.retryAfterSeconds).toBe(limits.loginDelayFirstSeconds);
    // Signing in is not affected, from the same address or any other.
    expect((await ctx.anonymous().login(member.login, member.password)).status).toBe(200);
    expect((await loginFrom('198.51.100.7', member.login, member.password)).status).toBe(200);
    await waitOut(throttled);
    expect((await change(member.password)).status).toBe(200);
  });

  it('login failures do not throttle the password-change form', async () => {
    const member = await ctx.newUser('Member');
    for (let i = 0; i < limits.loginFailuresPerClient; i++)
      expect((await ctx.anonymous().login(member.login, 'wrong-password')).status).toBe(401);
    expect((await ctx.anonymous().login(member.login, member.password)).status).toBe(429);
    const res = await member.client.post('/api/auth/password', {
      currentPassword: member.password,
      newPassword: 'Brisk-otter-paddles-upstream-8',
    });
    expect(res.status, res.text).toBe(200);
  });
});
