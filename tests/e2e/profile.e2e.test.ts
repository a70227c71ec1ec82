// End to end: a member opens their profile from the account panel, changes name and language,
// and after a reload both are still there (the page in the new language).

import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { profileResponseSchema } from '@crewdeck/shared/users';
import { createPerson, startWorkspace, type Workspace } from './support.ts';

let ws: Workspace;
let server: Workspace['server'];
const contexts: BrowserContext[] = [];
let page: Page;
const nativeDialogs: string[] = [];

describe('e2e: profile', () => {
  beforeAll(async () => {
    ws = await startWorkspace('profile');
    ({ server } = ws);
    const admin = await ws.signIn();
    contexts.push(admin);
    const mia = await createPerson(ws.browser, server.url, admin, {
      name: 'Mia Member',
      login: 'mia',
      role: 'Member',
      password: 'Mia-profile-e2e-password-1',
    });
    contexts.push(mia.context);
    page = await mia.context.newPage();
    page.on('dialog', (dialog) => {
      nativeDialogs.push(dialog.message());
      void dialog.dismiss();
    });
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await ws?.close();
  });

  it('changes name and language; both persist after a reload', async () => {
    await page.goto(`${server.url}/feed`);
    await page.getByTestId('profile-link').click();
    await page.waitForURL('**/profile');
    const name = page.locator('#profile-name');
    await expect.poll(() => name.inputValue()).toBe('Mia Member');

    await name.fill('Mia Marsh');
    await page.locator('#profile-language').selectOption('ru');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    // A new language reloads the page in it.
    await expect.poll(() => page.locator('html').getAttribute('lang'), { timeout: 10_000 }).toBe('ru');

    await page.reload();
    await expect.poll(() => page.locator('#profile-name').inputValue()).toBe('Mia Marsh');
    expect(await page.locator('#profile-language').inputValue()).toBe('ru');
    expect(await page.locator('html').getAttribute('lang')).toBe('ru');
    expect(await page.locator('h1').first().textContent()).toBe('Профиль');

    const stored = profileResponseSchema.parse(await (await page.request.get('/api/profile')).json());
    expect(stored.profile).toMatchObject({ name: 'Mia Marsh', language: 'ru' });
  });

  it('shows a server field error next to its field', async () => {
    await page.locator('#profile-email').fill('not an email');
    await page.locator('[data-testid="profile-form"] button[type="submit"]').click();
    await page.locator('#profile-email-error').waitFor();
    expect(nativeDialogs).toEqual([]);
  });
});
