import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personalPasswordMessage, weakPasswordMessage } from '@crewdeck/shared/password-strength';
import { startTestServer, type TestContext } from '../support/server.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await startTestServer();
});
afterAll(async () => {
  await ctx?.close();
});

const strong = 'Velvet-compass-drifts-north-31';

describe('new password strength', () => {
  it('refuses passwords that are easy to guess, with the reason on newPassword', async () => {
    const member = await ctx.newUser('Member');
    for (const weak of [
      'aaaaaaaaaa',
      '1234567890',
      ' '.repeat(10),
      'qwertyuiop',
      'password123',
      'йцукенгшщз',
      'gfhjkm12345',
    ]) {
      const res = await member.client.post('/api/auth/password', {
        currentPassword: member.password,
        newPassword: weak,
      });
      expect(res.status, weak).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.fields.newPassword, weak).toBe(weakPasswordMessage);
    }
    // Nothing changed: the old password still signs in.
    expect((await ctx.anonymous().login(member.login, member.password)).status).toBe(200);
  });

  it('refuses the own login and passwords built from the login or name', async () => {
    const member = await ctx.newUser('Member', { name: 'Margarita Kuznetsova' });
    const local = member.login.split('@')[0];
    for (const personal of [
      member.login,
      `pw-${member.login}-secret`,
      `${local}-password`,
      'Margarita-Kuznetsova-1990',
      'kuznetsova2024!',
    ]) {
      const res = await member.client.post('/api/auth/password', {
        currentPassword: member.password,
        newPassword: personal,
      });
      expect(res.status, personal).toBe(400);
      expect(res.body.error.fields.newPassword, personal).toBe(personalPasswordMessage);
    }
  });

  it('refuses reusing the current password', async () => {
    const member = await ctx.newUser('Member');
    const res = await member.client.post('/api/auth/password', {
      currentPassword: member.password,
      newPassword: member.password,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toHaveProperty('newPassword');
  });

  it('accepts a strong password', async () => {
    const member = await ctx.newUser('Member');
    const res = await member.client.post('/api/auth/password', {
      currentPassword: member.password,
      newPassword: strong,
    });
    expect(res.status, res.text).toBe(200);
    expect((await ctx.anonymous().login(member.login, strong)).status).toBe(200);
  });

  it('applies after an admin reset too (the forced change)', async () => {
    const member = await ctx.newUser('Member');
    const reset = await ctx.owner.post(`/api/users/${member.user.id}/reset-password`);
    expect(reset.status).toBe(200);
    const client = ctx.anonymous();
    expect((await client.login(member.login, reset.body.oneTimePassword)).status).toBe(200);
    const weak = await client.post('/api/auth/password', {
      currentPassword: reset.body.oneTimePassword,
      newPassword: '1234567890',
    });
    expect(weak.status).toBe(400);
    expect(weak.body.error.fields.newPassword).toBe(weakPasswordMessage);
    expect((await client.get('/api/me')).body.mustChangePassword).toBe(true);
    const ok = await client.post('/api/auth/password', {
      currentPassword: reset.body.oneTimePassword,
      newPassword: strong,
    });
    expect(ok.status, ok.text).toBe(200);
    expect((await client.get('/api/me')).body.mustChangePassword).toBe(false);
  });
});
