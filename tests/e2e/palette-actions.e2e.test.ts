// End to end, the palette's create actions: Ctrl+K, "new task" opens the project's create-task
// dialog (from the project and, as "New task in <project>", from elsewhere), "new document"
// opens the library's; a guest without those permissions is offered neither. Also what the one
// palette kept from the old one: a task found by its code, the keyboard-shortcut help (its
// entry and the `?` key).

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seed, signedInContext, startWorkspace, type Workspace } from './support.ts';

let ws: Workspace;
let server: Workspace['server'];
let browser: Browser;
let admin: BrowserContext;
let guest: BrowserContext;
let projectId: string;

async function taskTitles(): Promise<string[]> {
  const list = (await (await admin.request.get(`/api/projects/${projectId}/tasks`)).json()) as {
    items: { title: string }[];
  };
  return list.items.map((task) => task.title);
}

/** Opens the palette with Ctrl+K and types `text`; returns the result list. */
async function palette(page: Page, text: string) {
  // The app shell's heading shows once the page is running (the shortcut listener with it).
  await page.locator('main h1, main h2').first().waitFor();
  await page.keyboard.press('Control+k');
  const input = page.getByTestId('palette-input');
  await input.waitFor({ timeout: 5000 });
  await input.fill(text);
  return page.getByTestId('palette-results');
}

describe('e2e: palette actions', () => {
  beforeAll(async () => {
    ws = await startWorkspace('palette-actions');
    ({ server, browser } = ws);
    admin = await ws.signIn();
    projectId = (await seed.project(admin, 'Palette works', 'PAL')).id;
    const expires = new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString();
    const created = await admin.request.post('/api/users', {
      data: { name: 'Gail Guest', login: 'guest@palette-actions-e2e.test', role: 'External', expiresAt: expires },
    });
    expect(created.ok(), await created.text()).toBe(true);
    const { user, oneTimePassword } = (await created.json()) as { user: { id: string }; oneTimePassword: string };
    guest = await signedInContext(browser, server.url, 'guest@palette-actions-e2e.test', oneTimePassword);
    await guest.request.post('/api/auth/password', {
      data: { currentPassword: oneTimePassword, newPassword: 'Guest-palette-actions-password-1' },
    });
    await seed.member(admin, projectId, user.id, 'external');
  }, 600_000);

  afterAll(async () => {
    await guest?.close().catch(() => undefined);
    await admin?.close().catch(() => undefined);
    await ws?.close();
  });

  it('"New task" on a project page opens its create dialog', async () => {
    const page = await admin.newPage();
    await page.goto(`${server.url}/projects/${projectId}/list`);
    const results = await palette(page, 'new task');
    await results.getByRole('option', { name: /New task$/ }).click();
    await page.locator('dialog[open] #task-title').fill('From the palette');
    await page.locator('dialog[open]').getByRole('button', { name: 'Create task' }).click();
    await page.getByText('From the palette').first().waitFor();
    expect(await taskTitles()).toContain('From the palette');
    await page.close();
  });

  it('"New task in <project>" elsewhere goes to the project and opens the dialog once', async () => {
    const page = await admin.newPage();
    await page.goto(`${server.url}/feed`);
    const results = await palette(page, 'new task');
    await results.getByRole('option', { name: /New task in Palette works/ }).click();
    await page.waitForURL(new RegExp(`/projects/${projectId}`));
    await page.locator('dialog[open] #task-title').fill('Elsewhere task');
    // The parameter has left the address.
    await expect.poll(() => new URL(page.url()).searchParams.has('new')).toBe(false);
    await page.locator('dialog[open]').getByRole('button', { name: 'Create task' }).click();
    await page.locator('dialog[open]').waitFor({ state: 'detached' });
    await page.getByText('Elsewhere task').first().waitFor();
    expect(await taskTitles()).toContain('Elsewhere task');
    await page.close();
  });

  it('"New document" opens the library create dialog', async () => {
    const page = await admin.newPage();
    await page.goto(`${server.url}/projects`);
    const results = await palette(page, 'new document');
    await results.getByRole('option', { name: /New document/ }).click();
    await page.waitForURL(/\/library/);
    await page.locator('dialog[open] #create-name').fill('Palette doc');
    await expect.poll(() => new URL(page.url()).searchParams.has('new')).toBe(false);
    await page.locator('dialog[open]').getByRole('button', { name: 'Create document' }).click();
    await page.waitForURL(/\/library\/[^/?]+$/);
    const docs = (await (await admin.request.get('/api/library')).json()) as { items: { title: string }[] };
    expect(docs.items.map((doc) => doc.title)).toContain('Palette doc');
    await page.close();
  });

  it('finds a task by its code typed in any case and opens it', async () => {
    const task = await seed.task(admin, projectId, { title: 'Coded task' });
    const page = await admin.newPage();
    await page.goto(`${server.url}/feed`);
    const results = await palette(page, task.code.toLowerCase());
    const option = results.locator('[data-kind="task"]', { hasText: 'Coded task' });
    await option.waitFor();
    expect(await option.textContent()).toContain(task.code);
    await option.click();
    await page.waitForURL(`**/projects/${projectId}/tasks/${task.id}`);
    await page.close();
  });

  it('"Keyboard shortcuts" and the ? key open the shortcut help; one palette answers Ctrl+K', async () => {
    const page = await admin.newPage();
    await page.goto(`${server.url}/projects`);
    const results = await palette(page, 'keyboard');
    // One palette: one combobox in the page.
    expect(await page.getByTestId('palette-input').count()).toBe(1);
    await results.getByRole('option', { name: 'Keyboard shortcuts' }).click();
    const help = page.getByTestId('shortcuts');
    await help.waitFor();
    expect(await help.textContent()).toContain('Ctrl/⌘ + K');
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });
    await page.locator('main h1').first().click();
    await page.keyboard.press('?');
    await help.waitFor();
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });
    await page.close();
  });

  it('a guest without the permissions is offered neither action, nor People', async () => {
    const page = await guest.newPage();
    await page.goto(`${server.url}/projects/${projectId}`);
    await page.getByRole('heading', { name: /Palette works/ }).waitFor();
    const results = await palette(page, 'new');
    // The search has had time to answer (the list shows its final state).
    await page.waitForTimeout(500);
    expect(await results.getByRole('option', { name: /New task/ }).count()).toBe(0);
    expect(await results.getByRole('option', { name: /New document/ }).count()).toBe(0);
    const input = page.getByTestId('palette-input');
    await input.fill('people');
    await page.waitForTimeout(300);
    expect(await results.getByRole('option', { name: /People/ }).count()).toBe(0);
    // The palette itself works for them: their project is found.
    await input.fill('Palette');
    await results.getByRole('option', { name: /Palette works/ }).waitFor();
    await page.close();
  });
});
