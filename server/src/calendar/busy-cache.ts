import mongoose from 'mongoose';
import type { EventBus } from '../events/event-bus.ts';
import type { EventDoc } from './calendar.model.ts';

/**
 * A per-person change counter, bumped after every committed change to an event the person takes
 * part in (on whichever instance made it): what lets any instance trust a cached read.
 */
interface CalendarStampDoc {
  _id: mongoose.Types.ObjectId;
  v: number;
}
const stampSchema = new mongoose.Schema<CalendarStampDoc>(
  { v: { type: Number, default: 0 } },
  { versionKey: false, collection: 'calendar_stamps' },
);
export const CalendarStampModel = mongoose.model<CalendarStampDoc>('CalendarStamp', stampSchema);

type Interval = { start: Date; end: Date };

interface Entry {
  stamp: number;
  from: number;
  to: number;
  /** The person's blocking event time in [from, to), expanded (recurrences) and clipped. */
  busy: Interval[];
}

/** People whose reads are kept; beyond it the least recently stored are dropped. */
const MAX_PEOPLE = 5000;

/**
 * Busy time for free/busy and slot finding, cached per person and range (already expanded) and checked
 * against the person's stamp on every read (one small query for everyone asked about), so a
 * team view or slot search asked again does not read thousands of events again. Booking
 * conflicts never use it: they read inside their transaction.
 */
export class BusyCache {
  readonly #entries = new Map<string, Entry>();

  /** Bumps the stamps of everyone an event change concerns (and forgets them here at once). */
  listen(bus: EventBus, log: (error: unknown) => void): () => void {
    return bus.on('calendar.eventChanged', ({ before, after }) => {
      const people = new Set<string>([...participantsOf(before), ...participantsOf(after)]);
      for (const id of people) this.#entries.delete(id);
      if (people.size === 0) return;
      CalendarStampModel.bulkWrite(
        [...people].map((id) => ({
          updateOne: { filter: { _id: new mongoose.Types.ObjectId(id) }, update: { $inc: { v: 1 } }, upsert: true },
        })),
        { ordered: false },
      ).catch(log);
    });
  }

  /**
   * Each person's blocking event time in [from, to): from the cache where it holds this range at
   * the person's current stamp, else from `compute` (for the others, in one go) and then kept.
   */
  async eventBusy(
    userIds: string[],
    from: Date,
    to: Date,
    compute: (ids: string[]) => Promise<Map<string, Interval[]>>,
  ): Promise<Map<string, Interval[]>> {
    const stamps = new Map(
      (
        await CalendarStampModel.find({ _id: { $in: userIds.map((id) => new mongoose.Types.ObjectId(id)) } }).lean<
          CalendarStampDoc[]
        >()
      ).map((s) => [String(s._id), s.v]),
    );
    const result = new Map<string, Interval[]>();
    const misses: string[] = [];
    for (const id of userIds) {
      const entry = this.#entries.get(id);
      const fits =
        entry && entry.stamp === (stamps.get(id) ?? 0) && entry.from <= from.getTime() && entry.to >= to.getTime();
      if (fits) result.set(id, clip(entry.busy, from, to));
      else misses.push(id);
    }
    if (misses.length > 0) {
      const computed = await compute(misses);
      for (const id of misses) {
        const busy = computed.get(id) ?? [];
        this.#store(id, { stamp: stamps.get(id) ?? 0, from: from.getTime(), to: to.getTime(), busy });
        result.set(id, busy);
      }
    }
    return result;
  }

  #store(id: string, entry: Entry): void {
    this.#entries.delete(id);
    this.#entries.set(id, entry);
    if (this.#entries.size > MAX_PEOPLE) this.#entries.delete(this.#entries.keys().next().value as string);
  }
}

function clip(list: Interval[], from: Date, to: Date): Interval[] {
  return list.flatMap((i) =>
    i.end > from && i.start < to ? [{ start: i.start < from ? from : i.start, end: i.end > to ? to : i.end }] : [],
  );
}

function participantsOf(doc: EventDoc | null): string[] {
  return doc ? doc.participants.map(String) : [];
}
