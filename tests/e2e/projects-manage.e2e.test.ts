// End to end, correcting a project's things in the browser: edit and archive the project, change
// a milestone's status, see the server's field error for a due day before the start, delete a
// task and Undo, edit and delete a comment, restore from the project trash. No native dialogs.

import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seed, startWorkspace, type Workspace } from './support.ts';

let ws: Workspace;
let server: Workspace['server'];
let admin: BrowserContext;
let projectId: string;

async function json<T>(path: string): Promise<T> {
  return (await (await admin.request.get(path)).json()) as T;
}

async function open(url: string): Promise<Page> {
  const page = await admin.newPage();
  page.on('dialog', (dialog) => {
    throw new Error(`native dialog: ${dialog.message()}`);
  });
  await page.goto(`${server.url}${url}`);
  return page;
}

/** Confirms the app's own confirmation dialog. */
async function confirm(page: Page, label: string): Promise<void> {
  await page.locator('dialog[open]').getByRole('button', { name: label, exact: true }).click();
}

describe('e2e: managing a project', () => {
  beforeAll(async () => {
    ws = await startWorkspace('projects-manage');
    ({ server } = ws);
    admin = await ws.signIn();
    projectId = (await seed.project(admin, 'Website relaunch', 'WEB')).id;
  }, 600_000);

  afterAll(async () => {
    await admin?.close().catch(() => undefined);
    await ws?.close();
  });

  it('edits and archives the project from its header', async () => {
    const page = await open(`/projects/${projectId}`);
    const actions = page.getByRole('group', { name: 'Project actions' });
    await actions.getByRole('button', { name: 'Edit', exact: true }).click();
    await page.locator('#prj-edit-name').fill('Website relaunch 2027');
    await page.locator('#prj-edit-description').fill('New site');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: /Website relaunch 2027/ }).waitFor();

    await actions.getByRole('button', { name: 'Archive' }).click();
    await actions.getByRole('button', { name: 'Unarchive' }).waitFor();
    const { project } = await json<{ project: { name: string; archived: boolean } }>(`/api/projects/${projectId}`);
    expect(project).toMatchObject({ name: 'Website relaunch 2027', archived: true });
    await actions.getByRole('button', { name: 'Unarchive' }).click();
    await actions.getByRole('button', { name: 'Archive' }).waitFor();
    await page.close();
  });

  it('changes a milestone status and shows the due-before-start error next to the due field', async () => {
    const milestone = await seed.milestone(admin, projectId, {
      title: 'Beta',
      startDate: '2026-03-02',
      dueDate: '2026-03-20',
    });
    const page = await open(`/projects/${projectId}/timeline`);
    await page.getByRole('button', { name: 'Edit milestone Beta' }).click();
    await page.locator('#ms-edit-status').selectOption('active');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('#ms-edit-title').waitFor({ state: 'detached' });
    const saved = await json<{ items: { id: string; status: string }[] }>(`/api/projects/${projectId}/milestones`);
    expect(saved.items.find((item) => item.id === milestone.id)?.status).toBe('active');

    await page.getByRole('button', { name: 'Edit milestone Beta' }).click();
    await page.locator('#ms-edit-due').fill('2026-02-01');
    await page.getByRole('button', { name: 'Save changes' }).click();
    const error = page.locator('#ms-edit-due-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('Due date cannot be before the start date.');
    await page.close();
  });

  it('deletes a task and brings it back with Undo', async () => {
    const task = await seed.task(admin, projectId, { title: 'Draft the sitemap' });
    const page = await open(`/projects/${projectId}/tasks/${task.id}`);
    await page.getByRole('button', { name: 'Delete task' }).click();
    await confirm(page, 'Delete');
    await page.getByText('WEB-1 moved to the trash').waitFor();
    expect((await admin.request.get(`/api/tasks/${task.id}`)).status()).toBe(404);
    await page.getByRole('button', { name: 'Undo' }).click();
    await page.waitForURL(`**/tasks/${task.id}`);
    expect((await admin.request.get(`/api/tasks/${task.id}`)).ok()).toBe(true);
    await page.close();
  });

  it('edits and deletes a comment, then restores it from the project trash', async () => {
    const task = await seed.task(admin, projectId, { title: 'Pick the fonts' });
    await seed.comment(admin, task.id, 'First thougths');
    const page = await open(`/projects/${projectId}/tasks/${task.id}`);
    await page.getByRole('button', { name: 'Edit comment' }).click();
    const editor = page.getByLabel('Comment text');
    await editor.fill('First thoughts');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('First thoughts').waitFor();
    await page.getByText('edited').waitFor();

    await page.getByRole('button', { name: 'Delete comment' }).click();
    await confirm(page, 'Delete');
    await page.getByText('Comment moved to the trash').waitFor();
    await page.getByText('First thoughts').waitFor({ state: 'detached' });

    await page.goto(`${server.url}/projects/${projectId}/trash`);
    await page.getByRole('button', { name: /Restore: .*First thoughts/ }).click();
    await page.getByText('Nothing deleted in this project.').waitFor();
    const comments = await json<{ items: { body: string }[] }>(`/api/tasks/${task.id}/comments`);
    expect(comments.items.map((comment) => comment.body)).toEqual(['First thoughts']);
    await page.close();
  });

  it('shows task bars in their milestone lane with the today line, and a drag reschedules both dates', async () => {
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const gamma = await seed.milestone(admin, projectId, { title: 'Gamma', startDate: day(-2), dueDate: day(20) });
    const planned = await seed.task(admin, projectId, {
      title: 'Write the copy',
      milestoneId: gamma.id,
      startDate: day(1),
      dueDate: day(4),
    });
    const loose = await seed.task(admin, projectId, { title: 'Fix the footer', startDate: day(2), dueDate: day(3) });
    const page = await open(`/projects/${projectId}/timeline`);
    const rows = page.locator('[role="table"] [role="row"]');
    await page.locator(`[data-task-bar="${planned.code}"]`).waitFor();
    const headers = (await rows.locator('[role="rowheader"]').allInnerTexts()).map((text) =>
      text.split('\n')[0].trim(),
    );
    // Gamma's task right under Gamma; the task of no milestone in the last lane.
    const gammaAt = headers.findIndex((text) => text === 'Gamma');
    expect(headers[gammaAt + 1]).toContain(planned.code);
    const laneAt = headers.indexOf('No milestone');
    expect(laneAt).toBeGreaterThan(gammaAt);
    expect(headers[laneAt + 1]).toContain(loose.code);
    await expect.poll(() => page.locator('.today').count()).toBeGreaterThan(0);

    // Drag the bar about five days later: both dates move by the same number of days.
    const bar = page.locator(`[data-task-bar="${planned.code}"] .bar`);
    const track = await page.locator(`[data-task-bar="${planned.code}"] [role="cell"]`).boundingBox();
    const box = await bar.boundingBox();
    if (!track || !box) throw new Error('the bar is not visible');
    const before = await json<{ task: { startDate: string; dueDate: string } }>(`/api/tasks/${planned.id}`);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + track.width * 0.15, box.y + box.height / 2, { steps: 8 });
    await page.mouse.up();
    await page.getByRole('status').getByText(`${planned.code} moved`).waitFor();
    const after = await json<{ task: { startDate: string; dueDate: string } }>(`/api/tasks/${planned.id}`);
    const shift = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
    expect(shift(before.task.startDate, after.task.startDate)).toBeGreaterThan(0);
    expect(shift(before.task.startDate, after.task.startDate)).toBe(shift(before.task.dueDate, after.task.dueDate));

    // The keyboard does the same one day at a time.
    await bar.focus();
    await page.keyboard.press('ArrowLeft');
    await expect
      .poll(async () => (await json<{ task: { startDate: string } }>(`/api/tasks/${planned.id}`)).task.startDate)
      .toBe(new Date(Date.parse(after.task.startDate) - 86_400_000).toISOString().slice(0, 10));
    await page.close();
  });
});
