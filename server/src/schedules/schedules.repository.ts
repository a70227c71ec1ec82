import type { ClientSession } from 'mongoose';
import { oid, oids } from '../db/ids.ts';
import { ScheduleModel, type ScheduleDoc } from './schedule.model.ts';

/** What a person's schedule is set to (the whole of it: a PUT replaces). */
export type ScheduleFields = Pick<ScheduleDoc, 'timeZone' | 'hours' | 'holidayCountry' | 'daysOff'>;

/** The only code touching the working schedules collection. */
export class SchedulesRepository {
  async findByUser(userId: string, session?: ClientSession): Promise<ScheduleDoc | null> {
    return ScheduleModel.findOne({ userId: oid(userId) }, null, { session }).lean<ScheduleDoc>();
  }

  /** One query for many people (availability, workload). */
  async findByUsers(userIds: readonly string[], session?: ClientSession): Promise<ScheduleDoc[]> {
    if (userIds.length === 0) return [];
    return ScheduleModel.find({ userId: { $in: oids(userIds) } }, null, { session }).lean<ScheduleDoc[]>();
  }

  async save(userId: string, fields: ScheduleFields, session: ClientSession): Promise<ScheduleDoc> {
    const doc = await ScheduleModel.findOneAndUpdate(
      { userId: oid(userId) },
      { $set: fields },
      { upsert: true, returnDocument: 'after', session, runValidators: true },
    ).lean<ScheduleDoc>();
    if (!doc) throw new Error('schedule upsert returned nothing');
    return doc;
  }
}
