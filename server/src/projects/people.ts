import type { UserDoc } from '../users/users.model.ts';
import type { UsersRepository } from '../users/users.repository.ts';

/** User id → display name, for presenters that show people by name. */
export type Names = ReadonlyMap<string, string>;

/** Looks people up by id in one query per call. */
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
}
