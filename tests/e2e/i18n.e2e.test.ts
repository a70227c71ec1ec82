// End to end, in Debian's Chromium against the real server: the web app follows the browser's
// language (Russian, Persian right to left), a choice in the language switch wins and is kept,
// counts take the right Russian plural forms, and the colour theme follows the system unless the
// theme switch overrides it.

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserResponseSchema } from '@crewdeck/shared/users';
import { seed, startWorkspace, type Workspace } from './support.ts';

let owner: Workspace['owner'];

let ws: Workspace;
let server: Workspace['server'];
let browser: Browser;
const contexts: BrowserContext[] = [];

async function newPage(options: { locale?: string; colorScheme?: 'light' | 'dark' } = {}): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 800 }, ...options });
  contexts.push(context);
  return context.newPage();
}

/** Signs the owner in through the API (the page's context shares the cookie). */
async function signInOwner(page: Page): Promise<void> {
  const response = await page.request.post('/api/auth/login', { data: owner });
  expect(response.ok()).toBe(true);
}

// Read in the page (a string: the test's own TypeScript has no DOM types).
const htmlAttribute = (page: Page, name: 'lang' | 'dir' | 'data-theme') => page.locator('html').getAttribute(name);
const bodyStyle = (page: Page, property: 'backgroundColor' | 'direction') =>
  page.evaluate<string>(`getComputedStyle(document.body).${property}`);
const bodyBackground = (page: Page) => bodyStyle(page, 'backgroundColor');

describe('e2e: languages and themes', () => {
  beforeAll(async () => {
    ws = await startWorkspace('i18n');
    ({ server, browser, owner } = ws);

    // Three projects with 1, 3 and 5 members, for the plural forms of the project list.
    const admin = await browser.newContext({ baseURL: server.url });
    contexts.push(admin);
    const login = await admin.request.post('/api/auth/login', { data: owner });
    expect(login.ok()).toBe(true);
    const ids: string[] = [];
    for (const name of ['Anna', 'Boris', 'Vera', 'Gleb']) {
      const created = await admin.request.post('/api/users', {
        data: { name, login: name.toLowerCase(), role: 'Member' },
      });
      expect(created.ok()).toBe(true);
      ids.push(createUserResponseSchema.parse(await created.json()).user.id);
    }
    const counts: number[] = [];
    for (const [index, extra] of [0, 2, 4].entries()) {
      let project = await seed.project(admin, `Project ${index + 1}`, `PR${'ABC'[index]}`);
      for (const id of ids.slice(0, extra)) project = await seed.member(admin, project.id, id, 'member');
      counts.push(project.members.length);
    }
    expect(counts).toEqual([1, 3, 5]);
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await ws?.close();
  });

  it('renders in Russian for a Russian browser, with Russian plural forms', async () => {
    const page = await newPage({ locale: 'ru-RU' });
    await page.goto('/login');
    await page.getByRole('heading', { name: 'Вход в Crewdeck' }).waitFor();
    await expect(htmlAttribute(page, 'lang')).resolves.toBe('ru');
    await expect(htmlAttribute(page, 'dir')).resolves.toBe('ltr');

    await page.getByLabel('Логин или e-mail').fill(owner.login);
    await page.getByLabel('Пароль', { exact: true }).fill(owner.password);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.waitForURL('**/feed');
    await page.getByRole('heading', { name: 'Лента', level: 1 }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Главное меню' });
    await expect(nav.getByRole('link', { name: 'Проекты', exact: true }).count()).resolves.toBe(1);

    await nav.getByRole('link', { name: 'Проекты', exact: true }).click();
    await page.waitForURL('**/projects');
    const counts = page.getByTestId('member-count');
    await expect.poll(() => counts.allInnerTexts()).toEqual(['1 участник', '3 участника', '5 участников']);
  });

  it('reads right to left in Persian for a Persian browser', async () => {
    const page = await newPage({ locale: 'fa-IR' });
    await page.goto('/login');
    await page.getByRole('heading', { name: 'ورود به Crewdeck' }).waitFor();
    await expect(htmlAttribute(page, 'lang')).resolves.toBe('fa');
    await expect(htmlAttribute(page, 'dir')).resolves.toBe('rtl');
    await expect(bodyStyle(page, 'direction')).resolves.toBe('rtl');

    await signInOwner(page);
    await page.goto('/projects');
    await page.getByRole('heading', { name: 'پروژه‌ها', level: 1 }).waitFor();
    // Persian digits, as Intl gives them for `fa`.
    await expect.poll(() => page.getByTestId('member-count').first().innerText()).toBe('۱ عضو');
  });

  it('switches language from the switch, at once and for good', async () => {
    const page = await newPage({ locale: 'en-US' });
    await page.goto('/login');
    await page.getByRole('heading', { name: 'Sign in to Crewdeck' }).waitFor();
    await page.getByLabel('Language').selectOption('ru');
    await page.getByRole('heading', { name: 'Вход в Crewdeck' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Вход в Crewdeck' }).waitFor();

    // Inside the app, from the account panel.
    await signInOwner(page);
    await page.goto('/feed');
    await page.getByRole('heading', { name: 'Лента', level: 1 }).waitFor();
    await page.getByLabel('Язык').selectOption('fa');
    await page.getByRole('heading', { name: 'فید', level: 1 }).waitFor();
    await expect(htmlAttribute(page, 'dir')).resolves.toBe('rtl');
    await page.reload();
    await page.getByRole('heading', { name: 'فید', level: 1 }).waitFor();
    await page.getByLabel('زبان').selectOption('en');
    await page.getByRole('heading', { name: 'Feed', level: 1 }).waitFor();
    await expect(htmlAttribute(page, 'dir')).resolves.toBe('ltr');
  });

  it('follows a dark system theme until the switch says light', async () => {
    const page = await newPage({ locale: 'en-US', colorScheme: 'dark' });
    await page.goto('/login');
    await page.getByRole('heading', { name: 'Sign in to Crewdeck' }).waitFor();
    await expect(bodyBackground(page)).resolves.toBe('rgb(15, 18, 24)');

    await page.getByLabel('Theme').selectOption('light');
    await expect.poll(() => bodyBackground(page)).toBe('rgb(245, 246, 248)');
    await expect(htmlAttribute(page, 'data-theme')).resolves.toBe('light');
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in to Crewdeck' }).waitFor();
    await expect(bodyBackground(page)).resolves.toBe('rgb(245, 246, 248)');

    await page.getByLabel('Theme').selectOption('system');
    await expect.poll(() => bodyBackground(page)).toBe('rgb(15, 18, 24)');
  });
});
