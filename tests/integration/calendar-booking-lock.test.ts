import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventsRepository } from '../../server/src/calendar/events.repository.ts';
import { startTestServer, type TestContext } from '../support/server.ts';

// The booking invariant without the server's in-process serialization: two transactions that
// book the same person must not both commit. Reading the person's events and inserting is not
// enough (both see the slot free); the per-person booking document both rewrite makes the second
// one conflict, so it retries and then sees the first one's event. Runs against whatever
// database the server uses (the embedded store here, MongoDB under `npm run test:mongo`).
let ctx: TestContext;
beforeAll(async () => {
  ctx = await startTestServer();
});
afterAll(async () => {
  await ctx?.close();
});

const labels = (error: unknown) => {
  const e = error as { errorLabels?: string[]; errorLabelSet?: Set<string>; hasErrorLabel?: (l: string) => boolean };
  return e.hasErrorLabel?.('TransientTransactionError') ?? false;
};

describe('per-person booking documents', () => {
  it('make two concurrent booking transactions of one person conflict, and leave others alone', async () => {
    const repo = new EventsRepository();
    const person = new mongoose.Types.ObjectId().toHexString();
    const other = new mongoose.Types.ObjectId().toHexString();
    await repo.ensureLocks([person, other]);
    const first = await mongoose.startSession();
    const second = await mongoose.startSession();
    const third = await mongoose.startSession();
    try {
      first.startTransaction();
      second.startTransaction();
      third.startTransaction();
      await repo.lockPeople([person], first);
      // Someone else's booking is not held up by this one.
      await repo.lockPeople([other], third);
      let conflict: unknown = null;
      try {
        await repo.lockPeople([person], second);
      } catch (error) {
        conflict = error;
      }
      expect(conflict).not.toBeNull();
      expect(labels(conflict)).toBe(true);
      await first.commitTransaction();
      await third.commitTransaction();
    } finally {
      if (second.inTransaction()) await second.abortTransaction().catch(() => undefined);
      await Promise.all([first.endSession(), second.endSession(), third.endSession()]);
    }
    // Without the booking documents the same two transactions would both have gone through.
    const a = await mongoose.startSession();
    const b = await mongoose.startSession();
    try {
      a.startTransaction();
      b.startTransaction();
      const events = mongoose.connection.collection('calendar_events');
      await events.find({ participants: new mongoose.Types.ObjectId(person) }, { session: a }).toArray();
      await events.find({ participants: new mongoose.Types.ObjectId(person) }, { session: b }).toArray();
      await events.insertOne({ probe: 1 }, { session: a });
      await events.insertOne({ probe: 2 }, { session: b });
      await a.commitTransaction();
      await b.commitTransaction();
      expect(await events.countDocuments({ probe: { $exists: true } })).toBe(2);
      await events.deleteMany({ probe: { $exists: true } });
    } finally {
      await Promise.all([a.endSession(), b.endSession()]);
    }
  });
});
