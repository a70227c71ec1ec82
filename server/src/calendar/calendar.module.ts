import type { EventBus } from '../events/event-bus.ts';
import type { FeedPublisher } from '../feed/feed.publisher.ts';
import type { NotificationsService } from '../notifications/notifications.service.ts';
import type { AccessControl } from '../permissions/access-control.ts';
import type { ProjectsRepository } from '../projects/projects.repository.ts';
import type { SecretBox } from '../security/secret-box.ts';
import type { UsersRepository } from '../users/users.repository.ts';
import type { AvailabilitySource } from './booking.ts';
import { BusyCache } from './busy-cache.ts';
import { CalendarsService } from './calendars.service.ts';
import { EventNotifier } from './event-notifier.ts';
import { CalendarsRepository, EventsRepository } from './events.repository.ts';
import { EventsService } from './events.service.ts';
import { FeedsService } from './feeds.service.ts';
import { TaskItems } from './task-items.ts';

export interface CalendarModuleDeps {
  access: AccessControl;
  publisher: FeedPublisher;
  bus: EventBus;
  users: UsersRepository;
  projects: ProjectsRepository;
  notifications: NotificationsService;
  availability: AvailabilitySource;
  box: SecretBox;
}

/** The calendar feature's services, wired once. */
export function createCalendar(deps: CalendarModuleDeps) {
  const events = new EventsRepository();
  const calendars = new CalendarsRepository();
  const taskItems = new TaskItems({ projects: deps.projects, access: deps.access });
  const notifier = new EventNotifier({ notifications: deps.notifications, events });
  const busy = new BusyCache();
  const common = { events, calendars, access: deps.access, publisher: deps.publisher, users: deps.users };
  return {
    repos: { events, calendars },
    notifier,
    busy,
    events: new EventsService({ ...common, bus: deps.bus, availability: deps.availability, notifier, taskItems }),
    calendars: new CalendarsService({ ...common, availability: deps.availability, busy }),
    feeds: new FeedsService({ ...common, taskItems, box: deps.box }),
  };
}

export type CalendarServices = ReturnType<typeof createCalendar>;
