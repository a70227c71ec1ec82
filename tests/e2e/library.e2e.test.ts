// End to end, three browsers on one library document against the real server: two editors see
// each other's typing live through the /yjs co-editing endpoint; a third person granted `view`
// sees the text, cannot type, and nothing they try reaches the others; revoking their access
// closes their session and the page says so.

import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createdDocumentSchema } from '@crewdeck/shared/library';
import { createPerson, signedInContext, type Person, startWorkspace, type Workspace, artifactsDir } from './support.ts';

const artifacts = artifactsDir;

let ws: Workspace;
let server: Workspace['server'];
let browser: Browser;
let contexts: BrowserContext[] = [];
let admin: BrowserContext;
let lena: { person: Person; context: BrowserContext; page: Page };
let mia: { person: Person; context: BrowserContext; page: Page };
let victor: { person: Person; context: BrowserContext; page: Page };
let documentId: string;
/** Content-Security-Policy violations reported by any page: the editor must work under the app's CSP. */
const cspViolations: string[] = [];

function watchCsp(page: Page): Page {
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  return page;
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(artifacts, `library-${name}.png`), fullPage: true });
}

function editor(page: Page) {
  return page.getByTestId('editor');
}

async function openDocument(page: Page): Promise<void> {
  await page.goto(`${server.url}/library/${documentId}`);
  await page
    .locator('[data-testid="connection"][data-status="connected"][data-synced="true"]')
    .waitFor({ timeout: 15_000 });
}

async function setAccess(grants: unknown[]): Promise<void> {
  const response = await lena.context.request.put(`/api/library/documents/${documentId}/access`, { data: { grants } });
  if (!response.ok()) throw new Error(`access → ${response.status()}: ${await response.text()}`);
}

describe('e2e: library document co-edited in three browsers', () => {
  beforeAll(async () => {
    ws = await startWorkspace('library');
    ({ server, browser } = ws);

    admin = await ws.signIn();
    const people = [
      await createPerson(browser, server.url, admin, {
        name: 'Lena Lead',
        login: 'lena',
        role: 'Lead',
        password: 'Lena-library-e2e-password-1',
      }),
      await createPerson(browser, server.url, admin, {
        name: 'Mia Member',
        login: 'mia',
        role: 'Member',
        password: 'Mia-library-e2e-password-1',
      }),
      await createPerson(browser, server.url, admin, {
        name: 'Victor Viewer',
        login: 'victor',
        role: 'Member',
        password: 'Victor-library-e2e-password-1',
      }),
    ];
    contexts = [admin, ...people.map((p) => p.context)];
    // The viewer uses a phone-sized window: the view-only page must work there too.
    const viewer = await signedInContext(browser, server.url, 'victor', 'Victor-library-e2e-password-1', {
      width: 375,
      height: 800,
    });
    contexts.push(viewer);
    const [l, m, v] = people;
    lena = { ...l, page: watchCsp(await l.context.newPage()) };
    mia = { ...m, page: watchCsp(await m.context.newPage()) };
    victor = { person: v.person, context: viewer, page: watchCsp(await viewer.newPage()) };

    const created = await lena.context.request.post('/api/library/documents', {
      data: { title: 'Launch plan', tags: ['launch'] },
    });
    if (created.status() !== 201) throw new Error(`create → ${created.status()}: ${await created.text()}`);
    documentId = createdDocumentSchema.parse(await created.json()).id;
    await setAccess([
      { user: mia.person.id, level: 'edit' },
      { user: victor.person.id, level: 'view' },
    ]);
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await ws?.close();
  });

  it('text typed in one browser appears in the other, both ways', async () => {
    await openDocument(lena.page);
    await openDocument(mia.page);
    await expect.poll(() => editor(lena.page).getAttribute('contenteditable')).toBe('true');

    await editor(lena.page).click();
    await lena.page.keyboard.type('Kick-off on Monday.');
    await expect.poll(() => editor(mia.page).textContent(), { timeout: 10_000 }).toContain('Kick-off on Monday.');

    await editor(mia.page).click();
    await mia.page.keyboard.press('End');
    await mia.page.keyboard.type(' Mia brings the slides.');
    await expect.poll(() => editor(lena.page).textContent(), { timeout: 10_000 }).toContain('Mia brings the slides.');

    // Each sees the other among the collaborators.
    await expect
      .poll(() => lena.page.locator('[data-testid="collaborators"] [data-person="Mia Member"]').count())
      .toBe(1);
    await shot(lena.page, 'editor-lena');
    await shot(mia.page, 'editor-mia');
  });

  it('a view-only person sees the text live but cannot type, and nothing reaches the others', async () => {
    await openDocument(victor.page);
    await expect.poll(() => editor(victor.page).textContent(), { timeout: 10_000 }).toContain('Mia brings the slides.');
    await expect(victor.page.getByTestId('view-only').isVisible()).resolves.toBe(true);
    expect(await editor(victor.page).getAttribute('contenteditable')).toBe('false');

    await editor(victor.page).click();
    await victor.page.keyboard.type('QQ-TYPED-BY-VIEWER');
    await victor.page.keyboard.press('Enter');

    // Live updates still reach the viewer …
    await lena.page.keyboard.type(' Venue booked.');
    await expect.poll(() => editor(victor.page).textContent(), { timeout: 10_000 }).toContain('Venue booked.');
    await expect.poll(() => editor(mia.page).textContent(), { timeout: 10_000 }).toContain('Venue booked.');
    // … and what the viewer typed is nowhere, not even in their own view.
    for (const page of [lena.page, mia.page, victor.page])
      expect(await editor(page).textContent()).not.toContain('QQ-TYPED');
    await shot(victor.page, 'view-only-phone');
  });

  it('the library lists who is editing, live', async () => {
    const page = await admin.newPage();
    await page.goto(`${server.url}/library`);
    const row = page.locator('[data-doc] [data-testid="editing"]').filter({ hasText: 'editing' });
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toMatch(/editing/);
    await shot(page, 'list');
    await page.close();
  });

  it('revoking access closes the viewer’s session and the page says so', async () => {
    await setAccess([{ user: mia.person.id, level: 'edit' }]);
    await victor.page.locator('[data-testid="connection"][data-status="revoked"]').waitFor({ timeout: 10_000 });
    expect(await victor.page.getByRole('alert').textContent()).toContain('access to this document was removed');
    await shot(victor.page, 'revoked-phone');
  });

  it('nothing broke the Content-Security-Policy', () => {
    expect(cspViolations).toEqual([]);
  });
});
