// End to end, the calendar flows calendar.e2e.test.ts leaves out: a dragged event that collides
// (Cancel puts it back, "Book anyway" only for people with `calendar.force`), finding a free slot
// for two people on the team view and booking it, rotating the secret iCal address, and the
// Google page against the loopback fake (connect through its consent, the first sync, an
// imported event on the calendar, disconnect, and "needs reconnect" after Google revokes the
// token). Browsers run in UTC, so the times on the grid are the times the server stores.

import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGoogleFake, type GoogleFake } from '../support/google-fake.ts';
import { createPerson, stableBox, startWorkspace, type Person, type Workspace } from './support.ts';

let ws: Workspace;
let fake: GoogleFake;
let owner: BrowserContext;
type Someone = { person: Person; context: BrowserContext };
let lena: Someone;
let mia: Someone;
let max: Someone;
let gina: Someone;

const dayOf = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const today = dayOf(0);
const at = (time: string, day = today) => `${day}T${time}:00.000Z`;
const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const hoursOf = (start: string, end: string) => Object.fromEntries(weekdays.map((d) => [d, [{ start, end }]]));

type Instance = {
  id: string;
  title: string;
  start: string;
  end: string;
  version: number;
  attendees: { userId: string }[];
};

async function json<T>(response: Awaited<ReturnType<BrowserContext['request']['get']>>): Promise<T> {
  if (!response.ok()) throw new Error(`${response.url()} → ${response.status()}: ${await response.text()}`);
  return (await response.json()) as T;
}

async function eventsOf(context: BrowserContext, day = today): Promise<Instance[]> {
  const from = `${day}T00:00:00.000Z`;
  const to = new Date(Date.parse(from) + 86_400_000).toISOString();
  return (await json<{ events: Instance[] }>(await context.request.get(`/api/calendar/events?from=${from}&to=${to}`)))
    .events;
}

async function createEvent(context: BrowserContext, data: Record<string, unknown>): Promise<Instance> {
  const body = await json<{ event: Instance }>(
    await context.request.post('/api/calendar/events', { data: { timeZone: 'UTC', ...data } }),
  );
  return body.event;
}

/** A page in a UTC browser context signed in as `someone` (tall, so the drags need no scrolling). */
async function utcPage(someone: { login: string; password: string }, permissions: string[] = []): Promise<Page> {
  const context = ws.track(
    await ws.browser.newContext({ baseURL: ws.url, viewport: { width: 1280, height: 1200 }, timezoneId: 'UTC' }),
  );
  if (permissions.length > 0) await context.grantPermissions(permissions, { origin: ws.url });
  const response = await context.request.post('/api/auth/login', {
    data: { login: someone.login, password: someone.password },
  });
  if (!response.ok()) throw new Error(`login ${someone.login} → ${response.status()}`);
  const page = await context.newPage();
  // A step that hangs fails with its own message before the test's time runs out.
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  page.on('dialog', (dialog) => {
    throw new Error(`native dialog: ${dialog.message()}`);
  });
  return page;
}

function gridEvent(page: Page, title: string): Locator {
  return page.getByTestId('calendar-grid').locator('.ec-event', { hasText: title });
}

/** Opens the week and waits until its events arrived (so an absent event is really absent). */
async function openCalendar(page: Page): Promise<void> {
  const listed = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/calendar/events' && r.ok());
  await page.goto('/calendar');
  await page.getByTestId('calendar-grid').locator('.ec-time-grid').waitFor();
  await listed;
}

/** Drags a one-hour event `hours` down the week grid; returns where it started. */
async function dragDown(page: Page, event: Locator, hours: number): Promise<{ y: number }> {
  const box = await stableBox(event);
  const hour = box.height;
  const x = box.x + box.width / 2;
  await page.mouse.move(x, box.y + 6);
  await page.mouse.down();
  for (let step = 1; step <= 12; step++) await page.mouse.move(x, box.y + 6 + (step * hour * hours) / 12);
  await page.mouse.up();
  return box;
}

async function startOf(context: BrowserContext, id: string): Promise<string | undefined> {
  return (await eventsOf(context)).find((e) => e.id === id)?.start;
}

describe('e2e: calendar flows', () => {
  beforeAll(async () => {
    fake = await startGoogleFake();
    // Access tokens under 5 minutes make the client refresh before each call, so a revoked
    // refresh token shows on the next sync.
    fake.accessTokenLifetimeS = 60;
    ws = await startWorkspace('calendar-flows', {
      google: {
        clientId: fake.client.id,
        clientSecret: fake.client.secret,
        apiRoot: `${fake.url}/`,
        oauthRoot: fake.url,
        backoffBaseMs: 10,
        syncIntervalS: 3600,
      },
    });
    owner = await ws.signIn();
    const people = [
      ['Lena Lead', 'lena', 'Lead'],
      ['Mia Member', 'mia', 'Member'],
      ['Max Member', 'max', 'Member'],
      ['Gina Member', 'gina', 'Member'],
    ] as const;
    [lena, mia, max, gina] = await Promise.all(
      people.map(async ([name, login, role]) => {
        const created = await createPerson(ws.browser, ws.url, owner, {
          name,
          login,
          role,
          password: `${name.replace(' ', '-')}-flows-password-1`,
        });
        ws.track(created.context);
        return created;
      }),
    );
    // Mia and Max work 09:00–17:00 UTC every day, so only their events and hours decide.
    await json(
      await owner.request.put(`/api/users/${lena.person.id}/schedule`, {
        data: { timeZone: 'UTC', hours: hoursOf('00:00', '24:00') },
      }),
    );
    for (const id of [mia.person.id, max.person.id])
      await json(
        await owner.request.put(`/api/users/${id}/schedule`, {
          data: { timeZone: 'UTC', hours: hoursOf('09:00', '17:00') },
        }),
      );
  }, 300_000);

  afterAll(async () => {
    await ws?.close();
    await fake?.close();
  });

  it('a dragged event onto a busy attendee: Cancel puts it back, Book anyway moves it, a Member cannot force', async () => {
    await createEvent(mia.context, { title: 'Dentist', start: at('15:00'), end: at('16:00') });
    const review = await createEvent(lena.context, {
      title: 'Roadmap review',
      start: at('10:00'),
      end: at('11:00'),
      attendees: [mia.person.id],
    });
    const page = await utcPage(lena.person);
    await openCalendar(page);
    const event = gridEvent(page, 'Roadmap review');
    const before = await dragDown(page, event, 5);
    const conflict = page.getByTestId('move-conflict');
    await conflict.waitFor();
    const text = (await conflict.getByTestId('conflicts').textContent()) ?? '';
    expect(text).toContain('Mia Member');
    expect(text).toContain('has another event');
    await ws.shot(page, 'calendar-flows-move-conflict');
    // Nothing moved on the server while the dialog asks.
    expect(await startOf(lena.context, review.id)).toBe(at('10:00'));

    await conflict.getByRole('button', { name: 'Cancel', exact: true }).click();
    await conflict.waitFor({ state: 'detached' });
    expect(await startOf(lena.context, review.id)).toBe(at('10:00'));
    // And the grid shows it where it was.
    expect(Math.abs((await stableBox(event)).y - before.y)).toBeLessThan(3);

    await dragDown(page, event, 5);
    await conflict.getByRole('button', { name: 'Book anyway' }).click();
    await expect.poll(() => startOf(lena.context, review.id), { timeout: 10_000 }).toBe(at('15:00'));
    expect((await eventsOf(lena.context)).find((e) => e.id === review.id)?.end).toBe(at('16:00'));
    await conflict.waitFor({ state: 'detached' });

    // Max, a Member, has no `calendar.force`: the same collision offers only Cancel.
    const standup = await createEvent(max.context, {
      title: 'Max standup',
      start: at('11:00'),
      end: at('12:00'),
      attendees: [mia.person.id],
    });
    const maxPage = await utcPage(max.person);
    await openCalendar(maxPage);
    await dragDown(maxPage, gridEvent(maxPage, 'Max standup'), 4);
    const maxConflict = maxPage.getByTestId('move-conflict');
    await maxConflict.waitFor();
    expect(await maxConflict.getByTestId('conflicts').textContent()).toContain('Mia Member');
    expect(await maxConflict.getByRole('button', { name: 'Book anyway' }).count()).toBe(0);
    await maxConflict.getByText('you may not book over conflicts').waitFor();
    await ws.shot(maxPage, 'calendar-flows-move-conflict-member');
    await maxConflict.getByRole('button', { name: 'Cancel', exact: true }).click();
    expect(await startOf(max.context, standup.id)).toBe(at('11:00'));
  });

  it('finds a free hour for two people on the team view and books it with both invited', async () => {
    // A day of their own a week ahead: 09:00–10:30 Mia is busy, 10:30–12:00 Max is.
    const day = dayOf(7);
    await createEvent(mia.context, { title: 'Mia workshop', start: at('09:00', day), end: at('10:30', day) });
    await createEvent(max.context, { title: 'Max training', start: at('10:30', day), end: at('12:00', day) });
    const busy = [
      [at('09:00', day), at('10:30', day)],
      [at('10:30', day), at('12:00', day)],
    ];

    const page = await utcPage(lena.person);
    await page.goto('/calendar/team');
    const picker = page.getByTestId('team-people-list');
    await picker.getByLabel('Mia Member').check();
    await picker.getByLabel('Max Member').check();
    // Only the two of them: Lena works around the clock and would change nothing anyway.
    await picker.getByLabel('Lena Lead').uncheck();
    await page.locator('#slot-duration').selectOption('60');
    await page.locator('#slot-from').fill(day);
    await page.locator('#slot-days').fill('1');
    const answer = page.waitForResponse((r) => r.url().includes('/api/calendar/slots'));
    await page.getByRole('button', { name: 'Find free time' }).click();
    const response = await answer;
    const query = new URL(response.url()).searchParams;
    expect(query.get('users')?.split(',').sort()).toEqual([mia.person.id, max.person.id].sort());
    const { slots } = (await response.json()) as { slots: { start: string; end: string }[] };
    // The first free hour after both busy blocks, inside working hours, and none overlaps them.
    expect(slots[0]).toEqual({ start: at('12:00', day), end: at('13:00', day) });
    for (const slot of slots) {
      expect(slot.start >= at('09:00', day) && slot.end <= at('17:00', day)).toBe(true);
      for (const [start, end] of busy) expect(slot.end <= start || slot.start >= end).toBe(true);
    }
    const buttons = page.getByTestId('slots').getByRole('button');
    await expect.poll(() => buttons.count()).toBe(slots.length);
    await ws.shot(page, 'calendar-flows-slots');

    await buttons.first().click();
    const dialog = page.getByTestId('event-dialog');
    await dialog.locator('#event-title').waitFor();
    expect(await dialog.locator('#event-start-date').inputValue()).toBe(day);
    expect(await dialog.locator('#event-start-time').inputValue()).toBe('12:00');
    expect(await dialog.locator('#event-end-time').inputValue()).toBe('13:00');
    const attendees = dialog.getByTestId('event-attendees-list');
    await expect.poll(() => attendees.getByLabel('Mia Member').isChecked()).toBe(true);
    expect(await attendees.getByLabel('Max Member').isChecked()).toBe(true);
    await dialog.locator('#event-title').fill('Planning for two');
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });

    const booked = (await eventsOf(lena.context, day)).filter((e) => e.title === 'Planning for two');
    expect(booked.map((e) => [e.start, e.end])).toEqual([[at('12:00', day), at('13:00', day)]]);
    expect(booked[0].attendees.map((a) => a.userId).sort()).toEqual([mia.person.id, max.person.id].sort());
  });

  it('shows the secret iCal address, copies it, and rotating it retires the old one', async () => {
    const page = await utcPage(mia.person, ['clipboard-read', 'clipboard-write']);
    await page.goto('/calendar/subscribe');
    const input = page.locator('#feed-url');
    await input.waitFor();
    const first = await input.inputValue();
    expect(first).toMatch(new RegExp(`^${ws.url}/api/calendar/feeds/[^/]+\\.ics$`));
    const feed = page.getByTestId('feed-link');
    await feed.getByRole('button', { name: 'Copy address' }).click();
    await page.getByText('Address copied').waitFor();
    // A string: the tests' TypeScript has no DOM library.
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(first);
    const old = await fetch(first);
    expect(old.status).toBe(200);
    expect(await old.text()).toContain('Dentist');

    await feed.getByRole('button', { name: 'Make a new address' }).click();
    // The confirmation names the consequence; nothing changes before it is answered.
    const confirm = page.locator('dialog[open]', { hasText: 'stops working at once' });
    await confirm.waitFor();
    expect(await input.inputValue()).toBe(first);
    await ws.shot(page, 'calendar-flows-rotate-confirm');
    await confirm.locator('[data-confirm]').click();
    await expect.poll(() => input.inputValue()).not.toBe(first);
    const second = await input.inputValue();
    expect(second).toMatch(/\/api\/calendar\/feeds\/[^/]+\.ics$/);

    expect((await fetch(first)).status).toBe(404);
    const fresh = await fetch(second);
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('content-type')).toMatch(/^text\/calendar/);
    expect(await fresh.text()).toMatch(/^BEGIN:VCALENDAR/);
  });

  it('connects Google through the consent page, syncs, disconnects, and asks to reconnect after a revoke', async () => {
    const email = 'gina@gmail.test';
    fake.consentEmail = email;
    fake.seed(email, {
      summary: 'Google dentist',
      start: { dateTime: at('13:00'), timeZone: 'UTC' },
      end: { dateTime: at('14:00'), timeZone: 'UTC' },
    });
    const page = await utcPage(gina.person);
    const card = page.getByTestId('google-status');
    const state = page.getByTestId('google-state');
    const lastSync = card.locator('dt', { hasText: 'Last sync' }).locator('xpath=following-sibling::dd[1]');
    const connect = async (link: string) => {
      await card.getByRole('link', { name: link }).click();
      // Our redirect → the fake's consent (approves at once) → our callback → back here.
      await page.waitForURL('**/calendar/google?connected=1');
      await expect.poll(() => state.textContent(), { timeout: 15_000 }).toBe('In sync');
    };

    await page.goto('/calendar/google');
    await expect.poll(() => state.textContent()).toBe('Not connected');
    expect(await card.getByRole('button', { name: 'Disconnect' }).count()).toBe(0);
    await connect('Connect Google Calendar');
    await card.getByText(email).waitFor();
    expect(await lastSync.textContent()).not.toBe('Not yet');
    expect(await lastSync.textContent()).toBeTruthy();
    expect(fake.lastConsent?.get('redirect_uri')).toBe(`${ws.url}/api/calendar/google/callback`);
    await ws.shot(page, 'calendar-flows-google-connected');

    await openCalendar(page);
    await gridEvent(page, 'Google dentist').waitFor();

    await page.goto('/calendar/google');
    await card.getByRole('button', { name: 'Disconnect' }).click();
    await page.locator('dialog[open] [data-confirm]').click();
    await expect.poll(() => state.textContent()).toBe('Not connected');
    await card.getByRole('link', { name: 'Connect Google Calendar' }).waitFor();
    const status = await json<{ state: string }>(await gina.context.request.get('/api/calendar/google/status'));
    expect(status.state).toBe('disconnected');
    await openCalendar(page);
    expect(await gridEvent(page, 'Google dentist').count()).toBe(0);

    // Connected again, then Google revokes the refresh token: the next sync asks to reconnect.
    await page.goto('/calendar/google');
    await connect('Connect Google Calendar');
    fake.refreshTokensOf(email).forEach((refresh) => fake.revoke(refresh));
    await ws.server.google.service.syncNow(gina.person.id);
    await page.reload();
    await expect.poll(() => state.textContent()).toBe('Needs reconnecting');
    await card.getByText('Reconnect to resume syncing').waitFor();
    await ws.shot(page, 'calendar-flows-google-reconnect');
    await connect('Reconnect');
    expect(await card.getByRole('link', { name: 'Reconnect' }).count()).toBe(0);
  });
});
