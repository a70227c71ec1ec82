// End to end, the calendar in Chromium (issue 12, section 8): an event created in the dialog,
// dragged to another time, a booking conflict answered with "Book anyway", the team view with a
// row per person, the working-hours editor, an absence a Member requests and their Lead
// approves, and the Google page of a server without Google credentials. Browsers run in UTC so
// the times the test types are the times the server stores.

import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPerson, stableBox, startWorkspace, type Person, type Workspace } from './support.ts';

let ws: Workspace;
let owner: BrowserContext;
let ownerId: string;
let lena: { person: Person; context: BrowserContext };
let mia: { person: Person; context: BrowserContext };

const today = new Date().toISOString().slice(0, 10);
const at = (time: string) => `${today}T${time}:00.000Z`;
const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const always = Object.fromEntries(weekdays.map((day) => [day, [{ start: '00:00', end: '24:00' }]]));

type Instance = { id: string; title: string; start: string; end: string; version: number };

async function json<T>(response: Awaited<ReturnType<BrowserContext['request']['get']>>): Promise<T> {
  if (!response.ok()) throw new Error(`${response.url()} → ${response.status()}: ${await response.text()}`);
  return (await response.json()) as T;
}

async function eventsOf(context: BrowserContext): Promise<Instance[]> {
  const from = `${today}T00:00:00.000Z`;
  const to = new Date(Date.parse(from) + 86_400_000).toISOString();
  const list = await json<{ events: Instance[] }>(
    await context.request.get(`/api/calendar/events?from=${from}&to=${to}`),
  );
  return list.events;
}

/** A page in a UTC browser context signed in as the context's user. */
async function utcPage(login: string, password: string, width = 1280): Promise<Page> {
  const context = ws.track(
    await ws.browser.newContext({ baseURL: ws.url, viewport: { width, height: 900 }, timezoneId: 'UTC' }),
  );
  const response = await context.request.post('/api/auth/login', { data: { login, password } });
  if (!response.ok()) throw new Error(`login ${login} → ${response.status()}`);
  const page = await context.newPage();
  // A step that hangs fails with its own message before the test's 30 s run out.
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') console.error(`console ${msg.type()}: ${msg.text()}`);
  });
  page.on('dialog', (dialog) => {
    throw new Error(`native dialog: ${dialog.message()}`);
  });
  return page;
}

async function openCalendar(page: Page): Promise<void> {
  await page.goto('/calendar');
  await page.getByTestId('calendar-grid').locator('.ec-time-grid').waitFor();
}

async function fillEvent(page: Page, title: string, start: string, end: string): Promise<void> {
  await page.getByTestId('new-event').click();
  const dialog = page.getByTestId('event-dialog');
  await dialog.locator('#event-title').fill(title);
  await dialog.locator('#event-start-date').fill(today);
  await dialog.locator('#event-start-time').fill(start);
  await dialog.locator('#event-end-date').fill(today);
  await dialog.locator('#event-end-time').fill(end);
  await dialog.locator('#event-zone').selectOption('UTC');
}

describe('e2e: calendar', () => {
  beforeAll(async () => {
    ws = await startWorkspace('calendar');
    owner = await ws.signIn();
    ownerId = (await json<{ user: { id: string } }>(await owner.request.get('/api/session'))).user.id;
    lena = await createPerson(ws.browser, ws.url, owner, {
      name: 'Lena Lead',
      login: 'lena',
      role: 'Lead',
      password: 'Lena-calendar-password-1',
    });
    mia = await createPerson(ws.browser, ws.url, owner, {
      name: 'Mia Member',
      login: 'mia',
      role: 'Member',
      password: 'Mia-calendar-password-1',
    });
    ws.track(lena.context);
    ws.track(mia.context);
    await json(
      await owner.request.post('/api/groups', { data: { name: 'Web team', members: [lena.person.id, mia.person.id] } }),
    );
    // Everyone works around the clock, so only events (not working hours) make conflicts here.
    for (const id of [ownerId, lena.person.id])
      await json(await owner.request.put(`/api/users/${id}/schedule`, { data: { timeZone: 'UTC', hours: always } }));
  }, 300_000);

  afterAll(async () => {
    await ws?.close();
  });

  it('creates an event in the dialog and drags it to another time', async () => {
    const page = await utcPage(ws.owner.login, ws.owner.password);
    await openCalendar(page);
    await fillEvent(page, 'Design review', '10:00', '11:00');
    await page.getByTestId('event-dialog').getByRole('button', { name: 'Save', exact: true }).click();
    const event = page.getByTestId('calendar-grid').locator('.ec-event', { hasText: 'Design review' });
    await event.waitFor();
    const [created] = (await eventsOf(owner)).filter((e) => e.title === 'Design review');
    expect(created.start).toBe(at('10:00'));

    // Drag it down by two hours: the grid sends a PATCH with the version it showed.
    // In the middle of the window: near an edge the grid scrolls while dragging. The live
    // refresh after the creation redraws the event: wait until its box holds still.
    const box = await stableBox(event);
    // The event lasts an hour: its height is an hour on the grid.
    const hour = box.height;
    await page.mouse.move(box.x + box.width / 2, box.y + 6);
    await page.mouse.down();
    for (let step = 1; step <= 10; step++)
      await page.mouse.move(box.x + box.width / 2, box.y + 6 + (step * hour * 2) / 10);
    await page.mouse.up();
    await expect
      .poll(async () => (await eventsOf(owner)).find((e) => e.id === created.id)?.start, { timeout: 10_000 })
      .toBe(at('12:00'));
    const moved = (await eventsOf(owner)).find((e) => e.id === created.id);
    expect(moved?.end).toBe(at('13:00'));
    expect(moved?.version).toBeGreaterThan(created.version);
    await ws.shot(page, 'calendar-week');
  });

  it('warns about a conflict and books anyway', async () => {
    const page = await utcPage(ws.owner.login, ws.owner.password);
    await json(
      await owner.request.post('/api/calendar/events', {
        data: {
          title: 'Client call',
          start: at('15:00'),
          end: at('16:00'),
          timeZone: 'UTC',
          attendees: [lena.person.id],
        },
      }),
    );
    await openCalendar(page);
    await fillEvent(page, 'Overlapping sync', '15:30', '16:30');
    const dialog = page.getByTestId('event-dialog');
    // Only attendees' time is checked: Lena is in the client call at 15:00.
    await dialog.getByLabel('Lena Lead').check();
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    const conflicts = dialog.getByTestId('conflicts');
    await conflicts.waitFor();
    expect(await conflicts.textContent()).toContain('Lena Lead');
    expect(await conflicts.textContent()).toContain('has another event');
    expect(await conflicts.textContent()).toContain('Client call');
    expect((await eventsOf(owner)).some((e) => e.title === 'Overlapping sync')).toBe(false);
    await ws.shot(page, 'calendar-conflict');

    await dialog.getByRole('button', { name: 'Book anyway' }).click();
    await page.getByTestId('calendar-grid').locator('.ec-event', { hasText: 'Overlapping sync' }).waitFor();
    expect((await eventsOf(owner)).filter((e) => e.title === 'Overlapping sync')).toHaveLength(1);
  });

  it('shows one row per person in the team view', async () => {
    const page = await utcPage(ws.owner.login, ws.owner.password);
    await page.goto(`/calendar/team?people=${ownerId},${lena.person.id}`);
    const grid = page.getByTestId('team-grid');
    await grid.locator('.ec-row-head', { hasText: 'Lena Lead' }).waitFor();
    const rows = await grid.locator('.ec-row-head').allTextContents();
    expect(rows.map((row) => row.trim())).toEqual(expect.arrayContaining(['Lena Lead']));
    expect(rows).toHaveLength(2);
    await ws.shot(page, 'calendar-team');
  });

  it('saves working hours in the schedule editor', async () => {
    // Mia keeps the default hours (Monday to Friday): her Saturday starts empty.
    const page = await utcPage('mia', mia.person.password);
    await page.goto('/calendar/schedule');
    const saturday = page.getByTestId('schedule-sat');
    await saturday.getByRole('button', { name: 'Add hours' }).click();
    await saturday.getByLabel('Saturday: start').fill('10:00');
    await saturday.getByLabel('Saturday: end').fill('14:00');
    await page.getByTestId('schedule-form').getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Working hours saved.').waitFor();
    const saved = await json<{ schedule: { hours: Record<string, { start: string; end: string }[]> } }>(
      await mia.context.request.get(`/api/users/${mia.person.id}/schedule`),
    );
    expect(saved.schedule.hours.sat).toEqual([{ start: '10:00', end: '14:00' }]);

    // An interval that ends before it starts is named under its field, and nothing is saved.
    await saturday.getByLabel('Saturday: end').fill('09:00');
    await page.getByTestId('schedule-form').getByRole('button', { name: 'Save', exact: true }).click();
    await saturday.getByText('The end must come after the start.').waitFor();
  });

  it('lets a Member request an absence that their Lead approves', async () => {
    const miaPage = await utcPage('mia', mia.person.password, 375);
    await miaPage.goto('/calendar/absences');
    const form = miaPage.getByTestId('absence-form');
    await form.locator('#absence-kind').selectOption('vacation');
    await form.locator('#absence-start').fill('2027-01-11');
    await form.locator('#absence-end').fill('2027-01-15');
    await form.locator('#absence-note').fill('Skiing');
    await form.getByRole('button', { name: 'Send request' }).click();
    await miaPage.getByTestId('absences-mine').getByText('Waiting for approval').waitFor();
    await ws.shot(miaPage, 'calendar-absences-phone');

    const lenaPage = await utcPage('lena', lena.person.password);
    await lenaPage.goto('/calendar/absences');
    const row = lenaPage.getByTestId('absences-pending').locator('tr', { hasText: 'Mia Member' });
    await row.getByRole('button', { name: 'Approve' }).click();
    await lenaPage.getByTestId('absences-pending').getByText('Nothing waits for your decision.').waitFor();
    // Mia's list follows live (the decision is a feed entry), without a reload.
    await miaPage.getByTestId('absences-mine').getByText('Approved').waitFor();
    const list = await json<{ items: { status: string; decidedBy: string | null }[] }>(
      await mia.context.request.get(`/api/absences?userId=${mia.person.id}`),
    );
    expect(list.items.map((a) => [a.status, a.decidedBy])).toEqual([['approved', lena.person.id]]);
  });

  it('says Google is not configured on a server without credentials', async () => {
    const page = await utcPage(ws.owner.login, ws.owner.password);
    await page.goto('/calendar/google');
    await page.getByTestId('google-not-configured').waitFor();
  });
});
