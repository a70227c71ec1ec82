// Screenshots of every page for review: 1280 and 375 px, light and dark, English, Russian and
// Persian, against a real server seeded through the API. Not a test: it writes PNGs to
// test-artifacts/screens/ for a person to look at (`npm run screenshots`).
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { startWorkspace } from '../tests/e2e/support.ts';
import { seedShowcase } from '../tests/e2e/showcase.ts';

const out = path.resolve(import.meta.dirname, '../test-artifacts/screens');

await mkdir(out, { recursive: true });
const ws = await startWorkspace('screens');
const { server, browser } = ws;
try {
  const admin = await ws.signIn();
  const pages = await seedShowcase(ws, admin);
  await admin.close();

  for (const locale of ['en-US', 'ru-RU', 'fa-IR']) {
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const width of [1280, 375]) {
        const context = await browser.newContext({
          baseURL: server.url,
          viewport: { width, height: 900 },
          locale,
          colorScheme,
        });
        await context.request.post('/api/auth/login', { data: ws.owner });
        const page = await context.newPage();
        const tag = `${locale.slice(0, 2)}-${colorScheme}-${width}`;
        const shot = (name: string) => page.screenshot({ path: path.join(out, `${name}-${tag}.png`), fullPage: true });
        for (const { name, url } of pages) {
          await page.goto(server.url + url);
          await page.waitForLoadState('networkidle');
          await shot(name);
        }
        // The command palette, open over the projects page.
        await page.goto(`${server.url}/projects`);
        await page.waitForLoadState('networkidle');
        await page.keyboard.press('Control+k');
        await page.getByTestId('palette-input').fill('WEB-1');
        await page.waitForTimeout(400);
        await shot('palette');
        await context.close();
        // Signed out: the login page.
        const anonymous = await browser.newContext({
          baseURL: server.url,
          viewport: { width, height: 900 },
          locale,
          colorScheme,
        });
        const login = await anonymous.newPage();
        await login.goto(`${server.url}/login`);
        await login.waitForLoadState('networkidle');
        await login.screenshot({ path: path.join(out, `login-${tag}.png`), fullPage: true });
        await anonymous.close();
      }
    }
  }
  console.log(`screenshots in ${out}`);
} finally {
  await ws.close();
}
