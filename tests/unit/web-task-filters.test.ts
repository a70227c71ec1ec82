// The task list's search, sort and URL round trip (web/src/lib/projects/filters.ts): pure
// functions over tasks, so they are checked here without a browser.
import { describe, expect, it } from 'vitest';
import { defaultStatuses } from '@crewdeck/shared/projects';
import type { Task } from '@crewdeck/shared/tasks';
import {
  applyFilter,
  filterFromUrl,
  filterToSearch,
  isFiltered,
  sortTasks,
  type SortContext,
} from '../../web/src/lib/projects/filters.ts';

let n = 0;
function task(patch: Partial<Task>): Task {
  n += 1;
  return {
    id: String(n).padStart(24, '0'),
    code: `WEB-${n}`,
    projectId: '1'.repeat(24),
    parentId: null,
    title: `Task ${n}`,
    description: '',
    status: 'todo',
    priority: 'normal',
    assignees: [],
    watchers: [],
    estimate: null,
    startDate: null,
    dueDate: null,
    milestoneId: null,
    labels: [],
    billable: false,
    overdue: false,
    loggedHours: 0,
    behindBy: 0,
    subtaskCount: 0,
    version: 1,
    createdBy: { id: '2'.repeat(24), name: 'Owner' },
    updatedBy: null,
    createdAt: '2026-12-01T00:00:00.000Z',
    updatedAt: '2026-12-01T00:00:00.000Z',
    abilities: {},
    ...patch,
  };
}

const context: SortContext = {
  statuses: defaultStatuses,
  milestoneTitle: (id) => ({ a: 'Alpha', b: 'Beta' })[id],
  compare: (a, b) => a.localeCompare(b, 'ru'),
};
const codes = (tasks: Task[]) => tasks.map((t) => t.code);
const none = filterFromUrl(new URLSearchParams());

describe('search', () => {
  const tasks = [
    task({ code: 'WEB-2', title: 'Ёлка на главной', labels: ['design'] }),
    task({ code: 'WEB-10', title: 'Footer', description: 'Fix the LINKS in the footer' }),
    task({ code: 'WEB-11', title: 'طراحی صفحه اصلی' }),
  ];

  it('matches code, title, description and labels, ignoring case in any script', () => {
    expect(codes(applyFilter(tasks, { ...none, q: 'ёлка' }, 'ru'))).toEqual(['WEB-2']);
    expect(codes(applyFilter(tasks, { ...none, q: 'links footer' }))).toEqual(['WEB-10']);
    expect(codes(applyFilter(tasks, { ...none, q: 'DESIGN' }))).toEqual(['WEB-2']);
    expect(codes(applyFilter(tasks, { ...none, q: 'web-11' }))).toEqual(['WEB-11']);
    expect(codes(applyFilter(tasks, { ...none, q: 'صفحه' }))).toEqual(['WEB-11']);
    expect(codes(applyFilter(tasks, { ...none, q: '   ' }))).toEqual(['WEB-2', 'WEB-10', 'WEB-11']);
    expect(applyFilter(tasks, { ...none, q: 'nothing like this' })).toEqual([]);
  });
});

describe('sort', () => {
  const tasks = [
    task({ code: 'WEB-10', status: 'done', priority: 'low', dueDate: '2026-12-20', estimate: 2, milestoneId: 'b' }),
    task({ code: 'WEB-2', status: 'backlog', priority: 'urgent', dueDate: null, estimate: null }),
    task({
      code: 'WEB-9',
      status: 'in_progress',
      priority: 'high',
      dueDate: '2026-12-03',
      estimate: 12,
      milestoneId: 'a',
      assignees: [{ id: '3'.repeat(24), name: 'Юлия' }],
    }),
    task({ code: 'WEB-30', status: 'todo', priority: 'normal', assignees: [{ id: '4'.repeat(24), name: 'Анна' }] }),
  ];

  it('by code numerically, both ways', () => {
    expect(codes(sortTasks(tasks, 'task', 'asc', context))).toEqual(['WEB-2', 'WEB-9', 'WEB-10', 'WEB-30']);
    expect(codes(sortTasks(tasks, 'task', 'desc', context))).toEqual(['WEB-30', 'WEB-10', 'WEB-9', 'WEB-2']);
  });

  it('by status in workflow order and by priority in priority order', () => {
    expect(codes(sortTasks(tasks, 'status', 'asc', context))).toEqual(['WEB-2', 'WEB-30', 'WEB-9', 'WEB-10']);
    expect(codes(sortTasks(tasks, 'priority', 'desc', context))).toEqual(['WEB-2', 'WEB-9', 'WEB-30', 'WEB-10']);
  });

  it('empty values last in either direction, ties in code order', () => {
    expect(codes(sortTasks(tasks, 'due', 'asc', context))).toEqual(['WEB-9', 'WEB-10', 'WEB-2', 'WEB-30']);
    expect(codes(sortTasks(tasks, 'due', 'desc', context))).toEqual(['WEB-10', 'WEB-9', 'WEB-2', 'WEB-30']);
    expect(codes(sortTasks(tasks, 'estimate', 'desc', context))).toEqual(['WEB-9', 'WEB-10', 'WEB-2', 'WEB-30']);
    expect(codes(sortTasks(tasks, 'milestone', 'asc', context))).toEqual(['WEB-9', 'WEB-10', 'WEB-2', 'WEB-30']);
  });

  it('titles and names by the language collation', () => {
    const titled = [
      task({ code: 'WEB-40', title: 'ёж' }),
      task({ code: 'WEB-41', title: 'Яблоко' }),
      task({ code: 'WEB-42', title: 'арбуз' }),
    ];
    expect(codes(sortTasks(titled, 'title', 'asc', context))).toEqual(['WEB-42', 'WEB-40', 'WEB-41']);
    expect(codes(sortTasks(tasks, 'assignees', 'asc', context))).toEqual(['WEB-30', 'WEB-9', 'WEB-2', 'WEB-10']);
  });
});

describe('the URL', () => {
  it('round-trips search, filters and sort, and drops what is unknown', () => {
    const filter = { ...none, q: 'ёлка 2', label: 'design', overdue: true, sort: 'due' as const, dir: 'desc' as const };
    const search = filterToSearch(filter);
    expect(filterFromUrl(new URLSearchParams(search))).toEqual(filter);
    expect(filterFromUrl(new URLSearchParams('?sort=hacked&dir=sideways'))).toMatchObject({ sort: '', dir: 'asc' });
    expect(filterToSearch(none)).toBe('');
    expect(isFiltered({ ...none, sort: 'due' })).toBe(false);
    expect(isFiltered({ ...none, q: 'x' })).toBe(true);
  });
});
