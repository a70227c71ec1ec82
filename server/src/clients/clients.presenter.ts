import type { Client, Contact } from '@crewdeck/shared/clients';
import type { PersonRefs } from '../users/people.ts';
import type { ClientDoc, ContactDoc, StoredConsents } from './clients.model.ts';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export const presentConsents = (c: StoredConsents | undefined) => ({
  email: c?.email ? { granted: c.email.granted, at: c.email.at.toISOString(), source: c.email.source } : null,
  sms: c?.sms ? { granted: c.sms.granted, at: c.sms.at.toISOString(), source: c.sms.source } : null,
});

export function presentClient(doc: ClientDoc, people: PersonRefs, abilities: Client['abilities']): Client {
  const managerId = doc.managerId ? String(doc.managerId) : null;
  return {
    id: String(doc._id),
    code: doc.code,
    kind: doc.kind,
    name: doc.name,
    legalName: doc.legalName,
    legalForm: doc.legalForm,
    phones: doc.phones.map((p) => ({ value: p.value, kind: p.kind as Client['phones'][number]['kind'], e164: p.e164 })),
    emails: doc.emails.map((e) => ({ value: e.value, kind: e.kind as Client['emails'][number]['kind'] })),
    website: doc.website,
    address: doc.address,
    tags: doc.tags,
    status: doc.status,
    source: doc.source,
    manager: managerId ? (people.get(managerId) ?? { id: managerId, name: '' }) : null,
    custom: doc.custom ?? {},
    consent: presentConsents(doc.consent),
    contactCount: doc.contactCount,
    lastInteractionAt: iso(doc.lastInteractionAt),
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
    mergedInto: doc.mergedInto ? String(doc.mergedInto) : null,
    abilities,
  };
}

export function presentContact(doc: ContactDoc): Contact {
  return {
    id: String(doc._id),
    clientId: String(doc.clientId),
    name: doc.name,
    position: doc.position,
    phones: doc.phones.map((p) => ({
      value: p.value,
      kind: p.kind as Contact['phones'][number]['kind'],
      e164: p.e164,
    })),
    emails: doc.emails.map((e) => ({ value: e.value, kind: e.kind as Contact['emails'][number]['kind'] })),
    note: doc.note,
    consent: presentConsents(doc.consent),
    createdAt: doc.createdAt.toISOString(),
  };
}
