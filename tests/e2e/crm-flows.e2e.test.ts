// End to end, the CRM flows of issue 13 through the one search palette: a call logged from
// Ctrl+K ("Log a call", pick the client, click a quick result) lands on the client's timeline;
// a client is found by a fragment of its phone typed in another format and opened; two
// clients are merged from the duplicates queue and the merge undone. The palette is also
// photographed with results at 1280 px (English, light) and 375 px (Persian, dark, right to
// left), where it must fit the screen.

import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkspace, type Workspace } from './support.ts';

let ws: Workspace;
let context: BrowserContext;
let page: Page;
let clientId = '';
let twinId = '';

const storedPhone = '+7 (912) 345-67-89';

async function createClient(as: BrowserContext, data: Record<string, unknown>): Promise<string> {
  const response = await as.request.post('/api/clients', { data: { kind: 'company', ...data } });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { client: { id: string } }).client.id;
}

/** Opens the palette with Ctrl+K on the page shown and types `text`; returns the result list. */
async function palette(on: Page, text: string) {
  await on.locator('main h1').first().waitFor();
  await on.keyboard.press('Control+k');
  const input = on.getByTestId('palette-input');
  await input.waitFor({ timeout: 5000 });
  await input.fill(text);
  return on.getByTestId('palette-results');
}

describe('e2e: CRM flows through the palette', () => {
  beforeAll(async () => {
    ws = await startWorkspace('crm-flows');
    context = await ws.signIn();
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
    clientId = await createClient(context, { name: 'Vasilek Logistics', phones: [{ value: storedPhone }] });
  }, 300_000);

  afterAll(async () => {
    await ws?.close();
  });

  it('logs a call from the palette in two clicks after picking the client, and shows it on the timeline', async () => {
    await page.goto('/feed');
    const results = await palette(page, 'log a call');
    await results.getByRole('option', { name: 'Log a call', exact: true }).click();
    const dialog = page.getByTestId('log-interaction');
    await dialog.waitFor();
    await dialog.locator('#ix-client').fill('Vasilek');
    await dialog.getByRole('button', { name: 'Vasilek Logistics' }).click();
    await dialog.getByTestId('deal-client').getByText('Vasilek Logistics').waitFor();
    // The two clicks: the palette's action (above) and a quick result.
    const result = dialog.locator('[data-result]').first();
    const label = (await result.textContent())?.trim() ?? '';
    await result.click();
    await dialog.waitFor({ state: 'detached' });

    await page.goto(`/clients/${clientId}`);
    const item = page.getByTestId('client-timeline').getByTestId('timeline-item').first();
    await item.waitFor();
    expect(await item.getAttribute('data-kind')).toBe('call');
    expect(await item.textContent()).toContain(label);
  });

  for (const fragment of ['345 67', '8912345']) {
    it(`finds the client stored as "${storedPhone}" by "${fragment}" and opens it`, async () => {
      await page.goto('/projects');
      const results = await palette(page, fragment);
      const option = results.locator('[data-kind="client"]', { hasText: 'Vasilek Logistics' });
      await option.waitFor();
      await option.click();
      await page.waitForURL(`**/clients/${clientId}`);
      await expect.poll(() => page.getByTestId('client-header').locator('h1').textContent()).toBe('Vasilek Logistics');
    });
  }

  it('shows the palette with results at 1280 px, English, light', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto('/feed');
    const results = await palette(page, 'Vasilek');
    await results.locator('[data-kind="client"]').first().waitFor();
    await ws.shot(page, 'palette-1280-en-light');
    await page.keyboard.press('Escape');
  });

  it('fits a 375 px phone in Persian, dark, right to left', async () => {
    const fa = ws.track(
      await ws.browser.newContext({
        baseURL: ws.url,
        viewport: { width: 375, height: 800 },
        locale: 'fa-IR',
        colorScheme: 'dark',
      }),
    );
    expect((await fa.request.post('/api/auth/login', { data: ws.owner })).ok()).toBe(true);
    const small = await fa.newPage();
    await small.goto('/feed');
    // The app sets `<html dir>` once it runs in the browser.
    await expect.poll(() => small.locator('html').getAttribute('dir')).toBe('rtl');
    const results = await palette(small, '345 67');
    await results.locator('[data-kind="client"]', { hasText: 'Vasilek Logistics' }).waitFor();
    const box = await small.locator('dialog[open]').boundingBox();
    expect(box).not.toBeNull();
    expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 0) <= 375).toBe(true);
    for (const option of await results.getByRole('option').all()) {
      const at = await option.boundingBox();
      if (at) expect(at.x >= 0 && at.x + at.width <= 375, (await option.textContent()) ?? '').toBe(true);
    }
    expect(await small.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    // The group labels start on the right, as Persian reads.
    const label = await results.locator('.group-label').first().boundingBox();
    const list = await results.boundingBox();
    expect(label && list && Math.abs(label.x + label.width - (list.x + list.width)) < 2).toBe(true);
    // So does a Latin client name (laid out left to right, aligned with the list): its text ends
    // at the option's right padding, not at its left.
    const gap = await results
      .locator('[data-kind="client"] .title')
      .first()
      .evaluate((title: unknown) => {
        // What this needs of the DOM (the tests compile without the DOM types).
        type Box = { right: number };
        const element = title as {
          getBoundingClientRect(): Box;
          ownerDocument: { createRange(): { selectNodeContents(node: unknown): void; getBoundingClientRect(): Box } };
        };
        const range = element.ownerDocument.createRange();
        range.selectNodeContents(element);
        return element.getBoundingClientRect().right - range.getBoundingClientRect().right;
      });
    expect(gap).toBeLessThan(2);
    await ws.shot(small, 'palette-375-fa-dark');
  });

  it('merges two clients from the duplicates queue, then undoes the merge', async () => {
    twinId = await createClient(context, {
      name: 'Vasilek Logistics Branch',
      phones: [{ value: '8 912 345 67 89' }],
      force: true,
      forceReason: 'A second branch',
    });
    expect(await ws.server.crm.sweepDuplicates()).toBeGreaterThan(0);
    await page.goto('/clients/duplicates');
    const pair = page.getByTestId('duplicate-queue').locator('li', { hasText: 'Vasilek Logistics Branch' });
    await pair.waitFor();
    await pair.getByRole('link', { name: 'Merge' }).click();
    await page.waitForURL(/\/clients\/merge\?keep=[0-9a-f]{24}&merge=[0-9a-f]{24}$/);
    const url = new URL(page.url());
    const kept = url.searchParams.get('keep') ?? '';
    const merged = url.searchParams.get('merge') ?? '';
    expect([kept, merged].sort()).toEqual([clientId, twinId].sort());
    await page.getByTestId('merge-picker').waitFor();
    await page.getByTestId('merge-run').click();
    const done = page.getByTestId('merge-done');
    await done.waitFor();
    expect((await page.request.get(`/api/clients/${merged}`)).status()).toBe(404);
    expect((await page.request.get(`/api/clients/${kept}`)).status()).toBe(200);

    await done.getByTestId('merge-undo').click();
    await done.getByText('was undone').waitFor();
    expect((await page.request.get(`/api/clients/${merged}`)).status()).toBe(200);
    expect((await page.request.get(`/api/clients/${kept}`)).status()).toBe(200);
  });
});
