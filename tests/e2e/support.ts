// Shared pieces of the browser tests: Chromium flags, signed-in browser contexts and seeding
// through the real API. A context's `request` shares its cookie jar with its pages, so a user
// signed in through the API is signed in in the browser too.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type APIRequestContext,
  type Locator,
  type Page,
} from 'playwright-core';
import { startServer, type RunningServer, type StartOptions } from '../../server/src/app.ts';
import { ensureWebBuild } from './web-build.ts';
import { createUserResponseSchema } from '@crewdeck/shared/users';
import {
  projectResponseSchema,
  milestoneResponseSchema,
  type CreateMilestone,
  type ProjectRole,
} from '@crewdeck/shared/projects';
import { taskResponseSchema, type CreateTask } from '@crewdeck/shared/tasks';
import type { Role } from '@crewdeck/shared/permissions';
import type { z } from 'zod';

const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's Chromium (npm's browser downloads cannot work here), headless, with the flags above. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs });
}

export type Person = { id: string; name: string; login: string; password: string };

async function call<S extends z.ZodType>(
  request: APIRequestContext,
  method: 'GET' | 'POST' | 'PATCH',
  path: string,
  schema: S,
  data?: unknown,
): Promise<z.output<S>> {
  const response = await request.fetch(path, { method, data, failOnStatusCode: false });
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok()) throw new Error(`${method} ${path} → ${response.status()}: ${JSON.stringify(body)}`);
  return schema.parse(body);
}

/** Signs `login` in within a fresh context; sets `newPassword` first when the server asks for it. */
export async function signedInContext(
  browser: Browser,
  baseURL: string,
  login: string,
  password: string,
  viewport = { width: 1280, height: 800 },
): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL, viewport });
  const response = await context.request.post('/api/auth/login', { data: { login, password } });
  if (!response.ok()) throw new Error(`login ${login} → ${response.status()}`);
  return context;
}

/** Replaces a one-time password (the session stays signed in). */
export async function changePassword(context: BrowserContext, current: string, next: string): Promise<void> {
  const response = await context.request.post('/api/auth/password', {
    data: { currentPassword: current, newPassword: next },
  });
  if (!response.ok()) throw new Error(`password change → ${response.status()}: ${await response.text()}`);
}

/** Creates a user as `admin`, then signs them in and sets their own password. */
export async function createPerson(
  browser: Browser,
  baseURL: string,
  admin: BrowserContext,
  input: { name: string; login: string; role: Role; password: string },
): Promise<{ person: Person; context: BrowserContext }> {
  const created = await call(admin.request, 'POST', '/api/users', createUserResponseSchema, {
    name: input.name,
    login: input.login,
    role: input.role,
  });
  const context = await signedInContext(browser, baseURL, input.login, created.oneTimePassword);
  await changePassword(context, created.oneTimePassword, input.password);
  return { person: { id: created.user.id, name: input.name, login: input.login, password: input.password }, context };
}

export const seed = {
  project: (as: BrowserContext, name: string, code: string, description?: string) =>
    call(as.request, 'POST', '/api/projects', projectResponseSchema, { name, code, description }).then(
      (r) => r.project,
    ),
  member: (as: BrowserContext, projectId: string, userId: string, role: ProjectRole) =>
    call(as.request, 'POST', `/api/projects/${projectId}/members`, projectResponseSchema, { userId, role }).then(
      (r) => r.project,
    ),
  milestone: (as: BrowserContext, projectId: string, input: CreateMilestone) =>
    call(as.request, 'POST', `/api/projects/${projectId}/milestones`, milestoneResponseSchema, input).then(
      (r) => r.milestone,
    ),
  task: (as: BrowserContext, projectId: string, input: CreateTask) =>
    call(as.request, 'POST', `/api/projects/${projectId}/tasks`, taskResponseSchema, { force: true, ...input }).then(
      (r) => r.task,
    ),
  status: async (as: BrowserContext, taskId: string, status: string) => {
    const { task } = await call(as.request, 'GET', `/api/tasks/${taskId}`, taskResponseSchema);
    return call(as.request, 'PATCH', `/api/tasks/${taskId}`, taskResponseSchema, {
      version: task.version,
      status,
      force: true,
    }).then((r) => r.task);
  },
  patch: async (as: BrowserContext, taskId: string, patch: Record<string, unknown>) => {
    const { task } = await call(as.request, 'GET', `/api/tasks/${taskId}`, taskResponseSchema);
    return call(as.request, 'PATCH', `/api/tasks/${taskId}`, taskResponseSchema, {
      version: task.version,
      ...patch,
    }).then((r) => r.task);
  },
  comment: async (as: BrowserContext, taskId: string, body: string) => {
    const response = await as.request.post(`/api/tasks/${taskId}/comments`, { data: { body } });
    if (!response.ok()) throw new Error(`comment → ${response.status()}: ${await response.text()}`);
  },
  time: async (as: BrowserContext, taskId: string, hours: number, note: string, date?: string) => {
    const response = await as.request.post(`/api/tasks/${taskId}/time`, { data: { hours, note, date } });
    if (!response.ok()) throw new Error(`time → ${response.status()}: ${await response.text()}`);
  },
};

/** Where e2e screenshots go (kept by CI as artifacts). */
export const artifactsDir = path.resolve(import.meta.dirname, '../../test-artifacts/e2e');

/** One e2e file's world: a fresh server on its own data directory, Chromium, and the Owner. */
export interface Workspace {
  server: RunningServer;
  url: string;
  browser: Browser;
  owner: { login: string; password: string };
  /** A context signed in as the Owner (or `login`), closed by `close()`. */
  signIn(login?: string, password?: string, viewport?: { width: number; height: number }): Promise<BrowserContext>;
  /** Closes `context` with the workspace. */
  track<T extends BrowserContext>(context: T): T;
  /** A full-page screenshot `<name>.png` in the artifacts directory. */
  shot(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
}

/** Server settings a file may add: Google pointed at a fake, a public address. */
export type WorkspaceOptions = Pick<StartOptions, 'google' | 'publicUrl'>;

/**
 * Builds the web app if needed, starts a server on a temporary data directory with the Owner
 * `owner@<name>-e2e.test`, and launches Chromium: the setup every e2e file shares.
 */
export async function startWorkspace(name: string, options: WorkspaceOptions = {}): Promise<Workspace> {
  ensureWebBuild();
  await mkdir(artifactsDir, { recursive: true });
  const dataDir = await mkdtemp(path.join(tmpdir(), `crewdeck-e2e-${name}-`));
  const owner = { login: `owner@${name}-e2e.test`, password: `Owner-${name}-e2e-password-1` };
  const server = await startServer({
    port: 0,
    dataDir,
    adminLogin: owner.login,
    adminPassword: owner.password,
    quiet: true,
    ...options,
  });
  const browser = await launchChromium();
  const contexts: BrowserContext[] = [];
  const track = <T extends BrowserContext>(context: T): T => {
    contexts.push(context);
    return context;
  };
  return {
    server,
    url: server.url,
    browser,
    owner,
    signIn: async (login = owner.login, password = owner.password, viewport) =>
      track(await signedInContext(browser, server.url, login, password, viewport)),
    track,
    shot: (page, shotName) =>
      page.screenshot({ path: path.join(artifactsDir, `${shotName}.png`), fullPage: true }).then(() => undefined),
    close: async () => {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close();
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The element's box once two reads 300 ms apart agree (a live refresh redraws it). */
export async function stableBox(locator: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  for (let attempt = 0; attempt < 20; attempt++) {
    await locator.evaluate((element) => element.scrollIntoView({ block: 'center' })).catch(() => undefined);
    const first = await locator.boundingBox();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const second = await locator.boundingBox();
    if (first && second && JSON.stringify(first) === JSON.stringify(second)) return second;
  }
  throw new Error('the event is not drawn');
}
