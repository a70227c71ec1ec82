// The working schedule editor: a person's zone, several intervals per weekday, holiday country
// and extra days off. Errors show per field, keyed as the server keys them (`hours.mon.0.end`).
import { calendarEndpoints, type Schedule } from '@crewdeck/shared/calendar';
import { weekdays, type Weekday } from '@crewdeck/shared/schedules';
import { call } from '../api.ts';
import { FormState } from '../form.svelte.ts';
import { m } from '../paraglide/messages.js';

export type Interval = { start: string; end: string };
export type ScheduleValues = {
  timeZone: string;
  hours: Record<Weekday, Interval[]>;
  holidayCountry: string;
  daysOff: string[];
};

export type Holiday = { day: string; name: string };

export function scheduleToValues(schedule: Schedule): ScheduleValues {
  const hours = Object.fromEntries(
    weekdays.map((day) => [day, (schedule.hours[day] ?? []).map((i) => ({ start: i.start, end: i.end }))]),
  ) as Record<Weekday, Interval[]>;
  return {
    timeZone: schedule.timeZone,
    hours,
    holidayCountry: schedule.holidayCountry ?? '',
    daysOff: [...schedule.daysOff].sort(),
  };
}

/** Client checks: each interval ends after it starts, and a day's intervals do not overlap. */
export function validateSchedule(values: ScheduleValues): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const day of weekdays) {
    values.hours[day].forEach((interval, i) => {
      if (!interval.start || !interval.end) fields[`hours.${day}.${i}.start`] = m.cal_err_time();
      else if (interval.end <= interval.start) fields[`hours.${day}.${i}.end`] = m.cal_err_end();
      else if (i > 0 && interval.start < values.hours[day][i - 1].end)
        fields[`hours.${day}.${i}.start`] = m.cal_err_overlap();
    });
  }
  if (values.holidayCountry && !/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/.test(values.holidayCountry))
    fields.holidayCountry = m.cal_err_country();
  return fields;
}

export class ScheduleEditor {
  values = $state<ScheduleValues>({ timeZone: '', hours: emptyHours(), holidayCountry: '', daysOff: [] });
  holidays = $state<Holiday[]>([]);
  schedule = $state<Schedule | null>(null);
  readonly form = new FormState();
  readonly userId: string;
  readonly #own: boolean;

  constructor(userId: string, own: boolean, loaded: { schedule: Schedule; holidays: Holiday[] } | null) {
    this.userId = userId;
    this.#own = own;
    if (loaded) this.#apply(loaded);
  }

  /** People edit their own; someone else's needs the server's `schedule.manage` on it. */
  get canEdit(): boolean {
    return this.#own || this.schedule?.abilities['schedule.manage'] === true;
  }

  addInterval(day: Weekday): void {
    const list = this.values.hours[day];
    const last = list.at(-1);
    list.push(
      last
        ? { start: last.end, end: last.end < '23:00' ? later(last.end) : '24:00' }
        : { start: '09:00', end: '17:00' },
    );
  }

  removeInterval(day: Weekday, index: number): void {
    this.values.hours[day].splice(index, 1);
    this.form.clearField(`hours.${day}.${index}.start`);
    this.form.clearField(`hours.${day}.${index}.end`);
  }

  addDayOff(day: string): void {
    if (day && !this.values.daysOff.includes(day)) this.values.daysOff = [...this.values.daysOff, day].sort();
  }

  removeDayOff(day: string): void {
    this.values.daysOff = this.values.daysOff.filter((other) => other !== day);
  }

  async save(): Promise<boolean> {
    if (!this.form.validate(validateSchedule(this.values))) return false;
    return this.form.run(async () => {
      const saved = await call(calendarEndpoints.putSchedule, {
        params: { id: this.userId },
        body: {
          timeZone: this.values.timeZone,
          hours: this.values.hours,
          holidayCountry: this.values.holidayCountry || null,
          daysOff: this.values.daysOff,
        },
      });
      this.#apply(saved);
      return m.cal_schedule_saved();
    });
  }

  #apply(loaded: { schedule: Schedule; holidays: Holiday[] }): void {
    this.schedule = loaded.schedule;
    this.holidays = loaded.holidays;
    this.values = scheduleToValues(loaded.schedule);
  }
}

function emptyHours(): Record<Weekday, Interval[]> {
  return Object.fromEntries(weekdays.map((day) => [day, []])) as unknown as Record<Weekday, Interval[]>;
}

/** An hour after `clock` (`HH:MM`). */
function later(clock: string): string {
  const hour = Math.min(24, Number(clock.slice(0, 2)) + 1);
  return `${String(hour).padStart(2, '0')}:${hour === 24 ? '00' : clock.slice(3, 5)}`;
}
