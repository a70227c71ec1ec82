// Accessibility: axe-core checks every page of a seeded workspace in the light and the dark theme
// (the app follows prefers-color-scheme), plus the sign-in page, the command palette and an open
// dialog; the feed and the task page also in Persian (right to left). A serious or critical
// violation fails the test with the rule, the help text and the elements it found.
import { createRequire } from 'node:module';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedShowcase, type ShowcasePage } from './showcase.ts';
import { startWorkspace, type Workspace } from './support.ts';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

type AxeNode = { target: unknown[]; html: string; failureSummary?: string };
type AxeViolation = { id: string; impact: string | null; help: string; nodes: AxeNode[] };
// What the test's TypeScript (no DOM types) needs of the page's `axe` global.
type AxeWindow = {
  axe: { run: (context: unknown, options: unknown) => Promise<{ violations: AxeViolation[] }> };
  document: { body: unknown };
  getComputedStyle: (element: unknown) => { backgroundColor: string };
};

// axe is injected as a script; the app's Content-Security-Policy would rightly refuse it.
const bypassCSP = true;
let ws: Workspace;
let pages: ShowcasePage[];

/** Serious and critical violations on `page` as it is now, one readable line per element. */
async function violations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: axePath });
  const found = await page.evaluate(async () => {
    const win = globalThis as unknown as AxeWindow;
    const result = await win.axe.run(win.document, { resultTypes: ['violations'] });
    return result.violations;
  });
  return found
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) =>
      v.nodes.slice(0, 4).map((node) => `${v.id} (${v.impact}): ${v.help} — ${node.target.join(' ')} ${node.html}`),
    );
}

async function signedIn(colorScheme: 'light' | 'dark', locale = 'en-US'): Promise<BrowserContext> {
  const context = ws.track(
    await ws.browser.newContext({
      baseURL: ws.url,
      viewport: { width: 1280, height: 900 },
      colorScheme,
      locale,
      bypassCSP,
    }),
  );
  const response = await context.request.post('/api/auth/login', { data: ws.owner });
  if (!response.ok()) throw new Error(`login → ${response.status()}`);
  return context;
}

const pageErrors = new WeakMap<Page, string[]>();

/** Opens `url`; a script error on the way fails the test (axe would happily check an error page). */
async function visit(page: Page, url: string): Promise<void> {
  if (!pageErrors.has(page)) {
    const errors: string[] = [];
    pageErrors.set(page, errors);
    page.on('pageerror', (error) => errors.push(error.message));
  }
  await page.goto(`${ws.url}${url}`, { waitUntil: 'networkidle' });
  await page.locator('main h1').first().waitFor();
  expect(pageErrors.get(page), url).toEqual([]);
}

describe('e2e: accessibility (axe-core)', () => {
  beforeAll(async () => {
    ws = await startWorkspace('a11y');
    const admin = await ws.signIn();
    pages = await seedShowcase(ws, admin);
    // The showcase library is flat: add a folder with a subfolder and a tagged document in it, so
    // the folder tree and a folder's view are checked too.
    const folder = await admin.request.post('/api/library/folders', { data: { name: 'Handbook' } });
    expect(folder.ok()).toBe(true);
    const folderId = ((await folder.json()) as { folder: { id: string } }).folder.id;
    await admin.request.post('/api/library/folders', { data: { name: 'Policies', parentId: folderId } });
    await admin.request.post('/api/library/documents', { data: { title: 'Holiday policy', folderId, tags: ['hr'] } });
    pages.push({ name: 'library-folder', url: `/library?folder=${folderId}` });
  }, 600_000);

  it('axe itself runs and reports a violation (so a clean result means something)', async () => {
    const page = await (await signedIn('light')).newPage();
    await visit(page, '/feed');
    // A button with no name at all: axe's button-name rule (critical) must catch it.
    await page.evaluate(`document.querySelector('main').append(document.createElement('button'))`);
    expect((await violations(page)).some((problem) => problem.startsWith('button-name (critical)'))).toBe(true);
    await page.close();
  }, 60_000);

  afterAll(async () => {
    await ws?.close();
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`every page in the ${colorScheme} theme has no serious or critical violation`, async () => {
      const page = await (await signedIn(colorScheme)).newPage();
      await visit(page, '/feed');
      // The theme really is applied: a dark page has a dark background, a light one a light one.
      const background = await page.evaluate(() => {
        const win = globalThis as unknown as AxeWindow;
        return win.getComputedStyle(win.document.body).backgroundColor;
      });
      const [r, g, b] = (background.match(/\d+(\.\d+)?/g) ?? []).map(Number);
      expect((r + g + b) / 3 < 128, background).toBe(colorScheme === 'dark');
      const problems: string[] = [];
      for (const { name, url } of pages) {
        await visit(page, url);
        for (const problem of await violations(page)) problems.push(`${name}: ${problem}`);
      }
      // The command palette open over a page, and a form dialog.
      await visit(page, '/projects');
      await page.keyboard.press('Control+k');
      await page.getByTestId('palette-input').fill('WEB');
      await page.waitForTimeout(300);
      for (const problem of await violations(page)) problems.push(`palette: ${problem}`);
      await page.keyboard.press('Escape');
      const board = pages.find((p) => p.name === 'board');
      if (board) {
        await visit(page, board.url);
        await page.getByRole('button', { name: 'New task' }).first().click();
        await page.locator('dialog[open]').waitFor();
        for (const problem of await violations(page)) problems.push(`new-task dialog: ${problem}`);
      }
      // Signed out: the sign-in page.
      const anonymous = ws.track(await ws.browser.newContext({ baseURL: ws.url, colorScheme, bypassCSP }));
      const login = await anonymous.newPage();
      await login.goto(`${ws.url}/login`, { waitUntil: 'networkidle' });
      for (const problem of await violations(login)) problems.push(`login: ${problem}`);
      expect(problems).toEqual([]);
    }, 240_000);
  }

  it('the feed and the task page in Persian (right to left) have no serious or critical violation', async () => {
    const page = await (await signedIn('dark', 'fa-IR')).newPage();
    const problems: string[] = [];
    for (const { name, url } of pages.filter((p) => p.name === 'feed' || p.name === 'task')) {
      await visit(page, url);
      expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
      for (const problem of await violations(page)) problems.push(`${name}: ${problem}`);
    }
    expect(problems).toEqual([]);
  }, 120_000);
});
