// End to end, two browsers on one project against the real server: the lead assigns work in
// the UI and the member's board and notification bell change live, without a reload.

import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPerson, seed, type Person, startWorkspace, type Workspace, artifactsDir } from './support.ts';

const artifacts = artifactsDir;

let ws: Workspace;
let server: Workspace['server'];
let browser: Browser;
let contexts: BrowserContext[] = [];
let lead: { person: Person; page: Page };
let member: { person: Person; page: Page };
let projectId: string;

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(artifacts, `feed-${name}.png`), fullPage: true });
}

function card(page: Page, code: string) {
  return page.locator(`[data-task="${code}"]`);
}

/** The bell of the current layout (sidebar on wide screens, top bar on phones). */
function unread(page: Page) {
  return page.getByTestId('unread-count').filter({ visible: true });
}

function column(page: Page, status: string) {
  return page.locator(`[data-status="${status}"]`);
}

async function openBoard(page: Page): Promise<void> {
  await page.goto(`${server.url}/projects/${projectId}`);
  await page.getByTestId('board').waitFor();
  await page.locator('[data-testid="live-status"][data-status="live"]').first().waitFor({ state: 'attached' });
  // Marks this document: the mark is gone if anything reloads the page.
  await page.evaluate("document.documentElement.setAttribute('data-e2e-document', 'original')");
}

async function sameDocument(page: Page): Promise<boolean> {
  return (await page.locator('html[data-e2e-document="original"]').count()) === 1;
}

describe('e2e: live board and notifications in two browsers', () => {
  beforeAll(async () => {
    ws = await startWorkspace('feed');
    ({ server, browser } = ws);

    // People and the project come through the API; everything asserted happens in the UI.
    const admin = await ws.signIn();
    const leadUser = await createPerson(browser, server.url, admin, {
      name: 'Lena Lead',
      login: 'lena',
      role: 'Lead',
      password: 'Lena-feed-e2e-password-1',
    });
    const memberUser = await createPerson(browser, server.url, admin, {
      name: 'Mia Member',
      login: 'mia',
      role: 'Member',
      password: 'Mia-feed-e2e-password-1',
    });
    contexts = [admin, leadUser.context, memberUser.context];
    const project = await seed.project(leadUser.context, 'Website relaunch', 'WEB');
    projectId = project.id;
    await seed.member(leadUser.context, projectId, memberUser.person.id, 'member');
    await seed.task(leadUser.context, projectId, { title: 'Write the launch checklist', estimate: 2 });

    lead = { person: leadUser.person, page: await leadUser.context.newPage() };
    member = { person: memberUser.person, page: await memberUser.context.newPage() };
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await ws?.close();
  });

  it('the lead assigns a task in the UI; the member sees the board and the bell change live', async () => {
    await openBoard(lead.page);
    await openBoard(member.page);
    await expect(card(member.page, 'WEB-1').getByRole('img', { name: 'Mia Member' }).count()).resolves.toBe(0);
    await expect(unread(member.page).count()).resolves.toBe(0);
    // Both are online in the project.
    await member.page.getByTestId('presence').getByRole('img', { name: 'Lena Lead' }).waitFor();
    await shot(member.page, '01-member-board-before');

    // The lead opens the task and assigns it to the member.
    await card(lead.page, 'WEB-1').getByRole('link', { name: 'Write the launch checklist' }).click();
    await lead.page.getByRole('article').getByRole('button', { name: 'Edit' }).click();
    await lead.page.getByRole('checkbox', { name: 'Mia Member' }).check();
    await shot(lead.page, '02-lead-assigns');
    await lead.page.getByRole('button', { name: 'Save task' }).click();
    await lead.page.getByTestId('task-assignees').getByText('Mia Member').waitFor();

    // The member's board shows the assignee and the bell counts one, without a reload.
    await card(member.page, 'WEB-1').getByRole('img', { name: 'Mia Member' }).waitFor();
    await unread(member.page).filter({ hasText: '1' }).waitFor();
    expect(await sameDocument(member.page)).toBe(true);
    await shot(member.page, '03-member-board-assigned');

    // The lead creates a big task for the member: the workload warning asks, the lead confirms.
    await lead.page.goto(`${server.url}/projects/${projectId}`);
    await lead.page.getByRole('button', { name: 'New task' }).click();
    await lead.page.getByLabel('Title').fill('Migrate the blog posts');
    await lead.page.getByLabel('Estimate (hours)').fill('40');
    await lead.page.getByLabel('Due date').fill(new Date(Date.now() + 86_400_000).toISOString().slice(0, 10));
    await lead.page.getByRole('dialog').getByRole('checkbox', { name: 'Mia Member' }).check();
    await lead.page.getByRole('button', { name: 'Create task' }).click();
    await lead.page.getByTestId('workload-warning').waitFor();
    await shot(lead.page, '04-lead-workload-warning');
    await lead.page.getByRole('button', { name: 'Assign anyway' }).click();
    await card(lead.page, 'WEB-2').waitFor();

    await card(member.page, 'WEB-2').getByRole('img', { name: 'Mia Member' }).waitFor();
    await unread(member.page).filter({ hasText: '2' }).waitFor();

    // Status by keyboard-accessible select, then by pointer drag: the member's columns follow.
    await lead.page.getByLabel('Status of WEB-1').selectOption('in_progress');
    await column(member.page, 'in_progress').locator('[data-task="WEB-1"]').waitFor();
    const from = await card(lead.page, 'WEB-2').boundingBox();
    const to = await column(lead.page, 'review').boundingBox();
    if (!from || !to) throw new Error('board not laid out');
    await lead.page.mouse.move(from.x + 20, from.y + 12);
    await lead.page.mouse.down();
    await lead.page.mouse.move(from.x + 60, from.y + 40, { steps: 4 });
    await lead.page.mouse.move(to.x + to.width / 2, to.y + 80, { steps: 8 });
    await lead.page.mouse.up();
    await column(lead.page, 'review').locator('[data-task="WEB-2"]').waitFor();
    await column(member.page, 'review').locator('[data-task="WEB-2"]').waitFor();
    expect(await sameDocument(member.page)).toBe(true);
    await shot(member.page, '05-member-board-moved');
    await shot(lead.page, '06-lead-board');

    // The member drops off the network; what happens meanwhile arrives on reconnect (resume
    // from the last seen seq), still without a reload.
    const memberContext = member.page.context();
    await memberContext.setOffline(true);
    await member.page
      .locator('[data-testid="live-status"]:not([data-status="live"])')
      .first()
      .waitFor({ state: 'attached' });
    await lead.page.getByLabel('Status of WEB-1').selectOption('done');
    await column(lead.page, 'done').locator('[data-task="WEB-1"]').waitFor();
    await memberContext.setOffline(false);
    await column(member.page, 'done').locator('[data-task="WEB-1"]').waitFor();
    expect(await sameDocument(member.page)).toBe(true);

    // The member reads the notifications and marks them all read.
    await member.page.getByTestId('notification-bell').filter({ visible: true }).click();
    const panel = member.page.getByRole('region', { name: 'Notifications' });
    await panel.getByText('Lena Lead assigned you to WEB-1').waitFor();
    await shot(member.page, '07-member-notifications');
    await panel.getByRole('button', { name: 'Mark all read' }).click();
    await expect.poll(() => unread(member.page).count()).toBe(0);

    // The member's assignment feed lists the assignments.
    await member.page.goto(`${server.url}/feed?mine=true`);
    await member.page.getByTestId('feed-list').getByText('assigned WEB-2').waitFor();
    await shot(member.page, '08-member-my-assignments');
    await member.page.setViewportSize({ width: 375, height: 740 });
    await shot(member.page, '09-member-my-assignments-phone');
    await member.page.goto(`${server.url}/projects/${projectId}`);
    await card(member.page, 'WEB-2').waitFor();
    await shot(member.page, '10-member-board-phone');
  }, 180_000);
});
