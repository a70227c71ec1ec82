// Screenshots of every page for review: 1280 and 375 px, light and dark, English, Russian and
// Persian, against a real server seeded through the API. Not a test: it writes PNGs to
// test-artifacts/screens/ for a person to look at (`npm run screenshots`).
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { createPerson, seed, startWorkspace } from '../tests/e2e/support.ts';

const out = path.resolve(import.meta.dirname, '../test-artifacts/screens');

await mkdir(out, { recursive: true });
const ws = await startWorkspace('screens');
const { server, browser } = ws;
try {
  const admin = await ws.signIn();
  const lena = await createPerson(browser, server.url, admin, {
    name: 'Лена Петрова',
    login: 'lena',
    role: 'Lead',
    password: 'Lena-screens-password-1',
  });
  const project = await seed.project(admin, 'Website relaunch', 'WEB', 'The new site, in three languages.');
  await seed.member(admin, project.id, lena.person.id, 'lead');
  const milestone = await seed.milestone(admin, project.id, {
    title: 'Beta',
    startDate: '2026-11-20',
    dueDate: '2026-12-20',
  });
  const task = await seed.task(admin, project.id, {
    title: 'Write the launch checklist',
    description: '## Steps\n\n- **Review** the copy\n- Check [the staging site](https://example.com)',
    estimate: 6,
    startDate: '2026-11-30',
    dueDate: '2026-12-08',
    milestoneId: milestone.id,
    assignees: [lena.person.id],
  });
  await seed.task(admin, project.id, { title: 'Перевести интерфейс', estimate: 3, dueDate: '2026-12-04' });
  await seed.comment(admin, task.id, 'Looks good — @lena please check the RTL layout.');
  const removed = await seed.task(admin, project.id, { title: 'Old idea' });
  await admin.request.delete(`/api/tasks/${removed.id}`);
  const doc = await admin.request.post('/api/library/documents', { data: { title: 'Onboarding guide' } });
  const docId = ((await doc.json()) as { id: string }).id;
  const gone = await admin.request.post('/api/library/documents', { data: { title: 'Draft to delete' } });
  await admin.request.delete(`/api/library/documents/${((await gone.json()) as { id: string }).id}`);
  await admin.request.post('/api/groups', { data: { name: 'Sales', members: [lena.person.id] } });
  await admin.close();

  const pages: [string, string][] = [
    ['feed', '/feed'],
    ['projects', '/projects'],
    ['board', `/projects/${project.id}`],
    ['task', `/projects/${project.id}/tasks/${task.id}`],
    ['timeline', `/projects/${project.id}/timeline`],
    ['project-trash', `/projects/${project.id}/trash`],
    ['library', '/library'],
    ['library-trash', '/library/trash'],
    ['document', `/library/${docId}`],
    ['admin-users', '/admin/users'],
    ['admin-groups', '/admin/groups'],
    ['admin-roles', '/admin/roles'],
    ['admin-audit', '/admin/audit'],
    ['profile', '/profile'],
    ['people', '/people'],
  ];
  for (const locale of ['en-US', 'ru-RU', 'fa-IR']) {
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const width of [1280, 375]) {
        const context = await browser.newContext({
          baseURL: server.url,
          viewport: { width, height: 900 },
          locale,
          colorScheme,
        });
        await context.request.post('/api/auth/login', { data: owner });
        const page = await context.newPage();
        const tag = `${locale.slice(0, 2)}-${colorScheme}-${width}`;
        const shot = (name: string) => page.screenshot({ path: path.join(out, `${name}-${tag}.png`), fullPage: true });
        for (const [name, url] of pages) {
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
