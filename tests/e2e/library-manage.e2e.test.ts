// End to end, managing the library in the browser: rename a document (an empty name shows its
// error next to the field), move it into a folder, delete it and Undo, delete it again and
// restore it from the library trash. The app asks with its own dialog: a native one fails the test.
// An upload is badged and previewed by the type sniffed from its bytes, not by its name.

import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createdDocumentSchema, documentResponseSchema, folderResponseSchema } from '@crewdeck/shared/library';
import { startWorkspace, type Workspace, artifactsDir } from './support.ts';

/** A 1×1 PNG. */
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4a50000000049454e44ae426082',
  'hex',
);

let ws: Workspace;
let server: Workspace['server'];
let admin: BrowserContext;
let documentId: string;
let folderId: string;
const nativeDialogs: string[] = [];
const artifacts = artifactsDir;

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(artifacts, `library-manage-${name}.png`), fullPage: true });
}

async function post(path: string, data: unknown): Promise<unknown> {
  const response = await admin.request.post(path, { data });
  if (!response.ok()) throw new Error(`POST ${path} → ${response.status()}: ${await response.text()}`);
  return response.json();
}

async function getDocument(): Promise<{ status: number; folderId?: string | null; title?: string }> {
  const response = await admin.request.get(`/api/library/documents/${documentId}`);
  if (!response.ok()) return { status: response.status() };
  const { document } = documentResponseSchema.parse(await response.json());
  return { status: 200, folderId: document.folderId, title: document.title };
}

async function open(url: string): Promise<Page> {
  const page = await admin.newPage();
  page.on('dialog', (dialog) => {
    nativeDialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.goto(`${server.url}${url}`);
  return page;
}

/** Opens a row's "⋯" menu and picks an entry. */
async function menu(page: Page, name: string, entry: string): Promise<void> {
  await page.getByRole('button', { name: `Actions for ${name}`, exact: true }).click();
  await page.getByRole('menuitem', { name: entry, exact: true }).click();
}

/** Deletes the document through its menu, answering the app's own confirmation. */
async function deleteThroughMenu(page: Page, name: string): Promise<void> {
  await menu(page, name, 'Delete');
  const confirm = page.locator('dialog[open]');
  await confirm.getByRole('heading', { name: 'Delete document' }).waitFor();
  expect(await confirm.textContent()).toContain(`“${name}” goes to the trash`);
  await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
  await page.getByRole('status').getByText(`“${name}” moved to the trash.`).waitFor();
  await page.getByRole('link', { name, exact: true }).waitFor({ state: 'detached' });
}

describe('e2e: managing library documents', () => {
  beforeAll(async () => {
    ws = await startWorkspace('library-manage');
    ({ server } = ws);
    admin = await ws.signIn();
    folderId = folderResponseSchema.parse(await post('/api/library/folders', { name: 'Specs' })).folder.id;
    documentId = createdDocumentSchema.parse(await post('/api/library/documents', { title: 'Draft plan' })).id;
  }, 600_000);

  afterAll(async () => {
    await admin?.close().catch(() => undefined);
    await ws?.close();
  });

  it('renames, moves, deletes with Undo and restores from the trash, with no native dialog', async () => {
    const page = await open('/library');

    // Rename: an empty name is refused next to the field, then the new name is saved.
    await page.getByRole('button', { name: 'Actions for Draft plan', exact: true }).click();
    await shot(page, 'menu');
    await page.getByRole('menuitem', { name: 'Rename', exact: true }).click();
    const rename = page.locator('dialog[open]');
    await rename.locator('#lib-rename-name').fill('   ');
    await rename.getByRole('button', { name: 'Rename', exact: true }).click();
    await rename.locator('#lib-rename-name-error').waitFor();
    await shot(page, 'rename-error');
    expect(await rename.locator('#lib-rename-name').getAttribute('aria-invalid')).toBe('true');
    await rename.locator('#lib-rename-name').fill('Launch plan');
    await rename.getByRole('button', { name: 'Rename', exact: true }).click();
    await page.getByRole('link', { name: 'Launch plan', exact: true }).waitFor();
    expect(await getDocument()).toMatchObject({ status: 200, title: 'Launch plan' });

    // Move into the folder.
    await menu(page, 'Launch plan', 'Move to folder');
    const move = page.locator('dialog[open]');
    await move.locator('#lib-move-to').selectOption({ label: 'Specs' });
    await move.getByRole('button', { name: 'Move', exact: true }).click();
    await page.getByRole('status').getByText('Moved “Launch plan” to Specs.').waitFor();
    await page.locator('[data-doc]').getByText('· Specs').waitFor();
    expect(await getDocument()).toMatchObject({ status: 200, folderId });

    // Delete, then Undo brings it back.
    await deleteThroughMenu(page, 'Launch plan');
    expect((await getDocument()).status).toBe(404);
    await page.getByRole('status').getByRole('button', { name: 'Undo' }).click();
    await page.getByRole('link', { name: 'Launch plan', exact: true }).waitFor();
    expect(await getDocument()).toMatchObject({ status: 200, folderId });

    // Delete again and restore it from the trash.
    await deleteThroughMenu(page, 'Launch plan');
    await page.getByTestId('library-trash-link').click();
    await page.waitForURL('**/library/trash');
    const row = page.locator(`[data-trash="${documentId}"]`);
    await row.waitFor();
    await shot(page, 'trash');
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('Launch plan');
    expect(text).toContain('30 days left');
    expect(text).toMatch(/by \S+/);
    await row.getByRole('button', { name: 'Restore Launch plan' }).click();
    await page.getByRole('status').getByText('Restored “Launch plan”.').waitFor();
    await row.waitFor({ state: 'detached' });
    expect(await getDocument()).toMatchObject({ status: 200, folderId, title: 'Launch plan' });

    expect(nativeDialogs).toEqual([]);
    await page.close();
  });

  it('deletes a folder with what is inside, saying how many items go along, and restores both from the trash', async () => {
    const page = await open('/library');
    await page.setViewportSize({ width: 400, height: 800 });
    await menu(page, 'Specs', 'Delete');
    const confirm = page.locator('dialog[open]');
    await confirm.getByRole('heading', { name: 'Delete folder' }).waitFor();
    expect(await confirm.textContent()).toContain('Folder “Specs” goes to the trash with the 1 item inside it.');
    await shot(page, 'delete-folder');
    await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('status').getByText('“Specs” moved to the trash.').waitFor();
    expect((await getDocument()).status).toBe(404);
    await page.goto(`${server.url}/library/trash`);
    await page.locator(`[data-trash="${folderId}"]`).getByText('with 1 item inside').waitFor();
    await shot(page, 'trash-narrow');
    await page.locator(`[data-trash="${folderId}"]`).getByRole('button', { name: 'Restore Specs' }).click();
    await page.getByRole('status').getByText('Restored “Specs”.').waitFor();
    expect(await getDocument()).toMatchObject({ status: 200, folderId });
    expect(nativeDialogs).toEqual([]);
    await page.close();
  });

  it('renames, moves and deletes from the document page itself, and Undo brings it back', async () => {
    const page = await open(`/library/${documentId}`);
    await page.getByRole('heading', { level: 1, name: 'Launch plan' }).waitFor();
    // The breadcrumb names the folder the document is in.
    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Specs' }).waitFor();

    await page.getByRole('button', { name: 'Actions for Launch plan', exact: true }).click();
    const entries = await page.getByRole('menuitem').allTextContents();
    expect(entries.map((entry) => entry.trim())).toEqual(['Rename', 'Move to folder', 'Delete']);
    await page.getByRole('menuitem', { name: 'Rename', exact: true }).click();
    const rename = page.locator('dialog[open]');
    await rename.getByRole('textbox').fill('Launch plan v2');
    await rename.getByRole('button', { name: 'Rename', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Launch plan v2' }).waitFor();
    await expect.poll(() => page.title()).toContain('Launch plan v2');
    expect(await getDocument()).toMatchObject({ status: 200, title: 'Launch plan v2' });

    await page.getByRole('button', { name: 'Actions for Launch plan v2', exact: true }).click();
    await page.getByRole('menuitem', { name: 'Move to folder', exact: true }).click();
    const move = page.locator('dialog[open]');
    await move.getByRole('combobox').selectOption({ index: 0 });
    await move.getByRole('button', { name: 'Move', exact: true }).click();
    await page.getByRole('status').getByText('Moved “Launch plan v2” to').waitFor();
    expect(await getDocument()).toMatchObject({ status: 200, folderId: null });
    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Specs' }).waitFor({
      state: 'detached',
    });
    await shot(page, 'document-menu');

    await page.getByRole('button', { name: 'Actions for Launch plan v2', exact: true }).click();
    await page.getByRole('menuitem', { name: 'Delete', exact: true }).click();
    const confirm = page.locator('dialog[open]');
    await confirm.getByRole('heading', { name: 'Delete document' }).waitFor();
    await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
    // It leaves the page of a trashed document for the library, where Undo restores it.
    await page.waitForURL((url) => url.pathname === '/library');
    expect((await getDocument()).status).toBe(404);
    await page.getByRole('status').getByRole('button', { name: 'Undo' }).click();
    await page.getByRole('link', { name: 'Launch plan v2', exact: true }).waitFor();
    expect(await getDocument()).toMatchObject({ status: 200, title: 'Launch plan v2' });
    expect(nativeDialogs).toEqual([]);
    await page.close();
  });

  it('badges and previews an upload by its sniffed type, not its name', async () => {
    const response = await admin.request.post('/api/library/files', {
      multipart: { file: { name: 'scan', mimeType: 'application/octet-stream', buffer: PNG } },
    });
    expect(response.status()).toBe(201);
    const { id } = createdDocumentSchema.parse(await response.json());

    const page = await open('/library');
    const badge = page.locator('[data-doc] .kind[data-type="image/png"]');
    await badge.waitFor();
    expect((await badge.textContent())?.trim()).toBe('PNG');

    await page.goto(`${server.url}/library/${id}`);
    const preview = page.locator('img[data-testid="file-preview"]');
    await preview.waitFor();
    expect(await preview.getAttribute('src')).toBe(`/api/library/documents/${id}/preview`);
    await expect
      .poll(() => preview.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
      .toBe(1);
    await shot(page, 'preview');
    expect(nativeDialogs).toEqual([]);
    await page.close();
  });
});
