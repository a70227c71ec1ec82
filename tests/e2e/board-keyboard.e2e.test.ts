// End to end, the board by keyboard: a card is reached with the arrow keys, picked up with
// Space, taken two columns on with →, dropped with Space (the server has the new status, a
// second person's board shows it live, focus stays on the card), and Escape puts a picked-up card
// back without saving. In Persian (right to left) ← goes to the column on the left, i.e. onwards.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taskResponseSchema } from '@crewdeck/shared/tasks';
import { createPerson, seed, startWorkspace, type Workspace } from './support.ts';

let ws: Workspace;
let admin: BrowserContext;
let lena: BrowserContext;
let projectId: string;
const codes: Record<string, string> = {};

async function statusOf(code: string): Promise<string> {
  const list = await admin.request.get(`/api/projects/${projectId}/tasks`);
  const body = (await list.json()) as { items: { id: string; code: string }[] };
  const id = body.items.find((item) => item.code === code)?.id;
  const response = await admin.request.get(`/api/tasks/${id}`);
  return taskResponseSchema.parse(await response.json()).task.status;
}

const columnOf = (page: Page, code: string) =>
  page.locator(`[data-task="${code}"]`).evaluate((card) => card.closest('[data-status]')?.getAttribute('data-status'));
// The test's TypeScript has no DOM types; this is the one browser global it reads.
type Focus = { document: { activeElement: { getAttribute: (name: string) => string | null } | null } };
const focused = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as Focus).document.activeElement?.getAttribute('data-task') ?? null);

describe('e2e: moving board cards with the keyboard', () => {
  beforeAll(async () => {
    ws = await startWorkspace('board-keys');
    admin = await ws.signIn();
    projectId = (await seed.project(admin, 'Website relaunch', 'WEB')).id;
    const person = await createPerson(ws.browser, ws.url, admin, {
      name: 'Lena Lead',
      login: 'lena',
      role: 'Member',
      password: 'Lena-board-keys-password-1',
    });
    lena = ws.track(person.context);
    await seed.member(admin, projectId, person.person.id, 'member');
    for (const title of ['First', 'Second', 'Third'])
      codes[title] = (await seed.task(admin, projectId, { title })).code;
  }, 600_000);

  afterAll(async () => {
    await ws?.close();
  });

  it('reaches a card with the arrows, picks it up, moves it two columns on and drops it; the server and a second board agree', async () => {
    const page = await admin.newPage();
    const other = await lena.newPage();
    await page.goto(`${ws.url}/projects/${projectId}`);
    await other.goto(`${ws.url}/projects/${projectId}`);
    // The second board is connected before the move, so what it shows comes from the live feed.
    await other.getByText('Live', { exact: true }).waitFor();
    await page.getByText('Live', { exact: true }).waitFor();
    await other.locator(`[data-task="${codes.Second}"]`).waitFor();
    await page.locator(`[data-task="${codes.First}"]`).focus();
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => focused(page)).toBe(codes.Second);

    await page.keyboard.press('Space');
    await expect
      .poll(() => page.getByTestId('board-announcement').textContent())
      .toContain(`Picked up ${codes.Second}`);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByTestId('board-announcement').textContent()).toContain('over In progress');
    await ws.shot(page, 'board-keyboard-grabbed');
    await page.keyboard.press('Space');

    await expect.poll(() => columnOf(page, codes.Second), { timeout: 10_000 }).toBe('in_progress');
    await expect.poll(() => statusOf(codes.Second), { timeout: 10_000 }).toBe('in_progress');
    await expect.poll(() => columnOf(other, codes.Second), { timeout: 10_000 }).toBe('in_progress');
    await expect.poll(() => focused(page)).toBe(codes.Second);
    await page.close();
    await other.close();
  });

  it('Escape puts a picked-up card back and saves nothing', async () => {
    const page = await admin.newPage();
    await page.goto(`${ws.url}/projects/${projectId}`);
    await page.locator(`[data-task="${codes.Third}"]`).focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('board-announcement').textContent()).toContain('Move canceled');
    await page.waitForTimeout(300);
    expect(await columnOf(page, codes.Third)).toBe('backlog');
    expect(await statusOf(codes.Third)).toBe('backlog');
    await page.close();
  });

  it('in Persian, ← moves a card to the next column (on the left)', async () => {
    const context = ws.track(await ws.browser.newContext({ baseURL: ws.url, locale: 'fa-IR' }));
    await context.request.post('/api/auth/login', { data: ws.owner });
    const page = await context.newPage();
    await page.goto(`${ws.url}/projects/${projectId}`);
    await expect.poll(() => page.locator('html').getAttribute('dir')).toBe('rtl');
    await page.locator(`[data-task="${codes.First}"]`).waitFor();
    await page.locator(`[data-task="${codes.First}"]`).focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Space');
    await expect.poll(() => statusOf(codes.First), { timeout: 10_000 }).toBe('todo');
    await ws.shot(page, 'board-keyboard-rtl');
    await page.close();
  });
});
