import type { Engine, JournalOp } from './engine.ts';
import { getPath } from './values.ts';

/** Deletes documents whose TTL index date has passed, as MongoDB's TTL monitor does. */
export function expireDocuments(engine: Engine, now: Date, ops: JournalOp[]): number {
  let removed = 0;
  for (const colls of engine.databases.values()) {
    for (const coll of colls.values()) {
      for (const index of coll.indexes.values()) {
        const seconds = index.spec.expireAfterSeconds;
        if (seconds === undefined || index.fields.length !== 1) continue;
        const cutoff = now.getTime() - seconds * 1000;
        for (const doc of [...coll.docs.values()]) {
          const value = getPath(doc, index.fields[0]);
          const dates = (Array.isArray(value) ? value : [value]).filter((v): v is Date => v instanceof Date);
          if (dates.length && Math.min(...dates.map((d) => d.getTime())) <= cutoff) {
            engine.delete(coll, doc, ops);
            removed++;
          }
        }
      }
    }
  }
  return removed;
}
