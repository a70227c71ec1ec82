// End to end, the project's task list: text search narrows the rows, a column header sorts them
// both ways (aria-sort says how), everything is kept in the URL (a reload or a shared link shows
// the same list; Back undoes a sort), and an empty result offers to clear the filters.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seed, startWorkspace, type Workspace } from './support.ts';

let ws: Workspace;
let admin: BrowserContext;
let projectId: string;

const rows = (page: Page) =>
  page.locator('tbody tr[data-task]').evaluateAll((items) => items.map((item) => item.getAttribute('data-task')));

describe('e2e: the task list', () => {
  beforeAll(async () => {
    ws = await startWorkspace('task-list');
    admin = await ws.signIn();
    projectId = (await seed.project(admin, 'Website relaunch', 'WEB')).id;
    await seed.task(admin, projectId, { title: 'Design the header', estimate: 5, dueDate: '2027-01-20' });
    await seed.task(admin, projectId, { title: 'Write the footer copy', estimate: 1, dueDate: '2027-01-05' });
    await seed.task(admin, projectId, {
      title: 'Fix links',
      description: 'The footer links point to the old site',
      estimate: 3,
    });
    await seed.task(admin, projectId, { title: 'Перевести интерфейс', estimate: 8, dueDate: '2027-01-10' });
  }, 600_000);

  afterAll(async () => {
    await ws?.close();
  });

  it('searches, sorts both ways, keeps both in the URL across a reload, and Back undoes a sort', async () => {
    const page = await admin.newPage();
    await page.goto(`${ws.url}/projects/${projectId}/list`);
    await expect.poll(() => rows(page)).toEqual(['WEB-1', 'WEB-2', 'WEB-3', 'WEB-4']);

    // Search matches titles and descriptions, in any letter case.
    await page.getByLabel('Search').fill('FOOTER');
    await expect.poll(() => rows(page)).toEqual(['WEB-2', 'WEB-3']);
    await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe('FOOTER');
    await page.getByLabel('Search').fill('');
    await expect.poll(() => rows(page)).toHaveLength(4);

    // Sort by estimate: ascending, then descending.
    const estimate = page.getByRole('button', { name: 'Sort by Estimate' });
    await estimate.click();
    await expect.poll(() => rows(page)).toEqual(['WEB-2', 'WEB-3', 'WEB-1', 'WEB-4']);
    expect(await page.locator('th[aria-sort="ascending"]').textContent()).toContain('Estimate');
    await estimate.click();
    await expect.poll(() => rows(page)).toEqual(['WEB-4', 'WEB-1', 'WEB-3', 'WEB-2']);
    expect(await page.locator('th[aria-sort="descending"]').textContent()).toContain('Estimate');

    // Title, in the language's alphabetical order (Cyrillic after Latin in English).
    await page.getByRole('button', { name: 'Sort by Title' }).click();
    await expect.poll(() => rows(page)).toEqual(['WEB-1', 'WEB-3', 'WEB-2', 'WEB-4']);
    expect(await page.locator('th[aria-sort="ascending"]').textContent()).toContain('Title');

    // Due date: the task without one goes last.
    await page.getByRole('button', { name: 'Sort by Due' }).click();
    await expect.poll(() => rows(page)).toEqual(['WEB-2', 'WEB-4', 'WEB-1', 'WEB-3']);

    // A search on top, then a reload: the same list from the URL alone.
    await page.getByLabel('Search').fill('the');
    await expect.poll(() => rows(page)).toEqual(['WEB-2', 'WEB-1', 'WEB-3']);
    await page.reload();
    await expect.poll(() => rows(page)).toEqual(['WEB-2', 'WEB-1', 'WEB-3']);
    expect(await page.getByLabel('Search').inputValue()).toBe('the');
    const params = new URL(page.url()).searchParams;
    expect([params.get('q'), params.get('sort'), params.get('dir')]).toEqual(['the', 'due', null]);

    // Back returns to the title sort (the search replaced its entry instead of adding one).
    await page.goBack();
    await expect.poll(() => new URL(page.url()).searchParams.get('sort')).toBe('title');
    await expect.poll(() => rows(page)).toEqual(['WEB-1', 'WEB-3', 'WEB-2', 'WEB-4']);
    await page.goBack();
    await expect.poll(() => new URL(page.url()).searchParams.get('dir')).toBe('desc');
    await expect.poll(() => rows(page)).toEqual(['WEB-4', 'WEB-1', 'WEB-3', 'WEB-2']);
    await ws.shot(page, 'task-list-sorted');
    await page.close();
  });

  it('says when nothing matches and clears the filters in one click; on a phone sorting is a select', async () => {
    const page = await admin.newPage();
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(`${ws.url}/projects/${projectId}/list?q=nothing-like-this&overdue=true`);
    const empty = page.getByTestId('list-no-match');
    await empty.getByText('No tasks match these filters.').waitFor();
    await empty.getByRole('link', { name: 'Clear filters' }).click();
    await expect.poll(() => rows(page)).toHaveLength(4);
    await page.getByLabel('Sort by', { exact: true }).selectOption({ label: 'Estimate, descending' });
    await expect.poll(() => rows(page)).toEqual(['WEB-4', 'WEB-1', 'WEB-3', 'WEB-2']);
    await ws.shot(page, 'task-list-phone');
    await page.close();
  });
});
