// End to end, in Debian's Chromium against the real server (one process: API + web app):
// the owner creates a Member, the Member signs in with the one-time password, must replace it,
// and then sees no administration and is refused by the admin API.

import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkspace, type Workspace, artifactsDir } from './support.ts';

const artifacts = artifactsDir;
let owner: Workspace['owner'];
const member = { name: 'Mia Member', login: 'mia', newPassword: 'Mia-chose-this-password-42' };

let ws: Workspace;
let server: Workspace['server'];
let browser: Browser;
let context: BrowserContext;
let page: Page;

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
}

async function signIn(login: string, password: string): Promise<void> {
  await page.goto(`${server.url}/login`);
  await page.getByLabel('Login or email').fill(login);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function setNewPassword(current: string, next: string): Promise<void> {
  await page.waitForURL('**/change-password');
  await page.getByLabel(/One-time password|Current password/).fill(current);
  await page.getByLabel('New password', { exact: true }).fill(next);
  await page.getByLabel('Repeat new password').fill(next);
  await page.getByRole('button', { name: 'Save password' }).click();
}

function mainNavLink(name: string) {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
}

describe('e2e: accounts in the browser', () => {
  beforeAll(async () => {
    ws = await startWorkspace('auth');
    ({ server, browser, owner } = ws);
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
  });

  afterAll(async () => {
    await ws?.close();
  });

  it('owner creates a Member who must change the one-time password and gets no admin access', async () => {
    // The owner signs in (and sets a password first if the bootstrap asks for it).
    await signIn(owner.login, owner.password);
    await page.waitForURL(/\/(feed|change-password)$/);
    if (page.url().endsWith('/change-password')) await setNewPassword(owner.password, `${owner.password}-2`);
    await page.waitForURL('**/feed');
    await expect(mainNavLink('Admin').count()).resolves.toBe(1);
    await shot('01-owner-feed');

    // Creates a Member and reads the one-time password shown once.
    await mainNavLink('Admin').click();
    await page.waitForURL('**/admin/users');
    await page.getByRole('button', { name: 'New user' }).click();
    await page.getByLabel('Name').fill(member.name);
    await page.getByLabel('Login or email').fill(member.login);
    await page.getByLabel('Role').selectOption('Member');
    await page.getByRole('button', { name: 'Create user' }).click();
    const oneTimePassword = (await page.getByTestId('one-time-password').innerText()).trim();
    expect(oneTimePassword.length).toBeGreaterThanOrEqual(10);
    await shot('02-owner-created-member');
    await page.getByRole('button', { name: 'Done' }).click();
    await expect(page.getByRole('cell', { name: member.login, exact: true }).count()).resolves.toBe(1);

    // Logs out.
    await page.getByRole('button', { name: 'Log out', exact: true }).click();
    await page.waitForURL('**/login');

    // The Member signs in with the one-time password and is sent to change it, nowhere else.
    await signIn(member.login, oneTimePassword);
    await page.waitForURL('**/change-password');
    await page.goto(`${server.url}/feed`);
    await page.waitForURL('**/change-password');
    await shot('03-member-must-change-password');
    await setNewPassword(oneTimePassword, member.newPassword);
    await page.waitForURL('**/feed');
    await shot('04-member-feed');

    // No administration for a Member: not in the navigation, refused by page and API.
    await expect(mainNavLink('Feed').count()).resolves.toBe(1);
    await expect(mainNavLink('Admin').count()).resolves.toBe(0);
    const status = await page.evaluate(async () => (await fetch('/api/users')).status);
    expect(status).toBe(403);
    await page.goto(`${server.url}/admin/users`);
    await page.getByRole('heading', { name: 'No access' }).waitFor();
    await shot('05-member-admin-refused');
  }, 120_000);
});
