// End to end, two people edit one task at once (issue 11, items 2, 4, 5, 6, 10): an open edit
// form keeps the person's draft when someone else saves, names who changed what, saves only the
// fields the person changed, and shows a real conflict on one field with a choice. The task
// page changes status; descriptions render as sanitized Markdown; limits are errors, not cuts;
// rates follow the billing permission.

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { limits } from '@crewdeck/shared/limits';
import { createPerson, seed, startWorkspace, type Workspace } from './support.ts';

let ws: Workspace;
let server: Workspace['server'];
let browser: Browser;
let contexts: BrowserContext[] = [];
let admin: BrowserContext;
let lena: BrowserContext;
let mia: BrowserContext;
let projectId: string;

async function taskJson(context: BrowserContext, id: string) {
  const response = await context.request.get(`/api/tasks/${id}`);
  return ((await response.json()) as { task: Record<string, unknown> }).task;
}

/** Opens a task page and its edit form, failing on any native dialog. */
async function openEditor(context: BrowserContext, taskId: string): Promise<Page> {
  const page = await context.newPage();
  page.on('dialog', (dialog) => {
    throw new Error(`native dialog: ${dialog.message()}`);
  });
  await page.goto(`${server.url}/projects/${projectId}/tasks/${taskId}`);
  await page.locator('[data-testid="live-status"][data-status="live"]').first().waitFor({ state: 'attached' });
  await page.getByRole('article').getByRole('button', { name: 'Edit' }).click();
  await page.locator('#edit-title').waitFor();
  return page;
}

describe('e2e: editing one task in two browsers', () => {
  beforeAll(async () => {
    ws = await startWorkspace('task-edit');
    ({ server, browser } = ws);
    admin = await ws.signIn();
    const lead = await createPerson(browser, server.url, admin, {
      name: 'Lena Lead',
      login: 'lena',
      role: 'Lead',
      password: 'Lena-task-edit-password-1',
    });
    const member = await createPerson(browser, server.url, admin, {
      name: 'Mia Member',
      login: 'mia',
      role: 'Member',
      password: 'Mia-task-edit-password-1',
    });
    lena = lead.context;
    mia = member.context;
    contexts = [admin, lena, mia];
    const project = await seed.project(admin, 'Website relaunch', 'WEB');
    projectId = project.id;
    await seed.member(admin, projectId, lead.person.id, 'lead');
    await seed.member(admin, projectId, member.person.id, 'member');
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await ws?.close();
  });

  it('keeps an open draft when the owner saves, and merges changes to different fields', async () => {
    const task = await seed.task(admin, projectId, { title: 'Estimate the migration', estimate: 2 });
    const page = await openEditor(lena, task.id);
    await page.locator('#edit-estimate').fill('7');

    // The owner saves another estimate and a new title while Lena's form is open.
    await seed.patch(admin, task.id, { estimate: 4, title: 'Estimate the data migration' });
    const notice = page.getByTestId('task-remote-change');
    await notice.waitFor();
    // Her draft is untouched by the live update.
    expect(await page.locator('#edit-estimate').inputValue()).toBe('7');
    expect(await page.locator('#edit-title').inputValue()).toBe('Estimate the migration');
    expect(await notice.textContent()).toMatch(/Title/);

    // Both changed the estimate: a real conflict, with a choice.
    await page.getByRole('button', { name: 'Save task' }).click();
    const conflict = page.getByTestId('task-conflict');
    await conflict.waitFor();
    expect(await conflict.textContent()).toMatch(/Estimate/);
    await conflict.getByRole('radio', { name: /Keep mine/ }).check();
    await conflict.getByRole('button', { name: 'Save with these choices' }).click();
    await conflict.waitFor({ state: 'detached' });
    await page.locator('#edit-title').waitFor({ state: 'detached' });

    // Lena's estimate won; the owner's title (a field she did not change) stayed.
    const saved = await taskJson(admin, task.id);
    expect(saved.estimate).toBe(7);
    expect(saved.title).toBe('Estimate the data migration');
    await page.close();
  });

  it('saves only the changed field when the other person changed a different one', async () => {
    const task = await seed.task(admin, projectId, { title: 'Write release notes', estimate: 1 });
    const page = await openEditor(lena, task.id);
    await page.locator('#edit-labels').fill('docs');
    await seed.patch(admin, task.id, { estimate: 3 });
    await page.getByTestId('task-remote-change').waitFor();
    await page.getByRole('button', { name: 'Save task' }).click();
    await page.locator('#edit-title').waitFor({ state: 'detached' });
    const saved = await taskJson(admin, task.id);
    expect(saved.labels).toEqual(['docs']);
    expect(saved.estimate).toBe(3);
    await page.close();
  });

  it('an over-long title is an error next to the field, never a silent cut; fixing it clears it', async () => {
    const task = await seed.task(admin, projectId, { title: 'Short title' });
    const page = await openEditor(lena, task.id);
    const long = 'x'.repeat(limits.taskTitleMax + 50);
    await page.locator('#edit-title').fill(long);
    // The input keeps every character (no maxlength cut) and a counter shows the limit.
    expect((await page.locator('#edit-title').inputValue()).length).toBe(long.length);
    await page.getByText(`${long.length} / ${limits.taskTitleMax}`).waitFor();
    await page.getByRole('button', { name: 'Save task' }).click();
    const error = page.locator('.field:has(#edit-title) .error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(new RegExp(`${limits.taskTitleMax} characters`));
    expect((await taskJson(admin, task.id)).title).toBe('Short title');
    await page.locator('#edit-title').fill('Fixed title');
    await error.waitFor({ state: 'detached' });
    await page.close();
  });

  it('changes status on the task page and renders Markdown descriptions sanitized', async () => {
    const task = await seed.task(admin, projectId, {
      title: 'Document the API',
      description:
        '## Steps\n\n- **first** item\n- [link](https://example.com)\n\n<img src=x onerror="window.__xss=1">',
    });
    const page = await lena.newPage();
    await page.goto(`${server.url}/projects/${projectId}/tasks/${task.id}`);
    const description = page.getByTestId('task-description');
    await description.locator('h2', { hasText: 'Steps' }).waitFor();
    expect(await description.locator('strong').textContent()).toBe('first');
    expect(await description.locator('a').getAttribute('rel')).toContain('noopener');
    expect(await description.locator('img').count()).toBe(0);
    expect(await page.evaluate<unknown>('window.__xss')).toBeUndefined();

    await page.getByTestId('task-status').selectOption('in_progress');
    await expect.poll(async () => (await taskJson(admin, task.id)).status, { timeout: 5000 }).toBe('in_progress');
    await page.close();
  });

  it('a member without billing access neither sees nor sends the hourly rate', async () => {
    const task = await seed.task(admin, projectId, { title: 'Billable work', billable: true, hourlyRate: 90 });
    const page = await openEditor(mia, task.id);
    expect(await page.locator('#edit-rate').count()).toBe(0);
    await page.locator('#edit-estimate').fill('2');
    await page.getByRole('button', { name: 'Save task' }).click();
    await page.locator('#edit-title').waitFor({ state: 'detached' });
    const saved = await taskJson(admin, task.id);
    expect(saved.estimate).toBe(2);
    expect(saved.hourlyRate).toBe(90);
    await page.close();
  });
});
