// Events and task due dates as @event-calendar/core's inputs, and the component's texts in the
// active language. Timed events go in as UTC instants (the grid shows them in the browser's
// zone); all-day ones as dates, which the grid treats as floating days, so none shifts a day.
import type { Calendar as EC } from '@event-calendar/core';
import type { CalendarTaskItem, EventInstance } from '@crewdeck/shared/calendar';
import { m } from '../paraglide/messages.js';
import { getLocale } from '../paraglide/runtime.js';
import { addDays, firstDayOf, gridLocale } from './time.ts';

export type GridItem = { kind: 'event'; instanceId: string } | { kind: 'task'; href: string };

/** An event dragged or resized in a grid, with the grid's undo. */
export type MoveRequest = { instanceId: string; start: Date; end: Date; allDay: boolean; revert: () => void };

export function taskHref(item: CalendarTaskItem): string {
  return item.kind === 'task' ? `/projects/${item.projectId}/tasks/${item.id}` : `/projects/${item.projectId}/timeline`;
}

export function eventInput(event: EventInstance, editable: boolean, resourceId?: string): EC.EventInput {
  const item: GridItem = { kind: 'event', instanceId: event.instanceId };
  const declined = event.attendees.some((a) => a.response === 'declined' && a.userId === resourceId);
  return {
    id: event.instanceId,
    title: event.busyOnly ? m.cal_busy() : event.title,
    start: event.allDay && event.startDay ? event.startDay : event.start,
    end: event.allDay && event.endDay ? event.endDay : event.end,
    allDay: event.allDay,
    editable,
    ...(resourceId ? { resourceIds: [resourceId] } : {}),
    classNames: [event.busyOnly ? 'cal-busy' : '', declined ? 'cal-declined' : ''].filter(Boolean),
    extendedProps: { item },
  };
}

export function taskInput(task: CalendarTaskItem): EC.EventInput {
  const item: GridItem = { kind: 'task', href: taskHref(task) };
  const label =
    task.kind === 'task'
      ? m.cal_task_due({ code: task.code, title: task.title })
      : m.cal_milestone({ title: task.title });
  return {
    id: `${task.kind}:${task.id}`,
    title: label,
    start: task.day,
    end: addDays(task.day, 1),
    allDay: true,
    editable: false,
    classNames: ['cal-task', task.done ? 'cal-done' : ''].filter(Boolean),
    extendedProps: { item },
  };
}

export function gridItemOf(event: EC.Event): GridItem | null {
  const item = event.extendedProps.item;
  return typeof item === 'object' && item !== null && 'kind' in item ? (item as GridItem) : null;
}

/** Options every grid of the app shares: language, first weekday, translated buttons. */
export function baseOptions(): EC.Options {
  const locale = getLocale();
  return {
    locale: gridLocale(locale),
    firstDay: firstDayOf(locale),
    buttonText: (text) => ({
      ...text,
      today: m.cal_today(),
      dayGridMonth: m.cal_view_month(),
      timeGridWeek: m.cal_view_week(),
      timeGridDay: m.cal_view_day(),
      listWeek: m.cal_view_agenda(),
      resourceTimelineDay: m.cal_view_day(),
      resourceTimelineWeek: m.cal_view_week(),
      prev: m.cal_prev(),
      next: m.cal_next(),
      close: m.close(),
    }),
    allDayContent: m.cal_all_day(),
    noEventsContent: m.cal_no_events(),
    moreLinkContent: (info) => m.cal_more({ count: info.num }),
    nowIndicator: true,
    dayMaxEvents: true,
    scrollTime: '08:00:00',
  };
}
