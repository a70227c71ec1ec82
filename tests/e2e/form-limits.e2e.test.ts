// End to end, text limits in forms: a value past its limit (page.fill, which is what paste
// does) stays whole, a counter shows, submitting names the error next to the field and creates
// nothing; shortening it clears the error and the form then submits.

import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { limits } from '@crewdeck/shared/limits';
import { seed, startWorkspace, type Workspace } from './support.ts';

let ws: Workspace;
let server: Workspace['server'];
let admin: BrowserContext;
let projectId: string;

async function json<T>(url: string): Promise<T> {
  return (await (await admin.request.get(url)).json()) as T;
}

async function open(url: string): Promise<Page> {
  const page = await admin.newPage();
  await page.goto(`${server.url}${url}`);
  return page;
}

/** Fills `selector` past `max`, checks nothing was cut, a counter and (after submit) the error show. */
async function overLimit(page: Page, selector: string, max: number, submit: () => Promise<void>): Promise<void> {
  const field = page.locator(selector);
  const long = 'x'.repeat(max + 5);
  await field.fill(long);
  expect(await field.inputValue()).toBe(long);
  const id = await field.getAttribute('id');
  await page.locator(`#${id}-count`).waitFor();
  // The counter is formatted for the locale (10,005): compare its digits.
  const counter = (await page.locator(`#${id}-count`).textContent()) ?? '';
  expect(counter.replace(/[^\d/]/g, '')).toBe(`${max + 5}/${max}`);
  await submit();
  const error = page.locator(`#${id}-error`);
  await error.waitFor();
  expect(await error.textContent()).toMatch(/Shorten this/);
  expect(await field.getAttribute('aria-invalid')).toBe('true');
  expect(await field.getAttribute('aria-describedby')).toContain(`${id}-error`);
}

/** Shortens the field; its stale error must disappear before submitting again. */
async function shorten(page: Page, selector: string, value: string): Promise<void> {
  const field = page.locator(selector);
  await field.fill(value);
  const id = await field.getAttribute('id');
  await page.locator(`#${id}-error`).waitFor({ state: 'detached' });
}

describe('e2e: form limits', () => {
  beforeAll(async () => {
    ws = await startWorkspace('form-limits');
    ({ server } = ws);
    admin = await ws.signIn();
    projectId = (await seed.project(admin, 'Limits', 'LIM')).id;
  }, 600_000);

  afterAll(async () => {
    await admin?.close().catch(() => undefined);
    await ws?.close();
  });

  it('create task: a too-long title is kept, flagged and not sent', async () => {
    const page = await open(`/projects/${projectId}`);
    await page.getByRole('button', { name: 'New task', exact: true }).click();
    const submit = () => page.locator('dialog[open]').getByRole('button', { name: 'Create task' }).click();
    await overLimit(page, '#task-title', limits.taskTitleMax, submit);
    const before = await json<{ items: unknown[] }>(`/api/projects/${projectId}/tasks`);
    expect(before.items).toHaveLength(0);
    await shorten(page, '#task-title', 'Short title');
    await submit();
    await page.locator('dialog[open]').waitFor({ state: 'detached' });
    await page.getByText('Short title').first().waitFor();
    const after = await json<{ items: { title: string }[] }>(`/api/projects/${projectId}/tasks`);
    expect(after.items.map((task) => task.title)).toEqual(['Short title']);
    await page.close();
  });

  it('comment: a too-long comment is kept, flagged and not posted', async () => {
    const task = await seed.task(admin, projectId, { title: 'Discuss' });
    const page = await open(`/projects/${projectId}/tasks/${task.id}`);
    const submit = () => page.getByRole('button', { name: 'Comment', exact: true }).click();
    await overLimit(page, '#comment-body', limits.commentMax, submit);
    expect((await json<{ items: unknown[] }>(`/api/tasks/${task.id}/comments`)).items).toHaveLength(0);
    await shorten(page, '#comment-body', 'A fine comment');
    await submit();
    await page.locator('li[data-comment]').getByText('A fine comment').waitFor();
    expect((await json<{ items: unknown[] }>(`/api/tasks/${task.id}/comments`)).items).toHaveLength(1);
    await page.close();
  });

  it('create project: a too-long name and a bad code are errors, not cuts', async () => {
    const page = await open('/projects');
    await page.getByRole('button', { name: 'New project' }).click();
    const submit = () => page.locator('dialog[open]').getByRole('button', { name: 'Create project' }).click();
    await page.locator('#project-code').fill('TOOLONGCODE');
    expect(await page.locator('#project-code').inputValue()).toBe('TOOLONGCODE');
    await overLimit(page, '#project-name', limits.projectNameMax, submit);
    await page.locator('#project-code-error').waitFor();
    const names = async () => (await json<{ items: { name: string }[] }>('/api/projects')).items.map((p) => p.name);
    expect(await names()).toEqual(['Limits']);
    await shorten(page, '#project-name', 'Second project');
    await page.locator('#project-code').fill('SEC');
    await page.locator('#project-code-error').waitFor({ state: 'detached' });
    await submit();
    await page.locator('dialog[open]').waitFor({ state: 'detached' });
    expect((await names()).sort()).toEqual(['Limits', 'Second project']);
    await page.close();
  });

  it('library: a too-long document title is kept, flagged and not created', async () => {
    const page = await open('/library');
    await page.getByRole('button', { name: 'New document' }).click();
    const submit = () => page.locator('dialog[open]').getByRole('button', { name: 'Create document' }).click();
    await overLimit(page, '#create-name', limits.libraryTitleMax, submit);
    expect((await json<{ items: unknown[] }>('/api/library')).items).toHaveLength(0);
    await shorten(page, '#create-name', 'Handbook');
    await submit();
    await page.waitForURL(/\/library\/[^/]+$/);
    const docs = await json<{ items: { title: string }[] }>('/api/library');
    expect(docs.items.map((doc) => doc.title)).toEqual(['Handbook']);
    await page.close();
  });
});
