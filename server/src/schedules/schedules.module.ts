import type { FeedPublisher } from '../feed/feed.publisher.ts';
import type { RaiseInput } from '../notifications/notifications.service.ts';
import type { AccessControl } from '../permissions/access-control.ts';
import type { UsersRepository } from '../users/users.repository.ts';
import { AbsencesRepository } from './absences.repository.ts';
import { AbsencesService } from './absences.service.ts';
import { Availability } from './availability.ts';
import { SchedulesRepository } from './schedules.repository.ts';
import { SchedulesService } from './schedules.service.ts';

export interface ScheduleModuleDeps {
  access: AccessControl;
  publisher: FeedPublisher;
  users: UsersRepository;
  notifications?: { raise(input: RaiseInput): Promise<boolean> };
}

/**
 * Availability alone (it needs only repositories), so that planning, which is built before the
 * publisher's users, can take it; `createScheduleServices` reuses the same one.
 */
export function createAvailability(users: UsersRepository): Availability {
  return new Availability({ schedules: new SchedulesRepository(), absences: new AbsencesRepository(), users });
}

/** Working schedules, absences and availability, wired. */
export function createScheduleServices(deps: ScheduleModuleDeps, availability = createAvailability(deps.users)) {
  const schedules = new SchedulesRepository();
  const absences = new AbsencesRepository();
  return {
    availability,
    schedules: new SchedulesService({ ...deps, schedules, availability }),
    absences: new AbsencesService({ ...deps, absences }),
  };
}

export type ScheduleServices = ReturnType<typeof createScheduleServices>;
