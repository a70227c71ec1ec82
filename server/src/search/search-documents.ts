// How clients and contacts describe themselves to the search box. Pure, so the clients service
// calls them inside its own transaction (`index.put(clientSearchDocument(doc), session)`) and a
// rebuild produces exactly the same entries.
import type { ClientDoc, ContactDoc } from '../clients/clients.model.ts';
import type { SearchDocument } from './search-index.ts';

type ClientFields = Pick<ClientDoc, '_id' | 'name' | 'legalName' | 'legalForm' | 'phones' | 'emails' | 'website'>;
type ContactFields = Pick<ContactDoc, '_id' | 'clientId' | 'name' | 'position' | 'phones' | 'emails'>;

const line = (parts: (string | undefined)[]) =>
  parts
    .map((p) => p?.trim() ?? '')
    .filter((p) => p.length > 0)
    .join(' · ');

/** Phones as typed plus their E.164 form, so either reading of a stored number is indexed. */
const phonesOf = (phones: ClientDoc['phones']) =>
  phones.flatMap((p) => (p.e164 && p.e164 !== p.value ? [p.value, p.e164] : [p.value]));

export function clientSearchDocument(doc: ClientFields): SearchDocument {
  const id = String(doc._id);
  const legal = line([doc.legalForm, doc.legalName]).replace(' · ', ' ');
  return {
    kind: 'client',
    id,
    clientId: id,
    title: doc.name,
    subtitle: line([legal !== doc.name ? legal : '', doc.phones[0]?.value, doc.emails[0]?.value]),
    text: [doc.name, doc.legalName],
    phones: phonesOf(doc.phones),
    emails: doc.emails.map((e) => e.value),
  };
}

export function contactSearchDocument(doc: ContactFields, clientName: string): SearchDocument {
  return {
    kind: 'contact',
    id: String(doc._id),
    clientId: String(doc.clientId),
    title: doc.name,
    subtitle: line([doc.position, clientName, doc.phones[0]?.value]),
    text: [doc.name],
    phones: phonesOf(doc.phones),
    emails: doc.emails.map((e) => e.value),
  };
}
