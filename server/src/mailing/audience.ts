import type { ConsentChannel } from '@crewdeck/shared/clients';
import type { SegmentCount, SegmentFilters } from '@crewdeck/shared/mailing';
import type { ClientsService } from '../clients/clients.service.ts';
import type { AuthedContext } from '../http/context.ts';
import {
  personConditions,
  reachableConditions,
  type MailingPeopleRepository,
  type Reachable,
} from './people.repository.ts';

type Person = {
  _id: Reachable['id'];
  name: string;
  emails: { value: string }[];
  phones: { value: string; e164: string | null }[];
  consent: { email: { at: Date; source: string } | null; sms: { at: Date; source: string } | null };
};

/**
 * Who a segment's filter reaches, always as the caller may see clients: the client part goes
 * through `clients.listFilter` (visibility first), contacts are those of the clients it finds.
 */
export class Audience {
  readonly #clients: ClientsService;
  readonly #people: MailingPeopleRepository;

  constructor(deps: { clients: ClientsService; people: MailingPeopleRepository }) {
    this.#clients = deps.clients;
    this.#people = deps.people;
  }

  async #clientFilter(ctx: AuthedContext, f: SegmentFilters) {
    return this.#clients.listFilter(ctx, {
      kind: f.kind,
      status: f.status,
      source: f.source,
      tag: f.tag,
      managerId: f.managerId,
    });
  }

  async count(ctx: AuthedContext, f: SegmentFilters): Promise<SegmentCount> {
    const filter = await this.#clientFilter(ctx, f);
    const person = personConditions(f);
    const withClients = f.audience !== 'contacts';
    const withContacts = f.audience !== 'clients';
    const ids = withContacts ? await this.#people.clientIds(filter) : [];
    const count = async (extra: typeof person) =>
      (withClients ? await this.#people.countClients(filter, extra) : 0) +
      (withContacts ? await this.#people.countContacts(ids, extra) : 0);
    return {
      clients: withClients ? await this.#people.countClients(filter, person) : 0,
      contacts: withContacts ? await this.#people.countContacts(ids, person) : 0,
      reachable: {
        email: await count([...person, ...reachableConditions('email')]),
        sms: await count([...person, ...reachableConditions('sms')]),
      },
    };
  }

  /** The reachable people on a channel, one per address (the first record with it wins). */
  async reachable(ctx: AuthedContext, f: SegmentFilters, channel: ConsentChannel): Promise<Reachable[]> {
    const filter = await this.#clientFilter(ctx, f);
    const extra = [...personConditions(f), ...reachableConditions(channel)];
    const clients = f.audience !== 'contacts' ? await this.#people.clients(filter, extra) : [];
    const contacts =
      f.audience !== 'clients' ? await this.#people.contacts(await this.#people.clientIds(filter), extra) : [];
    const names = await this.#people.clientNames(contacts.map((c) => c.clientId));
    const toReachable = (kind: Reachable['kind'], doc: Person, clientName: string): Reachable => {
      const consent = doc.consent[channel];
      return {
        kind,
        id: doc._id,
        name: doc.name,
        clientName,
        email: doc.emails[0]?.value.trim().toLowerCase() ?? '',
        phone: doc.phones[0]?.e164 ?? doc.phones[0]?.value ?? '',
        consentAt: consent?.at ?? null,
        consentSource: consent?.source ?? '',
      };
    };
    const all = [
      ...clients.map((c) => toReachable('client', c, c.name)),
      ...contacts.map((c) => toReachable('contact', c, names.get(String(c.clientId)) ?? '')),
    ];
    const seen = new Set<string>();
    return all.filter((p) => {
      const address = channel === 'email' ? p.email : p.phone;
      if (!address || seen.has(address)) return false;
      seen.add(address);
      return true;
    });
  }
}
