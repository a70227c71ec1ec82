import type { ClientSession } from 'mongoose';
import type { reservedCodePrefixes } from '@crewdeck/shared/projects';
import { CounterModel } from './counters.model.ts';

/** Document-code prefixes in use: users, groups, library documents (tasks number per project). */
export type CodePrefix = (typeof reservedCodePrefixes)[number];

/** Hands out human document codes; atomic, so two creations never share a code. */
export class CountersRepository {
  async nextCode(prefix: CodePrefix, session?: ClientSession): Promise<string> {
    const counter = await CounterModel.findOneAndUpdate(
      { _id: prefix },
      { $inc: { seq: 1 } },
      { upsert: true, returnDocument: 'after', session },
    ).lean();
    if (!counter) throw new Error(`counter ${prefix} was not created`);
    return `${prefix}-${counter.seq}`;
  }

  /** `count` consecutive codes in one round trip (bulk creation). */
  async nextCodes(prefix: CodePrefix, count: number, session?: ClientSession): Promise<string[]> {
    if (count <= 0) return [];
    const counter = await CounterModel.findOneAndUpdate(
      { _id: prefix },
      { $inc: { seq: count } },
      { upsert: true, returnDocument: 'after', session },
    ).lean();
    if (!counter) throw new Error(`counter ${prefix} was not created`);
    const first = counter.seq - count + 1;
    return Array.from({ length: count }, (_, i) => `${prefix}-${first + i}`);
  }
}
