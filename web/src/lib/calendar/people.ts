// The people a calendar form can pick (attendees, team view rows): the directory, fetched once
// per page load and shared by every picker on the page.
import { profileEndpoints, type Person } from '@crewdeck/shared/users';
import { call } from '../api.ts';
import { compareText } from '../i18n/locale.ts';

let directory: Promise<Person[]> | null = null;

export function loadPeople(): Promise<Person[]> {
  directory ??= call(profileEndpoints.people, { query: {} })
    .then((list) => [...list.items].sort((a, b) => compareText(a.name, b.name)))
    .catch((err: unknown) => {
      directory = null;
      throw err;
    });
  return directory;
}

/** People whose name or login contains `query` (case-insensitive). */
export function matchPeople(people: Person[], query: string): Person[] {
  const q = query.trim().toLocaleLowerCase();
  if (!q) return people;
  return people.filter((p) => p.name.toLocaleLowerCase().includes(q) || p.login.toLocaleLowerCase().includes(q));
}
