import { expect } from 'vitest';
import type { Role } from '@crewdeck/shared/permissions';
import type { ProjectRole } from '@crewdeck/shared/projects';
import type { User } from '@crewdeck/shared/users';
import { startServer, type RunningServer, type StartOptions } from '../../server/src/app.ts';
import { HttpClient } from './http.ts';

/** One database per server, so `npm run test:mongo` can run every file against one real MongoDB. */
export const uniqueDbName = () => `crewdeck_test_${process.pid}_${Date.now().toString(36)}`;

export const OWNER_LOGIN = 'owner@example.test';
export const OWNER_PASSWORD = 'owner-password-123';

export interface TestUser {
  user: User;
  login: string;
  password: string;
  client: HttpClient;
}

export interface NewUserOptions {
  login?: string;
  name?: string;
  expiresAt?: string;
  groups?: string[];
  /** Stop after creation: the user still has only the one-time password. */
  keepOneTimePassword?: boolean;
}

export interface TestContext {
  server: RunningServer;
  url: string;
  /** Signed-in Owner. */
  owner: HttpClient;
  /** A fresh client with no cookies. */
  anonymous(origin?: string | null): HttpClient;
  /** Creates a user through the API, signs them in and sets their own password. */
  newUser(role: Role, options?: NewUserOptions): Promise<TestUser>;
  /** Creates a project as the Owner (who leads it) and adds the given members. */
  newProject(options?: NewProjectOptions): Promise<TestProject>;
  close(): Promise<void>;
}

export interface NewProjectOptions {
  code?: string;
  name?: string;
  /** Members to add with their project role. */
  members?: Array<{ user: TestUser; role: ProjectRole }>;
}

export interface TestProject {
  id: string;
  code: string;
}

export interface StartTestServerOptions {
  /** Persistent store directory (for restart tests); memory-only when absent. */
  dataDir?: string;
  /** Library upload limit and co-editing timers (short ones make versions and compaction testable). */
  library?: StartOptions['library'];
  /** Express `trust proxy`: with `true`, tests pick the client address with `X-Forwarded-For`. */
  trustProxy?: StartOptions['trustProxy'];
  /** Google sync settings (a fake's URLs, short intervals, test hooks). */
  google?: StartOptions['google'];
}

let counter = 0;

/** 1 → A, 27 → AA: project codes are capital letters only. */
function lettersOf(n: number): string {
  let out = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) out = String.fromCharCode(65 + ((x - 1) % 26)) + out;
  return out;
}
const inOneDay = () => new Date(Date.now() + 86_400_000).toISOString();

/** Real server on a random port with the embedded (memory-only) store. */
export async function startTestServer(
  options: StartTestServerOptions & { dbName?: string } = {},
): Promise<TestContext> {
  const server = await startServer({
    port: 0,
    quiet: true,
    dbName: options.dbName ?? uniqueDbName(),
    dataDir: options.dataDir,
    library: options.library,
    trustProxy: options.trustProxy,
    google: options.google,
    adminLogin: OWNER_LOGIN,
    adminPassword: OWNER_PASSWORD,
  });
  const url = server.url;
  const owner = new HttpClient(url);
  const res = await owner.login(OWNER_LOGIN, OWNER_PASSWORD);
  expect(res.status).toBe(200);

  async function newUser(role: Role, options: NewUserOptions = {}): Promise<TestUser> {
    counter += 1;
    const login = options.login ?? `${role.toLowerCase()}${counter}-${process.pid}@example.test`;
    const body = {
      name: options.name ?? `${role} ${counter}`,
      login,
      role,
      ...(options.groups ? { groups: options.groups } : {}),
      ...(role === 'External' || options.expiresAt ? { expiresAt: options.expiresAt ?? inOneDay() } : {}),
    };
    const created = await owner.post('/api/users', body);
    expect(created.status, created.text).toBe(201);
    const client = new HttpClient(url);
    const oneTime: string = created.body.oneTimePassword;
    expect((await client.login(login, oneTime)).status).toBe(200);
    if (options.keepOneTimePassword) return { user: created.body.user, login, password: oneTime, client };
    // Strong, and not built from the login or name (the server refuses those).
    const password = `Quiet-harbor-${counter}-lantern-moss`;
    const changed = await client.post('/api/auth/password', { currentPassword: oneTime, newPassword: password });
    expect(changed.status, changed.text).toBe(200);
    return { user: created.body.user, login, password, client };
  }

  async function newProject(options: NewProjectOptions = {}): Promise<TestProject> {
    counter += 1;
    const code = options.code ?? `P${lettersOf(counter)}`;
    const created = await owner.post('/api/projects', { name: options.name ?? `Project ${counter}`, code });
    expect(created.status, created.text).toBe(201);
    const id: string = created.body.project.id;
    for (const m of options.members ?? []) {
      const added = await owner.post(`/api/projects/${id}/members`, { userId: m.user.user.id, role: m.role });
      expect(added.status, added.text).toBe(201);
    }
    return { id, code };
  }

  return {
    server,
    url,
    owner,
    anonymous: (origin) => new HttpClient(url, origin === undefined ? url : origin),
    newUser,
    newProject,
    close: () => server.close(),
  };
}

/** Number of journal entries, read through the API as the Owner. */
export async function auditCount(owner: HttpClient): Promise<number> {
  const res = await owner.get('/api/audit?limit=1');
  expect(res.status).toBe(200);
  return res.body.items[0]?.seq ?? 0;
}
