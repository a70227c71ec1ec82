import mongoose from 'mongoose';
import type { WorkInterval, Weekday } from '@crewdeck/shared/schedules';

/**
 * A person's own working schedule. People without one work the default Monday–Friday hours in
 * their profile's zone (see `SchedulesRepository` users), so the collection holds only changes.
 */
export interface ScheduleDoc {
  _id: mongoose.Types.ObjectId;
  /** Unique: one schedule per person. */
  userId: mongoose.Types.ObjectId;
  timeZone: string;
  hours: Record<Weekday, WorkInterval[]>;
  /** ISO 3166 country, optionally with a region (`DE-BY`), whose public holidays are days off. */
  holidayCountry: string | null;
  /** Personal days off, `YYYY-MM-DD` in the schedule's zone. */
  daysOff: string[];
  createdAt: Date;
  updatedAt: Date;
}

const intervalSchema = new mongoose.Schema<WorkInterval>(
  { start: { type: String, required: true }, end: { type: String, required: true } },
  { _id: false },
);

const scheduleSchema = new mongoose.Schema<ScheduleDoc>(
  {
    userId: { type: mongoose.Schema.Types.ObjectId, required: true, unique: true },
    timeZone: { type: String, required: true },
    hours: {
      type: new mongoose.Schema(
        {
          mon: [intervalSchema],
          tue: [intervalSchema],
          wed: [intervalSchema],
          thu: [intervalSchema],
          fri: [intervalSchema],
          sat: [intervalSchema],
          sun: [intervalSchema],
        },
        { _id: false },
      ),
      required: true,
    },
    holidayCountry: { type: String, default: null },
    daysOff: { type: [String], default: [] },
  },
  { timestamps: true, versionKey: false, collection: 'work_schedules' },
);

export const ScheduleModel = mongoose.model<ScheduleDoc>('WorkSchedule', scheduleSchema);
