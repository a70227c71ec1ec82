import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditRepository } from '../../server/src/audit/audit.repository.ts';
import { AuditWriter } from '../../server/src/audit/audit.writer.ts';
import { AuditModel } from '../../server/src/audit/audit.model.ts';
import { connectDatabase, type DatabaseHandle } from '../../server/src/db.ts';
import type { RequestContext } from '../../server/src/http/context.ts';
import { uniqueDbName } from '../support/server.ts';

// Two writers with their own locks stand for two server processes appending at once.
let db: DatabaseHandle;
beforeAll(async () => {
  db = await connectDatabase({ dbName: uniqueDbName() });
  await AuditModel.init();
});
afterAll(() => db.close());

const ctx: RequestContext = { actor: null, ip: '127.0.0.1', userAgent: 'test', sessionId: null };

describe('audit chain under concurrent appenders', () => {
  it('two independent writers appending at once never fork or lose an entry', async () => {
    const repo = new AuditRepository();
    const [a, b] = [new AuditWriter(repo), new AuditWriter(repo)];
    const writes = Array.from({ length: 30 }, (_, i) =>
      (i % 2 ? a : b).record(ctx, { action: 'auth.login', note: `n${i}` }),
    );
    await Promise.all(writes);
    const entries = await AuditModel.find({}).sort({ seq: 1 }).lean();
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(new Set(entries.map((e) => e.comment)).size).toBe(30);
    for (let i = 1; i < entries.length; i++) expect(entries[i].prevHash).toBe(entries[i - 1].hash);
  });
});
