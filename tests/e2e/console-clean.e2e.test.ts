// End to end: the main pages load without a failed request or a console error, signed in as the
// owner; and the sign-in page, signed out, asks who is signed in once per load and gets a 200.

import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkspace, type Workspace } from './support.ts';

const pages = ['/login', '/', '/admin', '/projects', '/library', '/feed', '/profile', '/people'];

let ws: Workspace;
let server: Workspace['server'];
const contexts: BrowserContext[] = [];

/** Records every failed request, error response and console error of `page`. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400)
      problems.push(`${response.status()} ${response.request().method()} ${response.url()}`);
  });
  page.on('requestfailed', (request) => {
    problems.push(`failed ${request.method()} ${request.url()}: ${request.failure()?.errorText ?? ''}`);
  });
  return problems;
}

describe('e2e: a clean console', () => {
  beforeAll(async () => {
    ws = await startWorkspace('console');
    ({ server } = ws);
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await ws?.close();
  });

  it.each(pages)('%s loads without a failed request or console error', async (target) => {
    const context = await ws.signIn();
    contexts.push(context);
    const page = await context.newPage();
    const problems = watch(page);
    await page.goto(`${server.url}${target}`, { waitUntil: 'networkidle' });
    await page.locator('main#main h1').first().waitFor();
    await page.waitForTimeout(300);
    await page.close();
    expect(problems).toEqual([]);
  });

  it('signed out, the sign-in page asks for the session once, with no failed request or console error', async () => {
    const context = await ws.browser.newContext({ baseURL: server.url });
    contexts.push(context);
    const page = await context.newPage();
    const problems = watch(page);
    const asked: string[] = [];
    page.on('request', (request) => {
      const { pathname } = new URL(request.url());
      if (pathname === '/api/me' || pathname === '/api/session') asked.push(pathname);
    });
    await page.goto(`${server.url}/admin/users`, { waitUntil: 'networkidle' });
    await page.locator('#login').waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.reload({ waitUntil: 'networkidle' });
    await page.locator('#login').waitFor();
    // One question per page load (the redirect reuses the first answer), each a 200.
    expect(asked).toEqual(['/api/session', '/api/session']);
    expect(problems).toEqual([]);
  });
});
