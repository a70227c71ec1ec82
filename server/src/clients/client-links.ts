import type { ClientSession } from 'mongoose';
import type { ClientAccess } from './clients.model.ts';

/**
 * Something linked to a client (deals, interactions, tasks, KPI credits) that a merge moves and
 * an undo moves back, and that keeps a copy of the client's access fields. Each feature
 * registers its own; the clients module never imports them.
 */
export interface ClientLink {
  /** The key in a merge record's `moved`, e.g. `deals`. */
  readonly name: string;
  /** Moves every record of `fromId` to `toId`; returns the moved ids (for the undo). */
  move(fromId: string, toId: string, access: ClientAccess, session: ClientSession): Promise<string[]>;
  /** Moves the given records back to `toId` (undo of a merge). */
  restore(ids: string[], toId: string, access: ClientAccess, session: ClientSession): Promise<void>;
  /** The client's responsible manager changed: refresh the copied access fields. */
  reaccess(clientId: string, access: ClientAccess, session: ClientSession): Promise<void>;
}

/** The registry the clients module reads and other CRM features add to at wiring time. */
export class ClientLinks {
  readonly #links: ClientLink[] = [];

  add(link: ClientLink): void {
    if (this.#links.some((l) => l.name === link.name)) throw new Error(`client link ${link.name} registered twice`);
    this.#links.push(link);
  }

  get all(): readonly ClientLink[] {
    return this.#links;
  }
}
