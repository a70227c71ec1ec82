import { expect } from 'vitest';
import type { Role } from '@crewdeck/shared/permissions';
import type { User } from '@crewdeck/shared/users';
import { startServer, type RunningServer } from '../../server/src/app.ts';
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
  close(): Promise<void>;
}

let counter = 0;
const inOneDay = () => new Date(Date.now() + 86_400_000).toISOString();

/** Real server on a random port with the embedded (memory-only) store. */
export async function startTestServer(): Promise<TestContext> {
  const server = await startServer({ port: 0, quiet: true, dbName: uniqueDbName(), adminLogin: OWNER_LOGIN, adminPassword: OWNER_PASSWORD });
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
    const password = `pw-${login}-secret`;
    const changed = await client.post('/api/auth/password', { currentPassword: oneTime, newPassword: password });
    expect(changed.status, changed.text).toBe(200);
    return { user: created.body.user, login, password, client };
  }

  return {
    server,
    url,
    owner,
    anonymous: (origin) => new HttpClient(url, origin === undefined ? url : origin),
    newUser,
    close: () => server.close(),
  };
}

/** Number of journal entries, read through the API as the Owner. */
export async function auditCount(owner: HttpClient): Promise<number> {
  const res = await owner.get('/api/audit?limit=1');
  expect(res.status).toBe(200);
  return res.body.items[0]?.seq ?? 0;
}
