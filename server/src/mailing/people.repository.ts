import mongoose, { type ClientSession, type QueryFilter } from 'mongoose';
import type { ConsentChannel } from '@crewdeck/shared/clients';
import { ClientModel, ContactModel, type ClientDoc, type ContactDoc } from '../clients/clients.model.ts';

type Id = mongoose.Types.ObjectId;
type Filter = Record<string, unknown>;

/** A person a campaign can reach: a client (company or person) or a contact of a company. */
export interface Reachable {
  kind: 'client' | 'contact';
  id: Id;
  name: string;
  clientName: string;
  email: string;
  phone: string;
  consentAt: Date | null;
  consentSource: string;
}

/** Fields that test each person (client or contact) rather than the client. */
export function personConditions(f: { hasEmail?: boolean; hasPhone?: boolean; consent?: ConsentChannel }): Filter[] {
  const out: Filter[] = [];
  if (f.hasEmail !== undefined) out.push({ 'emails.0': { $exists: f.hasEmail } });
  if (f.hasPhone !== undefined) out.push({ 'phones.0': { $exists: f.hasPhone } });
  if (f.consent) out.push({ [`consent.${f.consent}.granted`]: true });
  return out;
}

/** Reachable on a channel: an address on it, and consent granted on it. */
export const reachableConditions = (channel: ConsentChannel): Filter[] => [
  { [channel === 'email' ? 'emails.0' : 'phones.0']: { $exists: true } },
  { [`consent.${channel}.granted`]: true },
];

const and = (parts: Filter[]): Filter => (parts.length ? { $and: parts } : {});

/**
 * Mailing's reads of the clients and contacts collections (segments count and list people by
 * fields the clients repository does not query), and the one write: withdrawing consent from an
 * unsubscribe link, where there is no signed-in user to go through the clients API.
 */
export class MailingPeopleRepository {
  async clientIds(clientFilter: QueryFilter<ClientDoc>): Promise<Id[]> {
    const docs = await ClientModel.find(clientFilter, { _id: 1 }).lean<{ _id: Id }[]>();
    return docs.map((d) => d._id);
  }

  async countClients(clientFilter: QueryFilter<ClientDoc>, extra: Filter[]): Promise<number> {
    return ClientModel.countDocuments(and([clientFilter as Filter, ...extra]));
  }

  async countContacts(clientIds: Id[], extra: Filter[]): Promise<number> {
    if (!clientIds.length) return 0;
    return ContactModel.countDocuments(and([{ clientId: { $in: clientIds } }, ...extra]));
  }

  async clients(clientFilter: QueryFilter<ClientDoc>, extra: Filter[]): Promise<ClientDoc[]> {
    return ClientModel.find(and([clientFilter as Filter, ...extra]))
      .sort({ name: 1 })
      .lean<ClientDoc[]>();
  }

  async contacts(clientIds: Id[], extra: Filter[]): Promise<ContactDoc[]> {
    if (!clientIds.length) return [];
    return ContactModel.find(and([{ clientId: { $in: clientIds } }, ...extra]))
      .sort({ name: 1 })
      .lean<ContactDoc[]>();
  }

  async clientNames(ids: Id[]): Promise<Map<string, string>> {
    const docs = await ClientModel.find({ _id: { $in: ids } }, { name: 1 }).lean<{ _id: Id; name: string }[]>();
    return new Map(docs.map((d) => [String(d._id), d.name]));
  }

  /** The people as they are now (consent re-checked before each batch). */
  async current(refs: { kind: 'client' | 'contact'; id: Id }[]) {
    const ids = (kind: string) => refs.filter((r) => r.kind === kind).map((r) => r.id);
    const [clients, contacts] = await Promise.all([
      ClientModel.find({ _id: { $in: ids('client') }, mergedInto: null }, { emails: 1, phones: 1, consent: 1 }).lean<
        ClientDoc[]
      >(),
      ContactModel.find({ _id: { $in: ids('contact') } }, { emails: 1, phones: 1, consent: 1 }).lean<ContactDoc[]>(),
    ]);
    const out = new Map<string, Pick<ClientDoc, 'emails' | 'phones' | 'consent'>>();
    for (const doc of clients) out.set(`client:${String(doc._id)}`, doc);
    for (const doc of contacts) out.set(`contact:${String(doc._id)}`, doc);
    return out;
  }

  async person(kind: 'client' | 'contact', id: string) {
    if (!mongoose.isValidObjectId(id)) return null;
    const model = kind === 'client' ? ClientModel : ContactModel;
    return (model as typeof ContactModel)
      .findById(id, { name: 1, emails: 1, consent: 1 })
      .lean<Pick<ContactDoc, '_id' | 'name' | 'emails' | 'consent'>>();
  }

  async withdrawConsent(kind: 'client' | 'contact', id: Id, channel: ConsentChannel, session: ClientSession) {
    const set = { [`consent.${channel}`]: { granted: false, at: new Date(), source: 'unsubscribe link' } };
    const model = kind === 'client' ? ClientModel : ContactModel;
    await (model as typeof ContactModel).updateOne({ _id: id }, { $set: set }, { session });
  }
}
