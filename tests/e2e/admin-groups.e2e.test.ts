// End to end, as the owner in Admin → Groups: members are added and removed one at a time, the
// dialog lists them as they are, and nothing opens a native browser dialog.

import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserResponseSchema } from '@crewdeck/shared/users';
import { groupResponseSchema } from '@crewdeck/shared/groups';
import { startWorkspace, type Workspace } from './support.ts';

// The test's TypeScript has no DOM types; this is the one browser call it needs.
type DomWindow = { getComputedStyle: (element: unknown) => { display: string } };

let owner: Workspace['owner'];

let ws: Workspace;
let server: Workspace['server'];
let browser: Browser;
let admin: BrowserContext;
let page: Page;
let groupId: string;
const nativeDialogs: string[] = [];

async function createUser(name: string, login: string): Promise<void> {
  const response = await admin.request.post('/api/users', { data: { name, login, role: 'Member' } });
  if (!response.ok()) throw new Error(`user ${login} → ${response.status()}: ${await response.text()}`);
  createUserResponseSchema.parse(await response.json());
}

const members = () => page.getByTestId('group-members').locator('li[data-member]');
const memberNames = () => members().evaluateAll((items) => items.map((item) => item.getAttribute('data-member')));

async function addMember(label: string): Promise<void> {
  await page.locator('#add-member').selectOption({ label });
  await page.getByRole('button', { name: 'Add', exact: true }).click();
}

describe('e2e: admin groups', () => {
  beforeAll(async () => {
    ws = await startWorkspace('groups');
    ({ server, browser, owner } = ws);
    admin = await ws.signIn();
    await createUser('Mark Member', 'mark');
    await createUser('Mia Member', 'mia');
    const created = await admin.request.post('/api/groups', { data: { name: 'Development group' } });
    if (created.status() !== 201) throw new Error(`group → ${created.status()}: ${await created.text()}`);
    groupId = groupResponseSchema.parse(await created.json()).group.id;
    page = await admin.newPage();
    page.on('dialog', (dialog) => {
      nativeDialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss();
    });
  });

  afterAll(async () => {
    await admin?.close().catch(() => undefined);
    await ws?.close();
  });

  it('adds Mark, then Mia: both are listed, in the dialog and on the server', async () => {
    await page.goto(`${server.url}/admin/groups`);
    await page.getByRole('button', { name: 'Open Development group' }).click();
    await expect.poll(() => page.getByTestId('group-members').textContent()).toContain('Nobody is in this group yet');

    await addMember('Mark Member (mark)');
    await expect.poll(memberNames).toEqual(['Mark Member']);
    await addMember('Mia Member (mia)');
    await expect.poll(memberNames).toEqual(['Mark Member', 'Mia Member']);
    await expect.poll(() => page.getByTestId('group-members').textContent()).not.toContain('Nobody');

    const stored = groupResponseSchema.parse(await (await admin.request.get(`/api/groups/${groupId}`)).json());
    expect(stored.group.members.map((member) => member.name)).toEqual(['Mark Member', 'Mia Member']);
  });

  it('removes one member and keeps the other', async () => {
    await page.getByRole('button', { name: 'Remove Mark Member from Development group' }).click();
    await expect.poll(memberNames).toEqual(['Mia Member']);
    const stored = groupResponseSchema.parse(await (await admin.request.get(`/api/groups/${groupId}`)).json());
    expect(stored.group.members.map((member) => member.name)).toEqual(['Mia Member']);

    // The list after a reload shows the same.
    await page.reload();
    await page.getByRole('button', { name: 'Open Development group' }).click();
    await expect.poll(memberNames).toEqual(['Mia Member']);
  });

  it('asks before deleting the group in the app, never with a native dialog', async () => {
    await page.getByRole('button', { name: 'Delete group' }).click();
    const confirmButton = page.locator('[data-confirm]');
    await confirmButton.waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await confirmButton.waitFor({ state: 'detached' });
    expect(nativeDialogs).toEqual([]);
  });

  it('on a phone, users and the audit journal are cards and every admin tab is in view', async () => {
    const phone = await browser.newContext({ baseURL: server.url, viewport: { width: 375, height: 800 } });
    try {
      const login = await phone.request.post('/api/auth/login', { data: owner });
      expect(login.ok()).toBe(true);
      const small = await phone.newPage();
      await small.goto(`${server.url}/admin/users`);
      await small.locator('td[data-label]').first().waitFor();
      const audit = small.getByTestId('admin-tabs').getByRole('link', { name: 'Audit journal' });
      const box = await audit.boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= 375).toBe(true);
      expect(
        await small
          .locator('td[data-label]')
          .first()
          .evaluate((cell) => (globalThis as unknown as DomWindow).getComputedStyle(cell).display),
      ).toBe('block');
      const wide = await small.evaluate<number>('document.documentElement.scrollWidth');
      expect(wide).toBeLessThanOrEqual(375);

      await audit.click();
      await small.waitForURL('**/admin/audit');
      await small.locator('td[data-label]').first().waitFor();
      expect(
        await small
          .locator('td[data-label]')
          .first()
          .evaluate((cell) => (globalThis as unknown as DomWindow).getComputedStyle(cell).display),
      ).toBe('block');
      expect(await small.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
      await small.screenshot({
        path: path.resolve(import.meta.dirname, '../../test-artifacts/e2e/admin-audit-phone.png'),
        fullPage: true,
      });
    } finally {
      await phone.close();
    }
  });
});
