import { describe, expect, it } from 'vitest';
import { defaultPermissionMatrix, roles, type Action } from '@crewdeck/shared/permissions';
import { hashEntry, GENESIS_HASH, type HashedFields } from '../../../server/src/audit/audit.hash.ts';
import { describeChanges, diffFields } from '../../../server/src/audit/changes.ts';
import { Mutex } from '../../../server/src/audit/mutex.ts';
import { generateOneTimePassword, hashPassword, verifyPassword } from '../../../server/src/auth/passwords.ts';
import type { Actor } from '../../../server/src/http/context.ts';
import { PermissionTable } from '../../../server/src/permissions/permission-table.ts';
import { timeInSystem } from '../../../server/src/reports/time-in-system.ts';
import { assignableRoles, userPolicy } from '../../../server/src/users/users.policy.ts';

const actor = (role: Actor['role'], id = 'a'): Actor => ({
  id,
  code: 'USR-1',
  login: id,
  name: id,
  role,
  groups: [],
  mustChangePassword: false,
});

describe('timeInSystem', () => {
  const h = (n: number) => new Date(Date.UTC(2026, 0, 1, n));
  it('merges overlapping sessions and clips to the period', () => {
    const spans = [
      { userId: 'u', start: h(1), end: h(3) },
      { userId: 'u', start: h(2), end: h(4) },
      { userId: 'u', start: h(6), end: h(7) },
      { userId: 'v', start: h(0), end: h(10) },
    ];
    const result = timeInSystem(spans, h(2), h(8));
    expect(result.get('u')).toEqual({ seconds: 3 * 3600, sessions: 3 });
    expect(result.get('v')).toEqual({ seconds: 6 * 3600, sessions: 1 });
  });
});

describe('audit hashing', () => {
  const entry: HashedFields = {
    seq: 1,
    at: new Date(0),
    action: 'user.create',
    outcome: 'allowed',
    ip: '1.2.3.4',
    user: null,
    affectedUser: null,
    affectedGroup: null,
    permission: 'user.create',
    code: 'USR-1',
    comment: '',
    changes: [],
    prevHash: GENESIS_HASH,
  };
  it('changes when any field or the previous hash changes', () => {
    const base = hashEntry(entry);
    expect(hashEntry({ ...entry })).toBe(base);
    expect(hashEntry({ ...entry, comment: 'x' })).not.toBe(base);
    expect(hashEntry({ ...entry, prevHash: 'f'.repeat(64) })).not.toBe(base);
  });
  it('diffs only changed fields and masks secrets', () => {
    const changes = diffFields<{ name: string; password: string; role: string }>(
      { name: 'A', password: 'old', role: 'Member' },
      { name: 'B', password: 'new', role: 'Member' },
      ['name', 'password', 'role'],
    );
    expect(changes).toEqual([
      { field: 'name', from: 'A', to: 'B' },
      { field: 'password', from: '***', to: '***' },
    ]);
    expect(describeChanges(changes)).toBe('name: "A" → "B"; password: "***" → "***"');
  });
  it('serializes tasks in order even when one fails', async () => {
    const mutex = new Mutex();
    const order: number[] = [];
    const slow = mutex.run(async () => {
      await new Promise((r) => setTimeout(r, 20));
      order.push(1);
    });
    const failing = mutex.run(async () => {
      order.push(2);
      throw new Error('x');
    });
    const last = mutex.run(async () => {
      order.push(3);
    });
    await Promise.allSettled([slow, failing, last]);
    expect(order).toEqual([1, 2, 3]);
  });
});

describe('permissions', () => {
  it('the Owner keeps every action whatever the stored table says', () => {
    const table = new PermissionTable({ ...defaultPermissionMatrix, Owner: [] });
    expect(table.allows('Owner', 'permission.update')).toBe(true);
    expect(table.allows('Member', 'user.create')).toBe(false);
  });
  it('user policy: no self-lockout, no managing stronger users', () => {
    const admin = actor('Admin', 'admin');
    const act = (a: Action, role: Actor['role'], id: string | null = 't', nextRole?: Actor['role']) =>
      userPolicy(admin, a, { kind: 'user', id, role, ...(nextRole ? { nextRole } : {}) });
    expect(act('user.disable', 'Member')).toBe(true);
    expect(act('user.disable', 'Owner')).toBe(false);
    expect(act('user.disable', 'Admin', 'admin')).toBe(false);
    expect(act('user.changeRole', 'Member', 't', 'Owner')).toBe(false);
    expect(act('user.create', 'Admin', null, 'Admin')).toBe(true);
    expect(userPolicy(actor('Owner'), 'user.disable', { kind: 'user', id: 'x', role: 'Owner' })).toBe(true);
  });
  it('the roles offered to the web are exactly the ones the policy lets each role create', () => {
    for (const role of roles) {
      const creatable = roles.filter((next) =>
        userPolicy(actor(role), 'user.create', { kind: 'user', id: null, role: next, nextRole: next }),
      );
      expect(assignableRoles(actor(role)), role).toEqual(creatable);
    }
    expect(assignableRoles(actor('Owner'))).toEqual([...roles]);
    expect(assignableRoles(actor('Admin'))).not.toContain('Owner');
  });
});

describe('passwords', () => {
  it('hashes with argon2id and verifies', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash.startsWith('$argon2id$')).toBe(true);
    expect(await verifyPassword(hash, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(hash, 'wrong')).toBe(false);
    expect(await verifyPassword(null, 'anything')).toBe(false);
  });
  it('one-time passwords are 16 unambiguous characters and differ', () => {
    const a = generateOneTimePassword();
    expect(a).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{16}$/);
    expect(generateOneTimePassword()).not.toBe(a);
  });
});
