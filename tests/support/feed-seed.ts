import mongoose from 'mongoose';
import type { NewFeedEntry } from '../../server/src/feed/feed.model.ts';
import { FeedRepository } from '../../server/src/feed/feed.repository.ts';

/** One seeded entry: a task created in a project, or a library document created for some viewers. */
export type SeedEntry = { projectId: string; code: string } | { viewers: string[] };

const BATCH = 100;
const hexId = () => new mongoose.Types.ObjectId().toHexString();

/**
 * Appends real feed entries the way the publisher stores them (seqs reserved on the feed
 * counter and inserted in one transaction per batch), without emitting them: thousands in a
 * second instead of a minute of API calls. Only while nothing else publishes (tests and
 * benchmarks seed before they start). `title` is `${prefix} ${index}`; returns the seqs.
 */
export async function seedFeed(entries: SeedEntry[], prefix = 'seed'): Promise<number[]> {
  const repo = new FeedRepository();
  const seqs: number[] = [];
  for (let start = 0; start < entries.length; start += BATCH) {
    const batch = entries.slice(start, start + BATCH);
    const session = await mongoose.startSession();
    let stored: number[] = [];
    try {
      await session.withTransaction(async () => {
        const first = await repo.reserve(batch.length, session);
        const at = new Date();
        const docs = batch.map((e, i): NewFeedEntry => {
          const base = { seq: first + i, at, actor: null, data: { title: `${prefix} ${start + i}` }, audience: [] };
          if ('viewers' in e)
            return {
              ...base,
              type: 'document.created',
              projectId: null,
              resource: { kind: 'document', id: hexId(), code: `DOC-S${start + i}` },
              viewers: e.viewers,
            };
          return {
            ...base,
            type: 'task.created',
            projectId: e.projectId,
            resource: { kind: 'task', id: hexId(), code: `${e.code}-S${start + i}` },
            viewers: [],
          };
        });
        await repo.insert(docs, session);
        stored = docs.map((d) => d.seq);
      });
    } finally {
      await session.endSession();
    }
    // After the commit: a retried transaction must not count its seqs twice.
    seqs.push(...stored);
  }
  return seqs;
}
