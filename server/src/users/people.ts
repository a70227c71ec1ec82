import type { PersonRef } from '@crewdeck/shared/library';
import type { UserDoc } from './users.model.ts';
import type { UsersRepository } from './users.repository.ts';

/** User id → display name, for presenters that show people by name. */
export type Names = ReadonlyMap<string, string>;

/** User id → `{ id, name }`, for presenters that show people as references. */
export type PersonRefs = ReadonlyMap<string, PersonRef>;

/** Looks people up by id in one query per call; the one lookup for projects, tasks and the library. */
export class People {
  readonly #users: UsersRepository;

  constructor(users: UsersRepository) {
    this.#users = users;
  }

  async find(ids: Iterable<string>): Promise<UserDoc[]> {
    const unique = [...new Set(ids)];
    return unique.length === 0 ? [] : this.#users.findByIds(unique);
  }

  async names(ids: Iterable<string>): Promise<Names> {
    const docs = await this.find(ids);
    return new Map(docs.map((u) => [String(u._id), u.name]));
  }

  async refs(ids: Iterable<string>): Promise<PersonRefs> {
    const docs = await this.find(ids);
    return new Map(docs.map((u) => [String(u._id), { id: String(u._id), name: u.name }]));
  }
}
