import { DateTime } from 'luxon';
import type { calendarEndpoints, Schedule } from '@crewdeck/shared/calendar';
import type { BodyOf } from '@crewdeck/shared/endpoint';
import { diffFields } from '../audit/changes.ts';
import type { FeedPublisher } from '../feed/feed.publisher.ts';
import type { AuthedContext } from '../http/context.ts';
import { NotFoundError, ValidationError } from '../http/errors.ts';
import type { AccessControl } from '../permissions/access-control.ts';
import type { UserDoc } from '../users/users.model.ts';
import type { UsersRepository } from '../users/users.repository.ts';
import { auditPerson } from '../users/user-status.ts';
import type { Availability } from './availability.ts';
import { isKnownHolidayCountry, publicHolidays, type Holiday } from './holidays.ts';
import { presentSchedule } from './schedules.presenter.ts';
import type { ScheduleFields, SchedulesRepository } from './schedules.repository.ts';
import type { PersonResource } from './schedules.policy.ts';

export type PutSchedule = BodyOf<typeof calendarEndpoints.putSchedule>;
export interface UserSchedule {
  schedule: Schedule;
  holidays: Holiday[];
}

export interface SchedulesServiceDeps {
  access: AccessControl;
  publisher: FeedPublisher;
  users: UsersRepository;
  schedules: SchedulesRepository;
  availability: Availability;
}

export const personResource = (user: UserDoc): PersonResource => ({
  kind: 'person',
  id: String(user._id),
  role: user.role,
  groups: user.groups.map(String),
});

const auditedFields: (keyof ScheduleFields)[] = ['timeZone', 'hours', 'holidayCountry', 'daysOff'];

/** Working schedules: read (as the profile is), set by the person or a lead over them, journaled. */
export class SchedulesService {
  readonly #d: SchedulesServiceDeps;

  constructor(deps: SchedulesServiceDeps) {
    this.#d = deps;
  }

  async get(ctx: AuthedContext, userId: string): Promise<UserSchedule> {
    const user = await this.#visible(ctx, userId);
    return this.#answer(ctx, user);
  }

  /**
   * Replaces the hours and zone; `holidayCountry` and `daysOff` keep their values when left out.
   * The person themselves always may; others need `schedule.manage` over them.
   */
  async put(ctx: AuthedContext, userId: string, input: PutSchedule): Promise<UserSchedule> {
    // Someone else's hours need the role's permission first: 403, not "no such person".
    if (userId !== ctx.actor.id) await this.#d.access.authorize(ctx, 'schedule.manage');
    const user = await this.#visible(ctx, userId);
    if (!this.#mayEdit(ctx, user)) {
      await this.#d.access.authorize(ctx, 'schedule.manage', personResource(user), {
        affectedUser: auditPerson(user),
        code: user.code,
      });
    }
    if (input.holidayCountry && !isKnownHolidayCountry(input.holidayCountry))
      throw new ValidationError({ holidayCountry: 'No public holidays are known for this country or region' });
    await this.#d.publisher.publish(ctx, async (session) => {
      const before = (await this.#d.availability.schedulesOf([userId], session)).get(userId);
      const previous: ScheduleFields = {
        timeZone: before?.schedule.timeZone ?? 'UTC',
        hours: before?.schedule.hours ?? input.hours,
        holidayCountry: before?.holidayCountry ?? null,
        daysOff: before?.daysOff ?? [],
      };
      const next: ScheduleFields = {
        timeZone: input.timeZone,
        hours: input.hours,
        holidayCountry: input.holidayCountry === undefined ? previous.holidayCountry : input.holidayCountry,
        daysOff: input.daysOff === undefined ? previous.daysOff : [...new Set(input.daysOff)].sort(),
      };
      await this.#d.schedules.save(userId, next, session);
      const changes = diffFields(before?.custom ? previous : {}, next, auditedFields);
      const audit =
        changes.length === 0
          ? null
          : {
              action: 'schedule.update' as const,
              permission: ctx.actor.id === userId ? null : 'schedule.manage',
              affectedUser: auditPerson(user),
              code: user.code,
              changes,
            };
      return { result: undefined, audit, feed: [] };
    });
    return this.#answer(ctx, user);
  }

  async #answer(ctx: AuthedContext, user: UserDoc): Promise<UserSchedule> {
    const id = String(user._id);
    const person = (await this.#d.availability.schedulesOf([id])).get(id);
    if (!person) throw new NotFoundError('User');
    const zone = person.schedule.timeZone;
    const today = DateTime.now().setZone(zone);
    const holidays = publicHolidays(
      person.holidayCountry,
      today.toISODate() ?? '',
      today.plus({ months: 12 }).toISODate() ?? '',
    );
    return { schedule: presentSchedule(person, { 'schedule.manage': this.#mayEdit(ctx, user) }), holidays };
  }

  #mayEdit(ctx: AuthedContext, user: UserDoc): boolean {
    return ctx.actor.id === String(user._id) || this.#d.access.can(ctx.actor, 'schedule.manage', personResource(user));
  }

  /** The person, if the caller may see them as they may see their profile; 404 otherwise. */
  async #visible(ctx: AuthedContext, userId: string): Promise<UserDoc> {
    const user = await this.#d.users.findById(userId);
    if (!user) throw new NotFoundError('User');
    if (ctx.actor.id === userId || this.#d.access.can(ctx.actor, 'people.read')) return user;
    await this.#d.access.authorizeVisible(ctx, 'user.read', { kind: 'user', id: userId, role: user.role }, 'User', {
      affectedUser: auditPerson(user),
      code: user.code,
    });
    return user;
  }
}
