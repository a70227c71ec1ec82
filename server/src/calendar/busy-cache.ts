import mongoose from 'mongoose';
import type { EventBus } from '../events/event-bus.ts';
import type { EventDoc } from './calendar.model.ts';
import type { EventsRepository, EventWithOverrides } from './events.repository.ts';

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

interface Entry {
  stamp: number;
  from: number;
  to: number;
  series: EventWithOverrides[];
}

/** People whose reads are kept; beyond it the least recently stored are dropped. */
const MAX_PEOPLE = 5000;

/**
 * Busy-time reads for free/busy and slot finding, cached per person and range and checked
 * against the person's stamp on every read (one small query for everyone asked about), so a
 * team view or slot search asked again does not read thousands of events again. Booking
 * conflicts never use it: they read inside their transaction.
 */
export class BusyCache {
  readonly #events: EventsRepository;
  readonly #entries = new Map<string, Entry>();

  constructor(events: EventsRepository) {
    this.#events = events;
  }

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

  async ofParticipants(userIds: string[], from: Date, to: Date): Promise<EventWithOverrides[]> {
    const stamps = new Map(
      (
        await CalendarStampModel.find({ _id: { $in: userIds.map((id) => new mongoose.Types.ObjectId(id)) } }).lean<
          CalendarStampDoc[]
        >()
      ).map((s) => [String(s._id), s.v]),
    );
    const found: EventWithOverrides[] = [];
    const misses: string[] = [];
    for (const id of userIds) {
      const entry = this.#entries.get(id);
      const fits =
        entry && entry.stamp === (stamps.get(id) ?? 0) && entry.from <= from.getTime() && entry.to >= to.getTime();
      if (fits) found.push(...entry.series);
      else misses.push(id);
    }
    if (misses.length > 0) {
      const fetched = await this.#events.ofParticipants(misses, from, to);
      const perPerson = new Map<string, EventWithOverrides[]>(misses.map((id) => [id, []]));
      for (const series of fetched) {
        for (const p of participantsOf(series.master)) perPerson.get(p)?.push(series);
        for (const o of series.overrides) for (const p of participantsOf(o)) perPerson.get(p)?.push(series);
      }
      for (const [id, series] of perPerson)
        this.#store(id, { stamp: stamps.get(id) ?? 0, from: from.getTime(), to: to.getTime(), series });
      found.push(...fetched);
    }
    const seen = new Set<string>();
    return found.filter(({ master }) => !seen.has(String(master._id)) && seen.add(String(master._id)));
  }

  #store(id: string, entry: Entry): void {
    this.#entries.delete(id);
    this.#entries.set(id, entry);
    if (this.#entries.size > MAX_PEOPLE) this.#entries.delete(this.#entries.keys().next().value as string);
  }
}

function participantsOf(doc: EventDoc | null): string[] {
  return doc ? doc.participants.map(String) : [];
}
